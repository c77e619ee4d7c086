import { useState } from 'react';
import { parseInteger } from '../../../api/numbers.js';
import { SMTP_TLS_LABELS, type SmtpScreenView, type SmtpTestResult, type SmtpTls } from '../../../api/settings-screens.js';
import { api } from '../api.js';
import { FormErrorsProvider, SettingsForm, useFormErrors, valueOf } from '../forms.js';
import { Check, EnumField, Notice, TextField, WhenLoaded, useLoad, useToast } from '../ui.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Messagerie": the SMTP server the outbox sends through, and a test mail sent at
 * once through the saved settings. The password is never shown back: the field stays empty.
 */
export function SmtpSection() {
  const state = useLoad(() => api.call('staff.smtpSettings'), []);
  return <WhenLoaded state={state}>{(v) => <SmtpCard initial={v} />}</WhenLoaded>;
}

const TLS_VALUES: readonly SmtpTls[] = ['starttls', 'tls', 'none'];
const TEST_KIND: Record<SmtpTestResult['outcome'], 'ok' | 'warn' | 'error'> = { delivered: 'ok', refused: 'error', unreachable: 'error', not_configured: 'warn' };

function SmtpCard({ initial }: { initial: SmtpScreenView }) {
  const { errors, busy, submit } = useSettingsSave();
  const [view, setView] = useState(initial);
  const [values, setValues] = useState({ host: initial.host, port: String(initial.port), tls: initial.tls, user: initial.user, fromAddress: initial.fromAddress, fromName: initial.fromName });
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const set = <K extends keyof typeof values>(key: K) => (v: (typeof values)[K]) => setValues((x) => ({ ...x, [key]: v }));

  const save = submit(async () => {
    const port = valueOf(parseInteger(values.port, { label: 'Port', min: 1, max: 65535 }), 'port');
    const saved = await api.call('staff.saveSmtpSettings', { body: { ...values, port, password, clearPassword } });
    setView(saved);
    setPassword('');
    setClearPassword(false);
  }, 'Réglages de messagerie enregistrés.');

  return (
    <>
      <section className="card" aria-labelledby="smtp-form-title">
        <h3 id="smtp-form-title">Serveur d’envoi (SMTP)</h3>
        <SettingsForm errors={errors.value} busy={busy} onSubmit={save} className="form two-columns" autoComplete="off">
          <TextField label="Serveur SMTP" field="host" maxLength={200} value={values.host} onChange={set('host')} hint="Par exemple : smtp.mairie-exemple.fr ; vide : aucun envoi." />
          <TextField label="Port" field="port" inputMode="numeric" maxLength={5} value={values.port} onChange={set('port')} hint="587 avec STARTTLS, 465 avec TLS." />
          <EnumField label="Chiffrement" field="tls" value={values.tls} values={TLS_VALUES} labels={SMTP_TLS_LABELS} onChange={set('tls')} />
          <TextField label="Compte" field="user" maxLength={200} autoComplete="off" value={values.user} onChange={set('user')} hint="Vide si le serveur n’en demande pas." />
          <TextField
            label="Mot de passe du compte"
            field="password"
            type="password"
            autoComplete="new-password"
            maxLength={200}
            value={password}
            onChange={setPassword}
            disabled={clearPassword}
            hint={view.hasPassword ? 'Un mot de passe est enregistré : laisser vide pour garder le mot de passe actuel.' : 'Aucun mot de passe enregistré.'}
          />
          {view.hasPassword ? (
            <div className="checks">
              <Check label="Supprimer le mot de passe enregistré" checked={clearPassword} onChange={setClearPassword} />
            </div>
          ) : null}
          <TextField label="Adresse d’expédition" field="fromAddress" inputMode="email" maxLength={120} value={values.fromAddress} onChange={set('fromAddress')} hint="Par exemple : ne-pas-repondre@mairie-exemple.fr" />
          <TextField label="Nom de l’expéditeur" field="fromName" maxLength={80} value={values.fromName} onChange={set('fromName')} hint="Par exemple : Mairie de Saint-Exemple" />
        </SettingsForm>
      </section>
      <TestMailCard defaultTo={view.testAddress} />
    </>
  );
}

function TestMailCard({ defaultTo }: { defaultTo: string }) {
  const toast = useToast();
  const errors = useFormErrors();
  const [to, setTo] = useState(defaultTo);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<SmtpTestResult | null>(null);
  const send = async () => {
    if (sending) return;
    setSending(true);
    setResult(null);
    errors.reset();
    try {
      setResult(await api.call('staff.testSmtp', { body: { to } }));
    } catch (err) {
      if (!errors.capture(err)) toast('error', err instanceof Error ? err.message : 'Envoi impossible.');
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="card" aria-labelledby="smtp-test-title">
      <h3 id="smtp-test-title">E-mail de test</h3>
      <p className="muted">Envoyé tout de suite avec les réglages enregistrés (enregistrez d’abord vos modifications).</p>
      <FormErrorsProvider value={errors.value}>
        <form
          className="form inline"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <TextField label="Destinataire" field="to" inputMode="email" autoComplete="email" maxLength={120} value={to} onChange={setTo} />
          <button type="submit" disabled={sending}>
            {sending ? 'Envoi en cours…' : 'Envoyer un e-mail de test'}
          </button>
        </form>
      </FormErrorsProvider>
      <div aria-live="polite">{result ? <Notice kind={TEST_KIND[result.outcome]}>{result.message}</Notice> : null}</div>
    </section>
  );
}
