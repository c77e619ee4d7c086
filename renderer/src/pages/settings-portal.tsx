import { useState } from 'react';
import { parseEuroCents } from '../../../api/numbers.js';
import { MAX_DEFAULT_THRESHOLD_CENTS, WELCOME_TEXT_MAX, type PortalSettingsView } from '../../../api/settings-screens.js';
import { api } from '../api.js';
import { SettingsForm, valueOf } from '../forms.js';
import { TextAreaField, TextField, WhenLoaded, euros, useLoad } from '../ui.js';
import { BookingHorizonCard } from './booking-horizon.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Portail": the portal's public address (letters, reset links, mails, PayFiP's
 * return), the booking horizon (the activities page's own card, not a copy), the alert threshold
 * new families start with, and the sign-in page's welcome text.
 */
export function PortalSection() {
  const state = useLoad(() => api.call('staff.portalSettings'), []);
  return (
    <>
      <WhenLoaded state={state}>{(v) => <PortalForm initial={v} onSaved={(next) => state.setData(next)} />}</WhenLoaded>
      <BookingHorizonCard admin />
    </>
  );
}

/** "10,00" for 1000 cents, as the field shows it. */
const eurosText = (cents: number) => euros(cents).replace(/\s*€$/, '');

function PortalForm({ initial, onSaved }: { initial: PortalSettingsView; onSaved: (v: PortalSettingsView) => void }) {
  const { errors, busy, submit } = useSettingsSave();
  const [publicUrl, setPublicUrl] = useState(initial.publicUrl);
  const [threshold, setThreshold] = useState(eurosText(initial.lowBalanceThresholdCents));
  const [welcomeText, setWelcomeText] = useState(initial.welcomeText);
  const [current, setCurrent] = useState(initial);

  const save = submit(async () => {
    const lowBalanceThresholdCents = valueOf(parseEuroCents(threshold, { label: 'Seuil d’alerte par défaut', min: 0, max: MAX_DEFAULT_THRESHOLD_CENTS }), 'lowBalanceThresholdCents');
    const saved = await api.call('staff.savePortalSettings', { body: { publicUrl, lowBalanceThresholdCents, welcomeText } });
    setPublicUrl(saved.publicUrl);
    setCurrent(saved);
    onSaved(saved);
  }, 'Réglages du portail enregistrés.');

  return (
    <section className="card" aria-labelledby="portal-form-title">
      <h3 id="portal-form-title">Adresse, alerte et accueil</h3>
      <SettingsForm errors={errors.value} busy={busy} onSubmit={save} className="form two-columns">
        <div className="full">
          <TextField
            label="Adresse publique du portail"
            field="publicUrl"
            inputMode="url"
            maxLength={200}
            value={publicUrl}
            onChange={setPublicUrl}
            placeholder={current.fallbackUrl}
            hint={`Imprimée sur les courriers de bienvenue et dans les mails ; laissez vide pour garder ${current.fallbackUrl}. En service : ${current.effectiveUrl}`}
          />
        </div>
        <TextField
          label="Seuil d’alerte par défaut (€)"
          field="lowBalanceThresholdCents"
          inputMode="decimal"
          maxLength={12}
          value={threshold}
          onChange={setThreshold}
          hint="Le solde sous lequel une nouvelle famille est prévenue ; chaque famille peut ensuite choisir le sien."
        />
        <div className="full">
          <TextAreaField
            label="Texte d’accueil de la page de connexion"
            field="welcomeText"
            rows={4}
            maxLength={WELCOME_TEXT_MAX}
            value={welcomeText}
            onChange={setWelcomeText}
            hint={`Texte simple, affiché aux familles avant la connexion (${WELCOME_TEXT_MAX} caractères au plus).`}
          />
        </div>
      </SettingsForm>
    </section>
  );
}
