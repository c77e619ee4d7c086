import type { ActivityTemplate, SetupActivity } from '../../../api/setup.js';
import { FieldError } from '../forms.js';
import { Check, TextField, WeekdayChecks, euros } from '../ui.js';
import { parseEuroCents, valueOrNull } from '../../../api/numbers.js';
import { FieldMessage } from './setup-fields.js';

/**
 * Step "Activités" of the setup: the template's four services, each kept (and edited) or
 * unticked. Numbers stay text while typed; they are read when the step is sent.
 */
export interface ActivityRow {
  template: ActivityTemplate;
  included: boolean;
  name: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  price: string;
  bookDaysBefore: string;
  bookUntilTime: string;
  cancelDaysBefore: string;
  cancelUntilTime: string;
}

export const activityRow = (t: ActivityTemplate): ActivityRow => ({
  template: t,
  included: true,
  name: t.name,
  weekdays: [...t.weekdays],
  startTime: t.startTime,
  endTime: t.endTime,
  // "3,10" without the euro sign: what the agent types back.
  price: euros(t.priceCents).replace(/\s*€$/, ''),
  bookDaysBefore: String(t.bookDaysBefore),
  bookUntilTime: t.bookUntilTime,
  cancelDaysBefore: String(t.cancelDaysBefore),
  cancelUntilTime: t.cancelUntilTime,
});

function days(text: string, field: string): number {
  const n = Number(text.trim());
  if (!/^\d{1,2}$/.test(text.trim()) || n > 30) throw new FieldError(field, 'Délai : un nombre de jours de 0 à 30.');
  return n;
}

/** The rows as the server expects them; throws a FieldError for a number that does not read. */
export function activitiesPayload(rows: ActivityRow[]): SetupActivity[] {
  return rows.map((r, i) => {
    const f = (name: string) => `activities.${i}.${name}`;
    if (!r.included) return { code: r.template.code, included: false };
    const priceCents = valueOrNull(parseEuroCents(r.price, { label: 'Prix', min: 0 }));
    if (priceCents === null) throw new FieldError(f('priceCents'), 'Prix : montant invalide, par exemple 3,10.');
    return {
      code: r.template.code,
      included: true,
      name: r.name,
      weekdays: r.weekdays,
      startTime: r.startTime,
      endTime: r.endTime,
      priceCents,
      bookDaysBefore: days(r.bookDaysBefore, f('bookDaysBefore')),
      bookUntilTime: r.bookUntilTime,
      cancelDaysBefore: days(r.cancelDaysBefore, f('cancelDaysBefore')),
      cancelUntilTime: r.cancelUntilTime,
    };
  });
}

export function ActivitiesStep({ rows, onChange }: { rows: ActivityRow[]; onChange: (rows: ActivityRow[]) => void }) {
  const update = (i: number, patch: Partial<ActivityRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <p className="muted">
        Les quatre services habituels, à garder tels quels, modifier ou décocher. Un seul prix par activité pour commencer : les tarifs par quotient familial se
        règlent ensuite dans « Activités et tarifs ».
      </p>
      <FieldMessage field="activities" />
      {rows.map((r, i) => {
        const f = (name: string) => `activities.${i}.${name}`;
        const set = (key: keyof ActivityRow) => (text: string) => update(i, { [key]: text });
        return (
          <fieldset key={r.template.code} className="setup-activity">
            <legend>{r.template.name}</legend>
            <Check label={`Proposer « ${r.template.name} »`} checked={r.included} onChange={(included) => update(i, { included })} />
            {r.included ? (
              <>
                <p className="muted small">Payée sur le porte-monnaie « {r.template.walletLabel} ».</p>
                <div className="setup-grid">
                  <TextField label="Nom" field={f('name')} required maxLength={120} value={r.name} onChange={set('name')} />
                  <TextField label="Début" field={f('startTime')} type="time" required value={r.startTime} onChange={set('startTime')} />
                  <TextField label="Fin" field={f('endTime')} type="time" required value={r.endTime} onChange={set('endTime')} />
                  <TextField label="Prix (€)" field={f('priceCents')} inputMode="decimal" required value={r.price} onChange={set('price')} />
                  <TextField label="Réserver jusqu’à J-" field={f('bookDaysBefore')} inputMode="numeric" required value={r.bookDaysBefore} onChange={set('bookDaysBefore')} hint="jours ouvrés avant" />
                  <TextField label="à (heure limite de réservation)" field={f('bookUntilTime')} type="time" required value={r.bookUntilTime} onChange={set('bookUntilTime')} />
                  <TextField label="Annuler jusqu’à J-" field={f('cancelDaysBefore')} inputMode="numeric" required value={r.cancelDaysBefore} onChange={set('cancelDaysBefore')} hint="jours ouvrés avant" />
                  <TextField label="à (heure limite d’annulation)" field={f('cancelUntilTime')} type="time" required value={r.cancelUntilTime} onChange={set('cancelUntilTime')} />
                </div>
                <WeekdayChecks legend={`Jours de « ${r.name || r.template.name} »`} weekdays={[1, 2, 3, 4, 5, 6]} value={r.weekdays} onChange={(weekdays) => update(i, { weekdays })} />
                <FieldMessage field={f('weekdays')} />
              </>
            ) : null}
          </fieldset>
        );
      })}
    </>
  );
}
