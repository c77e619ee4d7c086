import { useRef, useState, type FormEvent } from 'react';
import { formatInstantDayTimeFr } from '../../../api/format.js';
import type { RestorePendingView, RestorePreview, StagedRestore } from '../../../api/restore.js';
import type { RouteClient } from '../../../api/route-client.js';
import type { Routes } from '../../../api/routes/index.js';
import { messageOf } from '../api.js';
import { FieldError, FormErrorsProvider, useFieldError, useFormErrors } from '../forms.js';
import { Field, Notice, TextField } from '../ui.js';
import { NumberingForm } from './restore-numbering.js';

/**
 * "Restaurer une sauvegarde" on the setup page of a fresh install: the archive and its passphrase
 * ("Voir le contenu" shows what it holds), "Restaurer", then the numbering confirmation; then the
 * sign-in page with the restored accounts.
 */
function ArchiveInput({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  const { error, clear } = useFieldError('archive');
  return (
    <Field label="Fichier de sauvegarde" hint="Le fichier .etkbackup écrit par la sauvegarde d’eTicket." error={error}>
      <input ref={inputRef} type="file" accept=".etkbackup" data-field="archive" onChange={clear} />
    </Field>
  );
}

/** `api` sends the setup code with each call (the setup page's client). */
export function SetupRestore({ api, onCancel, onDone }: { api: RouteClient<Routes>; onCancel: () => void; onDone: () => void }) {
  const errors = useFormErrors();
  const file = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [seen, setSeen] = useState<StagedRestore | null>(null);
  const [restored, setRestored] = useState<RestorePendingView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (action: () => Promise<void>) => async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    errors.reset();
    try {
      await action();
    } catch (err) {
      if (!errors.capture(err)) setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const look = run(async () => {
    const chosen = file.current?.files?.[0];
    if (!chosen) throw new FieldError('archive', 'Choisissez le fichier de sauvegarde (.etkbackup).');
    if (!passphrase) throw new FieldError('passphrase', 'Indiquez la phrase de passe de la sauvegarde.');
    const form = new FormData();
    form.append('passphrase', passphrase);
    form.append('archive', chosen, chosen.name);
    setSeen(await api.upload('setup.restorePreview', form));
  });
  const restore = run(async () => {
    setRestored(await api.call('setup.restoreApply', { body: { token: seen!.token } }));
  });

  if (restored) {
    return (
      <>
        <h2>Numérotation après la restauration</h2>
        <NumberingForm
          view={restored}
          onConfirm={async (body) => {
            await api.call('setup.restoreNumbering', { body: { token: seen!.token, ...body } });
            onDone();
          }}
        />
      </>
    );
  }
  const p = seen?.preview;
  return (
    <FormErrorsProvider value={errors.value}>
      <h2>Restaurer une sauvegarde</h2>
      {message ? <Notice kind="error">{message}</Notice> : null}
      <form className="form" onSubmit={(e) => void look(e)} noValidate>
        <ArchiveInput inputRef={file} />
        <TextField label="Phrase de passe" field="passphrase" type="password" autoComplete="off" value={passphrase} onChange={setPassphrase} />
        <div className="setup-actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            Retour
          </button>
          <button type="submit" className={p ? undefined : 'primary'} disabled={busy}>
            Voir le contenu
          </button>
        </div>
      </form>
      {p ? (
        <section className="card" aria-labelledby="restore-preview-title">
          <h3 id="restore-preview-title">Contenu de la sauvegarde</h3>
          <dl className="restore-preview">
            {previewRows(p).map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <div className="setup-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void restore()}>
              Restaurer
            </button>
          </div>
        </section>
      ) : null}
    </FormErrorsProvider>
  );
}

const n = (v: number) => new Intl.NumberFormat('fr-FR').format(v);

function previewRows(p: RestorePreview): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Date de la sauvegarde', p.takenAt ? formatInstantDayTimeFr(p.takenAt) : 'inconnue'],
    ['Commune', p.commune || '(non renseignée)'],
    ['Familles', n(p.counts.familles)],
    ['Enfants', n(p.counts.enfants)],
    ['Réservations', n(p.counts.reservations)],
    ['Reçus', n(p.counts.recus)],
    ['Factures', n(p.counts.factures)],
    ['Documents', n(p.counts.documents)],
  ];
  for (const y of Object.keys({ ...p.lastReceiptNumbers, ...p.lastInvoiceNumbers }).sort()) {
    rows.push([`Derniers numéros ${y}`, `reçu n° ${p.lastReceiptNumbers[y] ?? 0}, facture n° ${p.lastInvoiceNumbers[y] ?? 0}`]);
  }
  return rows;
}
