import { useState } from 'react';
import { parseInteger } from '../../../api/numbers.js';
import { SESSION_BOUNDS, durationFr, type SecuritySettings } from '../../../api/settings-screens.js';
import { api } from '../api.js';
import { FieldError, SettingsForm, useFieldError } from '../forms.js';
import { Field, WhenLoaded, useLoad } from '../ui.js';
import { useSettingsSave } from './settings-form.js';

/**
 * "Paramètres › Sécurité": how long a connection lasts, for the families and for the agents:
 * after some time without activity, and at most in all. Typed in hours and minutes.
 */
export function SecuritySection() {
  const state = useLoad(() => api.call('staff.securitySettings'), []);
  return <WhenLoaded state={state}>{(v) => <SecurityForm initial={v} />}</WhenLoaded>;
}

type Key = keyof SecuritySettings;
const GROUPS: Array<{ title: string; keys: Array<{ key: Key; label: string; hint: string }> }> = [
  {
    title: 'Familles (portail)',
    keys: [
      { key: 'parentIdleMinutes', label: 'Déconnexion après une inactivité de', hint: 'Sur un téléphone prêté ou un ordinateur partagé, une durée courte protège le dossier.' },
      { key: 'parentAbsoluteMinutes', label: 'Durée maximale d’une connexion', hint: 'Même en activité, la famille se reconnecte au-delà.' },
    ],
  },
  {
    title: 'Agents (console)',
    keys: [
      { key: 'staffIdleMinutes', label: 'Déconnexion après une inactivité de', hint: 'Un poste d’accueil laissé ouvert se ferme seul.' },
      { key: 'staffAbsoluteMinutes', label: 'Durée maximale d’une connexion', hint: 'Une journée de travail, en général.' },
    ],
  },
];

type Typed = Record<Key, { h: string; m: string }>;
const split = (s: SecuritySettings): Typed =>
  Object.fromEntries((Object.keys(s) as Key[]).map((k) => [k, { h: String(Math.floor(s[k] / 60)), m: String(s[k] % 60) }])) as Typed;

function minutesOf(key: Key, typed: { h: string; m: string }): number {
  const label = SESSION_BOUNDS[key].label;
  const h = parseInteger(typed.h || '0', { label: `${label} (heures)`, min: 0, max: 24 * 30 });
  const m = parseInteger(typed.m || '0', { label: `${label} (minutes)`, min: 0, max: 59 });
  if (!h.ok) throw new FieldError(key, h.message);
  if (!m.ok) throw new FieldError(key, m.message);
  return h.value * 60 + m.value;
}

function SecurityForm({ initial }: { initial: SecuritySettings }) {
  const { errors, busy, submit } = useSettingsSave();
  const [typed, setTyped] = useState(() => split(initial));
  const save = submit(async () => {
    const body = Object.fromEntries((Object.keys(typed) as Key[]).map((k) => [k, minutesOf(k, typed[k])])) as SecuritySettings;
    const saved = await api.call('staff.saveSecuritySettings', { body });
    setTyped(split(saved));
  }, 'Durées de connexion enregistrées : elles valent aussi pour les connexions en cours.');
  return (
    <section className="card" aria-labelledby="security-form-title">
      <h3 id="security-form-title">Durée des connexions</h3>
      <SettingsForm errors={errors.value} busy={busy} onSubmit={save}>
        {GROUPS.map((g) => (
          <fieldset key={g.title}>
            <legend>{g.title}</legend>
            {g.keys.map(({ key, label, hint }) => (
              <Duration key={key} field={key} label={label} hint={`${hint} Entre ${durationFr(SESSION_BOUNDS[key].min)} et ${durationFr(SESSION_BOUNDS[key].max)}.`} value={typed[key]} onChange={(v) => setTyped((t) => ({ ...t, [key]: v }))} />
            ))}
          </fieldset>
        ))}
      </SettingsForm>
    </section>
  );
}

/** Hours and minutes of one duration; the form's error for `field` shows under them. */
function Duration({ field, label, hint, value, onChange }: { field: Key; label: string; hint: string; value: { h: string; m: string }; onChange: (v: { h: string; m: string }) => void }) {
  const { error, clear } = useFieldError(field);
  const errorId = `${field}-error`;
  const hintId = `${field}-hint`;
  const described = [error ? errorId : null, hintId].filter(Boolean).join(' ');
  return (
    <fieldset className="duration-group" aria-describedby={described}>
      <legend>{label}</legend>
      <div className="duration">
        <Field label="Heures">
          <input data-field={field} inputMode="numeric" maxLength={3} value={value.h} aria-invalid={error ? true : undefined} onChange={(e) => {
              clear();
              onChange({ ...value, h: e.target.value });
            }} />
        </Field>
        <Field label="Minutes">
          <input inputMode="numeric" maxLength={2} value={value.m} aria-invalid={error ? true : undefined} onChange={(e) => {
              clear();
              onChange({ ...value, m: e.target.value });
            }} />
        </Field>
      </div>
      {error ? (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
      <span className="field-hint" id={hintId}>
        {hint}
      </span>
    </fieldset>
  );
}
