import { useState } from 'react';
import { SAISIE_LABELS, type PayfipScreenView, type PayfipTestResult } from '../../../api/settings-screens.js';
import { api } from '../api.js';
import { SettingsForm } from '../forms.js';
import { EnumField, Notice, TextField, WhenLoaded, useLoad, useToast } from '../ui.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Paiement en ligne": the PayFiP client number and mode; the service addresses
 * only in the "avancé" fold (PayFiP's own are the default). "Tester" asks PayFiP whether it
 * knows the number typed, and says so in French.
 */
export function PayfipSection() {
  const state = useLoad(() => api.call('staff.payfipSettings'), []);
  return <WhenLoaded state={state}>{(v) => <PayfipForm initial={v} />}</WhenLoaded>;
}

const MODES = ['T', 'X', 'W'] as const;
const MODE_LABELS: Record<(typeof MODES)[number], string> = {
  T: `${SAISIE_LABELS.T} (T) : aucun débit réel`,
  X: `${SAISIE_LABELS.X} (X) : vérification par la DGFiP avant l’ouverture`,
  W: `${SAISIE_LABELS.W} (W) : paiements réels`,
};

const TEST_KIND: Record<PayfipTestResult['outcome'], 'ok' | 'warn' | 'error'> = { known: 'ok', unknown: 'warn', unreachable: 'error' };

function PayfipForm({ initial }: { initial: PayfipScreenView }) {
  const toast = useToast();
  const { errors, busy, submit } = useSettingsSave();
  const [view, setView] = useState(initial);
  const [values, setValues] = useState({ numcli: initial.numcli, saisie: initial.saisie, serviceUrl: initial.serviceUrl, paymentPageUrl: initial.paymentPageUrl, notificationBaseUrl: initial.notificationBaseUrl });
  const set = <K extends keyof typeof values>(key: K) => (v: (typeof values)[K]) => setValues((x) => ({ ...x, [key]: v }));
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<PayfipTestResult | null>(null);

  const save = submit(async () => {
    const saved = await api.call('staff.savePayfipSettings', { body: values });
    setView(saved);
  }, 'Réglages du paiement en ligne enregistrés.');

  const test = async () => {
    if (testing) return;
    setTesting(true);
    setResult(null);
    errors.reset();
    try {
      setResult(await api.call('staff.testPayfip', { body: { numcli: values.numcli.trim() } }));
    } catch (err) {
      if (!errors.capture(err)) toast('error', err instanceof Error ? err.message : 'Test impossible.');
    } finally {
      setTesting(false);
    }
  };

  return (
    <section className="card" aria-labelledby="payfip-form-title">
      <h3 id="payfip-form-title">PayFiP</h3>
      {view.simulator ? <Notice kind="info">Démonstration : le simulateur PayFiP tient lieu du service réel ({view.effective.serviceUrl}).</Notice> : null}
      <SettingsForm
        errors={errors.value}
        busy={busy}
        onSubmit={save}
        className="form two-columns"
        actions={
          <button type="button" onClick={() => void test()} disabled={testing}>
            {testing ? 'Test en cours…' : 'Tester'}
          </button>
        }
      >
        <TextField label="Numéro client PayFiP" field="numcli" inputMode="numeric" maxLength={6} autoComplete="off" value={values.numcli} onChange={set('numcli')} hint="6 chiffres, sur la convention signée avec la DGFiP." />
        <EnumField label="Mode" field="saisie" value={values.saisie} values={MODES} labels={MODE_LABELS} onChange={set('saisie')} />
        <details>
          <summary>Réglages avancés</summary>
          <p className="muted">À ne changer que sur indication de la DGFiP. Laissez vide pour les adresses par défaut.</p>
          <TextField label="Adresse du service PayFiP" field="serviceUrl" inputMode="url" maxLength={200} value={values.serviceUrl} onChange={set('serviceUrl')} placeholder={view.effective.serviceUrl} hint={`En service : ${view.effective.serviceUrl}`} />
          <TextField label="Adresse de la page de paiement" field="paymentPageUrl" inputMode="url" maxLength={200} value={values.paymentPageUrl} onChange={set('paymentPageUrl')} placeholder={view.effective.paymentPageUrl} hint={`En service : ${view.effective.paymentPageUrl}`} />
          <TextField
            label="Adresse de notification"
            field="notificationBaseUrl"
            inputMode="url"
            maxLength={200}
            value={values.notificationBaseUrl}
            onChange={set('notificationBaseUrl')}
            placeholder={view.effective.notificationBaseUrl}
            hint={`Par défaut l’adresse publique du portail (Paramètres › Portail). En service : ${view.effective.notificationBaseUrl}`}
          />
        </details>
      </SettingsForm>
      <div aria-live="polite">{result ? <Notice kind={TEST_KIND[result.outcome]}>{result.message}</Notice> : null}</div>
    </section>
  );
}
