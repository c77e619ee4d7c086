import { useEffect, useRef, useState, type FormEvent } from 'react';
import { parseInteger } from '../../../api/numbers.js';
import { ADULT_MEALS_MAX, CATERER_MAX_DAYS, type CatererDay, type CatererFigures, type CatererOrderView } from '../../../api/routes/staff-caterer.js';
import { api, saveDownload } from '../api.js';
import { CellInput, FieldError, FormErrorsProvider, useFormErrors, valueOf } from '../forms.js';
import { useSession } from '../session.js';
import { addDays, formatDay, formatLongDay, mondayOf, Notice, PageHeader, PdfViewer, TableHead, TextField, useAction, useLoad, useToast, WhenLoaded } from '../ui.js';

/**
 * "Commande traiteur": the meals to order per school and day over a range (next week by
 * default), by diet, with allergies and PAI, the adults' meals the kitchen enters, and the
 * pointage's actual count for days gone by. PDF and Excel for the caterer. No money figure.
 */

const ADULTS_RULE = { label: 'Repas adultes', min: 0, max: ADULT_MEALS_MAX };
const dayNumber = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;

function rangeProblem(from: string, to: string): string | null {
  if (!from || !to) return 'Choisissez le premier et le dernier jour.';
  if (to < from) return 'La date de fin doit suivre la date de début.';
  if (dayNumber(to) - dayNumber(from) + 1 > CATERER_MAX_DAYS) return `La période est limitée à ${CATERER_MAX_DAYS} jours (environ trois mois).`;
  return null;
}

const adultKey = (date: string, schoolId: number) => `adults.${date}.${schoolId}`;

function figureCells(order: CatererOrderView, f: CatererFigures) {
  return [
    ...order.diets.map((d) => <td key={d.code} className="num">{f.byDiet[d.code] ?? 0}</td>),
    <td key="allergies" className="num">{f.allergies}</td>,
    <td key="pai" className="num">{f.pai}</td>,
  ];
}

function actualText(f: CatererFigures, past: boolean): string {
  if (f.actual != null) return String(f.actual);
  return past ? 'non pointé' : '—';
}

export function CatererPage() {
  const { reference } = useSession();
  const nextMonday = mondayOf(addDays(reference.today, 7));
  const [from, setFrom] = useState(nextMonday);
  const [to, setTo] = useState(addDays(nextMonday, 4));
  const [pdf, setPdf] = useState(false);
  const problem = rangeProblem(from, to);
  const query = { from, to };
  const order = useLoad<CatererOrderView | undefined>(() => (problem ? Promise.resolve(undefined) : api.call('staff.catererOrder', { query })), [from, to]);
  const { busy, run } = useAction();
  const pick = (f: string, t: string) => {
    setFrom(f);
    setTo(t);
  };
  return (
    <>
      <PageHeader title="Commande traiteur">
        <div className="button-row">
          <button type="button" onClick={() => pick(mondayOf(reference.today), addDays(mondayOf(reference.today), 4))}>
            Cette semaine
          </button>
          <button type="button" onClick={() => pick(nextMonday, addDays(nextMonday, 4))}>
            Semaine prochaine
          </button>
        </div>
      </PageHeader>
      <div className="filters">
        <TextField label="Du" type="date" value={from} onChange={setFrom} />
        <TextField label="Au" type="date" value={to} onChange={setTo} />
        <div className="button-row">
          <button type="button" className="primary" disabled={!!problem} onClick={() => setPdf(true)}>
            Commande PDF
          </button>
          <button
            type="button"
            disabled={!!problem || busy}
            onClick={() => run(() => saveDownload(api.download('staff.catererOrderXlsx', { query }), `commande-traiteur-${from}-${to}.xlsx`))}
          >
            Exporter en Excel
          </button>
        </div>
      </div>
      {problem ? (
        <Notice kind="error">{problem}</Notice>
      ) : (
        <WhenLoaded state={order}>{(o) => (o ? <OrderTable order={o} onSaved={order.reload} /> : null)}</WhenLoaded>
      )}
      {pdf && !problem ? (
        <PdfViewer
          file={api.file('staff.catererOrderPdf', { query })}
          filename={`commande-traiteur-${from}-${to}.pdf`}
          title={`Commande traiteur du ${formatDay(from)} au ${formatDay(to)}`}
          onClose={() => setPdf(false)}
        />
      ) : null}
    </>
  );
}

/** The order's table, one row per day and school, the adults editable; one button saves the changed ones. */
function OrderTable({ order, onSaved }: { order: CatererOrderView; onSaved: () => Promise<void> }) {
  const toast = useToast();
  const form = useFormErrors();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  // A double click submits once: the ref holds before React re-renders the disabled button.
  const inFlight = useRef(false);
  const initial = (day: CatererDay, schoolId: number) => String(day.cells.find((c) => c.schoolId === schoolId)?.adults ?? 0);
  useEffect(() => setTexts({}), [order.from, order.to]);
  const schoolName = new Map(order.schools.map((s) => [s.id, s.name]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    form.reset();
    setSaving(true);
    try {
      const changes: Array<{ schoolId: number; date: string; count: number }> = [];
      for (const day of order.days) {
        for (const c of day.cells) {
          if (c.schoolId == null) continue;
          const k = adultKey(day.date, c.schoolId);
          const text = texts[k];
          if (text === undefined || text.trim() === String(c.adults)) continue;
          changes.push({ schoolId: c.schoolId, date: day.date, count: valueOf(parseInteger(text, ADULTS_RULE), k) });
        }
      }
      if (changes.length === 0) {
        toast('ok', 'Aucun changement à enregistrer.');
        return;
      }
      for (const ch of changes) {
        try {
          await api.call('staff.setAdultMeals', { body: ch });
        } catch (err) {
          // The server names the field "count": show it next to the row's own input.
          throw err instanceof FieldError ? err : new FieldError(adultKey(ch.date, ch.schoolId), (err as Error).message);
        }
      }
      setTexts({});
      await onSaved();
      toast('ok', changes.length === 1 ? 'Repas adultes enregistrés.' : `${changes.length} saisies de repas adultes enregistrées.`);
    } catch (err) {
      if (!form.capture(err)) toast('error', (err as Error).message);
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  };

  if (order.days.length === 0) return <Notice kind="info">Aucun jour de repas sur cette période.</Notice>;
  const columns = [
    'Jour',
    'École',
    ...order.diets.map((d) => ({ label: d.label, num: true })),
    { label: 'Allergies', num: true },
    { label: 'PAI', num: true },
    { label: 'Enfants', num: true },
    { label: 'Adultes', num: true },
    { label: 'Total', num: true },
    { label: 'Réel (pointage)', num: true },
  ];
  return (
    <FormErrorsProvider value={form.value}>
      <form onSubmit={submit} noValidate className="card">
        <h2>
          {order.totals.total} repas du {formatDay(order.from)} au {formatDay(order.to)} : {order.totals.children} enfants, {order.totals.adults} adultes
        </h2>
        <p className="muted">Allergies : {order.totals.allergies} — PAI : {order.totals.pai}. Les repas adultes sont saisis par la cuisine (0 à {ADULT_MEALS_MAX}).</p>
        <table className="table caterer-order">
          <caption className="sr-only">Repas par école et par jour</caption>
          <TableHead columns={columns} />
          <tbody>
            {order.days.map((day) => [
              ...day.cells.map((c, i) => (
                <tr key={`${day.date}-${c.schoolId ?? 'x'}`}>
                  {i === 0 ? <th scope="row" rowSpan={day.cells.length + 1}>{formatLongDay(day.date)}</th> : null}
                  <td>{schoolName.get(c.schoolId)}</td>
                  {figureCells(order, c)}
                  <td className="num">{c.children}</td>
                  <td className="num">
                    {c.schoolId == null ? (
                      c.adults
                    ) : (
                      <CellInput
                        field={adultKey(day.date, c.schoolId)}
                        label={`Repas adultes, ${schoolName.get(c.schoolId)}, ${formatLongDay(day.date)}`}
                        inputMode="numeric"
                        value={texts[adultKey(day.date, c.schoolId)] ?? initial(day, c.schoolId)}
                        onChange={(x) => setTexts((t) => ({ ...t, [adultKey(day.date, c.schoolId!)]: x }))}
                      />
                    )}
                  </td>
                  <td className="num">
                    <strong>{c.total}</strong>
                  </td>
                  <td className="num">{actualText(c, day.past)}</td>
                </tr>
              )),
              <tr key={`${day.date}-total`} className="total-row">
                <td>Total du jour</td>
                {figureCells(order, day.totals)}
                <td className="num">{day.totals.children}</td>
                <td className="num">{day.totals.adults}</td>
                <td className="num">
                  <strong>{day.totals.total}</strong>
                </td>
                <td className="num">{actualText(day.totals, day.past)}</td>
              </tr>,
            ])}
          </tbody>
        </table>
        <div className="button-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Enregistrement…' : 'Enregistrer les repas adultes'}
          </button>
        </div>
      </form>
    </FormErrorsProvider>
  );
}
