import { useRef, useState } from 'react';
import type { CellState, GridCell, GridRow, WeekGridResponse } from '../../../api/parent.js';
import type { StaffBookingResult } from '../../../api/staff.js';
import { api } from '../api.js';
import { addDays, Balances, Field, ModalForm, Money, Notice, TextField, useAction, useLoad, WeekdayChecks } from '../ui.js';
import { isoWeekday } from '../../../api/dates.js';

/**
 * The parents' week grid (the guide's five cell states), as the secretariat uses it: the same
 * cells and rules, plus a "dérogation" switch that lets an agent book or cancel past the
 * deadlines; every such change is written to the journal as booking.override by the server.
 */

export const STATE_LABELS: Record<CellState, string> = {
  open: 'non inscrit, inscription ouverte',
  booked: 'inscrit',
  locked: 'non inscrit, inscription close',
  booked_locked: 'inscrit, désinscription close',
  closed: 'activité fermée',
};

const LEGEND: Array<{ state: CellState; text: string }> = [
  { state: 'open', text: 'Inscription ouverte, enfant non inscrit' },
  { state: 'booked', text: 'Inscription ouverte, enfant inscrit (coche orange)' },
  { state: 'locked', text: 'Non inscrit, inscription close' },
  { state: 'booked_locked', text: 'Inscrit, désinscription close' },
  { state: 'closed', text: 'Activité fermée (vacances, fermeture…)' },
];

export function StateIcon({ state }: { state: CellState }) {
  switch (state) {
    case 'open':
      return (
        <svg className="icon icon-open" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="12" cy="12" r="9" fill="#fff" stroke="currentColor" strokeWidth="2" />
        </svg>
      );
    case 'booked':
      return (
        <svg className="icon icon-booked" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="12" cy="12" r="10" fill="currentColor" />
          <path d="M7 12.5l3.2 3.2L17.5 8.5" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'locked':
      return (
        <svg className="icon icon-locked" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="12" cy="12" r="9" fill="#fff" stroke="currentColor" strokeWidth="2" strokeDasharray="3 2.2" />
          <rect x="8.5" y="11" width="7" height="5.5" rx="1" fill="currentColor" />
          <path d="M10 11V9.5a2 2 0 014 0V11" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
      );
    case 'booked_locked':
      return (
        <svg className="icon icon-booked-locked" viewBox="0 0 24 24" aria-hidden="true">
          <rect x="2.5" y="2.5" width="19" height="19" rx="4" fill="currentColor" />
          <path d="M6.5 12.5l3.2 3.2L17 8.5" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'closed':
      return (
        <svg className="icon icon-closed" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M7 7l10 10M17 7L7 17" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
        </svg>
      );
  }
}

function actionFor(state: CellState, override: boolean): 'book' | 'cancel' | null {
  if (state === 'open') return 'book';
  if (state === 'booked') return 'cancel';
  if (override && state === 'locked') return 'book';
  if (override && state === 'booked_locked') return 'cancel';
  return null;
}


interface TemplateTarget {
  childId: number;
  firstName: string;
  row: GridRow;
}

/** What a batch did, in one sentence for the agent. */
function describeBatch(result: StaffBookingResult): { kind: 'ok' | 'error'; text: string } {
  const done = result.results.filter((r) => r.outcome === 'done').length;
  const refused = result.results.filter((r) => r.outcome === 'refused');
  const text = `Semaine type appliquée : ${done} case(s) modifiée(s)${refused.length ? `, ${refused.length} refusée(s) (${refused[0]!.message ?? 'date limite dépassée'})` : ''}.`;
  return { kind: refused.length && !done ? 'error' : 'ok', text };
}

/**
 * "semaine type" for one child and one activity, as on the portal: over the period, the ticked
 * weekdays are booked and the activity's other served days cancelled, within the deadlines.
 */
function TemplateWeekModal({ familyId, grid, target, onClose, onDone }: { familyId: number; grid: WeekGridResponse; target: TemplateTarget; onClose: () => void; onDone: (result: StaffBookingResult) => void }) {
  const served = [1, 2, 3, 4, 5, 6, 7].filter((wd) => target.row.cells.some((c) => isoWeekday(c.date) === wd && c.state !== 'closed') || wd <= 5);
  const [days, setDays] = useState<number[]>(() => target.row.cells.filter((c) => c.state === 'booked' || c.state === 'booked_locked').map((c) => isoWeekday(c.date)));
  const [from, setFrom] = useState(grid.nextWeek);
  const [to, setTo] = useState(addDays(grid.nextWeek, 27));
  const submit = () => {
    if (to < from) return Promise.reject(new Error('La date de fin doit suivre la date de début.'));
    return api.call('staff.applyTemplateWeek', {
      params: { id: familyId },
      body: { childId: target.childId, from, to, pattern: [{ activityId: target.row.activityId, weekdays: [...days].sort() }] },
    });
  };
  return (
    <ModalForm
      title={`Semaine type — ${target.row.activityName} pour ${target.firstName}`}
      submitLabel="Appliquer la semaine type"
      onClose={onClose}
      onDone={(result) => onDone(result as StaffBookingResult)}
      onSubmit={submit}
    >
      <WeekdayChecks legend="Jours à réserver chaque semaine" weekdays={served} value={days} onChange={setDays} />
      <div className="row">
        <TextField label="Du" type="date" required value={from} onChange={setFrom} />
        <TextField label="Au" type="date" required value={to} onChange={setTo} />
      </div>
      <p className="muted small">
        Sur cette période, les jours cochés sont réservés et les autres jours de {target.row.activityName} sont annulés. Les jours fermés et ceux dont la date limite est dépassée ne changent pas (la
        dérogation se fait case par case).
      </p>
    </ModalForm>
  );
}

/** Two clicks on one cell closer than this are one intent (a double-click), not book then cancel. */
const DOUBLE_CLICK_MS = 500;

export function PlanningGrid({ familyId, initialWeek, onChanged }: { familyId: number; initialWeek?: string; onChanged?: () => void }) {
  const [week, setWeek] = useState<string | undefined>(initialWeek);
  const [override, setOverride] = useState(false);
  // A dérogation says why (the journal keeps it); its error stays next to the field until edited.
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [template, setTemplate] = useState<TemplateTarget | null>(null);
  const grid = useLoad(() => api.call('staff.familyPlanning', { params: { id: familyId }, query: { week } }), [familyId, week]);
  const { run } = useAction();
  // The second click of a double-click may land after the grid reloaded: it must not undo the first.
  const lastClick = useRef<{ key: string; at: number } | null>(null);

  const click = async (childId: number, childName: string, activityId: number, activityName: string, cell: GridCell, at: number) => {
    const action = actionFor(cell.state, override);
    if (!action) return;
    const key = `${childId}|${activityId}|${cell.date}`;
    const overriding = override && (cell.state === 'locked' || cell.state === 'booked_locked');
    if (overriding && reason.trim().length < 3) {
      setReasonError('Dérogation : indiquez le motif (au moins 3 caractères).');
      document.querySelector<HTMLElement>('[data-field="overrideReason"]')?.focus();
      return;
    }
    // Only a click that sends something starts the double-click window.
    if (lastClick.current?.key === key && at - lastClick.current.at < DOUBLE_CLICK_MS) return;
    lastClick.current = { key, at };
    setPending(key);
    setMessage(null);
    const result = await run(() =>
      api.call('staff.changePlanning', {
        params: { id: familyId },
        body: { changes: [{ childId, activityId, date: cell.date, action }], override: overriding, ...(overriding ? { overrideReason: reason.trim() } : {}) },
      }),
    );
    setPending(null);
    const outcome = result?.results[0];
    if (outcome?.outcome === 'refused') setMessage({ kind: 'error', text: outcome.message ?? 'Modification refusée.' });
    else if (outcome?.outcome === 'done') {
      setMessage({ kind: 'ok', text: `${childName} — ${activityName} le ${cell.date.split('-').reverse().join('/')} : ${action === 'book' ? 'inscrit' : 'désinscrit'}.` });
      onChanged?.();
    }
    grid.reload();
  };

  const g = grid.data;
  return (
    <section className="planning" aria-label="Planning de la semaine">
      <div className="planning-bar">
        <button type="button" onClick={() => g && setWeek(g.previousWeek)} disabled={!g}>
          ← semaine précédente
        </button>
        <strong className="week-title">{g ? `Semaine du ${g.days[0]?.label ?? g.weekStart} au ${g.days[6]?.label ?? g.weekEnd}` : 'Chargement…'}</strong>
        <button type="button" onClick={() => g && setWeek(g.nextWeek)} disabled={!g}>
          semaine suivante →
        </button>
        <label className={`override ${override ? 'on' : ''}`}>
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />
          Dérogation aux dates limites
        </label>
      </div>
      {override ? (
        <div className="override-reason">
          <Notice kind="warn">Dérogation active : les cases closes peuvent être modifiées. Chaque modification est inscrite au journal avec son motif.</Notice>
          <Field label="Motif de la dérogation" hint="Par exemple : oubli signalé par téléphone, absence pour maladie." error={reasonError}>
            <input
              data-field="overrideReason"
              required
              maxLength={200}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(undefined);
              }}
            />
          </Field>
        </div>
      ) : null}
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {grid.error ? <Notice kind="error">{grid.error}</Notice> : null}
      {g ? (
        <>
          <Balances balances={g.balances} />
          {g.children.map((child) => (
            <table key={child.childId} className="grid" aria-label={`Planning de ${child.firstName}`}>
              <thead>
                <tr>
                  <th scope="col" className="grid-child">
                    {child.firstName} <span className="muted">{child.className}</span>
                  </th>
                  {g.days.map((d) => (
                    <th key={d.date} scope="col">
                      {d.label}
                    </th>
                  ))}
                </tr>
              </thead>
              {child.periods.map((period) => (
                <tbody key={period.label}>
                  <tr className="period">
                    <th colSpan={8} scope="rowgroup">
                      {period.label}
                    </th>
                  </tr>
                  {period.rows.map((row) => (
                    <tr key={row.activityId}>
                      <th scope="row">
                        {row.activityName}
                        {row.priceCents != null ? (
                          <span className="muted small">
                            {' '}
                            <Money cents={row.priceCents} />
                          </span>
                        ) : null}
                        <button
                          type="button"
                          className="link-button small"
                          aria-label={`Semaine type : ${row.activityName} pour ${child.firstName}`}
                          onClick={() => setTemplate({ childId: child.childId, firstName: child.firstName, row })}
                        >
                          semaine type
                        </button>
                      </th>
                      {row.cells.map((cell) => {
                        const action = actionFor(cell.state, override);
                        const key = `${child.childId}|${row.activityId}|${cell.date}`;
                        const day = g.days.find((d) => d.date === cell.date);
                        const label = `${child.firstName} ${row.activityName} ${day?.label ?? cell.date} : ${STATE_LABELS[cell.state]}`;
                        return (
                          <td key={cell.date}>
                            <button
                              type="button"
                              className={`cell cell-${cell.state} ${pending === key ? 'cell-pending' : ''}`}
                              data-state={cell.state}
                              data-date={cell.date}
                              aria-label={label}
                              title={cell.reason ? `${STATE_LABELS[cell.state]} — ${cell.reason}` : STATE_LABELS[cell.state]}
                              disabled={!action || pending !== null}
                              onClick={(e) => click(child.childId, child.firstName, row.activityId, row.activityName, cell, e.timeStamp)}
                            >
                              <StateIcon state={cell.state} />
                            </button>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          ))}
          <ul className="legend">
            {LEGEND.map((l) => (
              <li key={l.state}>
                <StateIcon state={l.state} /> {l.text}
              </li>
            ))}
          </ul>
          {template ? (
            <TemplateWeekModal
              familyId={familyId}
              grid={g}
              target={template}
              onClose={() => setTemplate(null)}
              onDone={(result) => {
                setMessage(describeBatch(result));
                grid.reload();
                onChanged?.();
              }}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
