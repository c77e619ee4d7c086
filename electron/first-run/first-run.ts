// Script of the first-run page (bundled to dist-electron/first-run/first-run.js). Plain DOM:
// the page must stay small and load with script-src 'self' only. It reads what to show from
// its query string (set by the main process) and talks through window.eticketSetup only.
import type { FirstRunAnswer, FirstRunBridge, FirstRunChoice } from '../../api/desktop.js';

const bridge = (window as unknown as { eticketSetup?: FirstRunBridge }).eticketSetup;
const params = new URLSearchParams(location.search);

function el<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function showError(node: HTMLElement, message: string | null): void {
  node.textContent = message ?? '';
  node.hidden = !message;
}

async function send(request: Parameters<FirstRunBridge['send']>[0]): Promise<FirstRunAnswer> {
  if (!bridge) return { ok: false, message: 'Cette page ne fonctionne que dans l’application eTicket.' };
  try {
    return await bridge.send(request);
  } catch {
    return { ok: false, message: 'eTicket n’a pas pu traiter la demande. Réessayez.' };
  }
}

function showView(view: 'choose' | 'unreachable'): void {
  el('choose').hidden = view !== 'choose';
  el('unreachable').hidden = view !== 'unreachable';
  const first = view === 'choose' ? document.querySelector<HTMLInputElement>('input[name="mode"]:checked') ?? el<HTMLInputElement>('mode-demo') : el('retry');
  first.focus();
}

function setupChoose(): void {
  const form = el<HTMLFormElement>('choose-form');
  const addressField = el('address-field');
  const address = el<HTMLInputElement>('address');
  const addressError = el('address-error');
  const formError = el('choose-error');
  const submit = el<HTMLButtonElement>('continue');
  const keep = el<HTMLButtonElement>('keep');
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];

  const current = params.get('mode');
  const preset = radios.find((r) => r.value === current);
  if (preset) preset.checked = true;
  address.value = params.get('address') ?? '';
  const describe = params.get('current');
  if (describe) {
    keep.hidden = false;
    keep.textContent = `Garder le mode actuel : ${describe}`;
  }

  const sync = () => {
    addressField.hidden = !el<HTMLInputElement>('mode-central').checked;
  };
  radios.forEach((r) => r.addEventListener('change', sync));
  sync();

  const setAddressError = (message: string | null) => {
    showError(addressError, message);
    if (message) address.setAttribute('aria-invalid', 'true');
    else address.removeAttribute('aria-invalid');
  };

  let pending = false;
  const busy = (on: boolean, label: string) => {
    pending = on;
    submit.disabled = on;
    keep.disabled = on;
    submit.textContent = label;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (pending) return;
    setAddressError(null);
    showError(formError, null);
    const mode = radios.find((r) => r.checked)?.value;
    if (!mode) {
      showError(formError, 'Choisissez un mode d’utilisation.');
      el<HTMLInputElement>('mode-demo').focus();
      return;
    }
    if (mode === 'central' && address.value.trim() === '') {
      setAddressError('Indiquez l’adresse du serveur de la commune.');
      address.focus();
      return;
    }
    const choice: FirstRunChoice = mode === 'central' ? { mode: 'central', address: address.value } : { mode: mode === 'commune' ? 'commune' : 'demo' };
    busy(true, mode === 'central' ? 'Vérification du serveur…' : 'Démarrage…');
    void send({ action: 'choose', choice }).then((answer) => {
      if (answer.ok) {
        submit.textContent = 'Ouverture d’eTicket…';
        return;
      }
      busy(false, 'Continuer');
      if (answer.field === 'address') {
        setAddressError(answer.message);
        address.focus();
      } else showError(formError, answer.message);
    });
  });

  keep.addEventListener('click', () => {
    if (pending) return;
    busy(true, 'Continuer');
    void send({ action: 'keep' }).then((answer) => {
      if (!answer.ok) {
        busy(false, 'Continuer');
        showError(formError, answer.message);
      }
    });
  });
}

function setupUnreachable(): void {
  el('unreachable-address').textContent = params.get('address') ?? '';
  const retry = el<HTMLButtonElement>('retry');
  const error = el('retry-error');
  retry.addEventListener('click', () => {
    if (retry.disabled) return;
    retry.disabled = true;
    retry.textContent = 'Connexion…';
    showError(error, null);
    void send({ action: 'retry' }).then((answer) => {
      if (answer.ok) return;
      retry.disabled = false;
      retry.textContent = 'Réessayer';
      showError(error, answer.message);
    });
  });
  el('change-mode').addEventListener('click', () => showView('choose'));
}

setupChoose();
setupUnreachable();
showView(params.get('view') === 'unreachable' ? 'unreachable' : 'choose');
