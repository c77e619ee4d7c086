import { useEffect, useRef, useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import type {
  BookingAction,
  BookingResultResponse,
  CellState,
  GridCell,
  GridRow,
  InsufficientBalanceDetails,
  SubscriptionChangeResponse,
  SubscriptionView,
  WeekGridResponse,
} from '../../../api/parent.js';
import { api, ApiError } from '../api.js';
import { addDays, formatDate, formatDateNumeric, formatEuros, isoWeekday } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useApi } from '../hooks.js';
import { StateIcon, STATE_LEGEND, STATE_SHORT } from '../icons.js';
import { useAnnounce } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';

type Child = WeekGridResponse['children'][number];
type Day = WeekGridResponse['days'][number];

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

const ACTIONABLE = new Set<CellState>(['open', 'booked']);

interface Shortfall {
  missingCents: number;
  walletLabel: string;
  walletId: number;
}

interface Feedback {
  kind: 'success' | 'error';
  text: string;
}

/** "lundi 09/03" from the day's date: the guide's column header. */
const dayLabel = (day: Day) => day.label;

function withCellStates(grid: WeekGridResponse, updates: Array<{ childId: number; activityId: number; date: string; state: CellState }>): WeekGridResponse {
  if (updates.length === 0) return grid;
  const key = (c: number, a: number, d: string) => `${c}|${a}|${d}`;
  const byKey = new Map(updates.map((u) => [key(u.childId, u.activityId, u.date), u.state]));
  return {
    ...grid,
    children: grid.children.map((child) => ({
      ...child,
      periods: child.periods.map((p) => ({
        ...p,
        rows: p.rows.map((row) => ({
          ...row,
          cells: row.cells.map((cell) => {
            const s = byKey.get(key(child.childId, row.activityId, cell.date));
            return s ? { ...cell, state: s } : cell;
          }),
        })),
      })),
    })),
  };
}

/** The cells a "toutes les activités" or "toute la semaine" button acts on, and what it does: cancel when all are booked. */
function batchOf(candidates: GridCell[]): { cells: GridCell[]; action: BookingAction } {
  const cells = candidates.filter((c) => ACTIONABLE.has(c.state));
  const allBooked = cells.length > 0 && cells.every((c) => c.state === 'booked');
  return { cells, action: allBooked ? 'cancel' : 'book' };
}

function summarise(results: BookingResultResponse['results']): { text: string; refusedMessage?: string } {
  const booked = results.filter((r) => r.outcome === 'done' && r.action === 'book').length;
  const cancelled = results.filter((r) => r.outcome === 'done' && r.action === 'cancel').length;
  const refused = results.filter((r) => r.outcome === 'refused');
  const parts: string[] = [];
  if (booked) parts.push(`${booked} réservation${booked > 1 ? 's' : ''} faite${booked > 1 ? 's' : ''}`);
  if (cancelled) parts.push(`${cancelled} annulation${cancelled > 1 ? 's' : ''}`);
  if (!booked && !cancelled) parts.push('Aucun changement');
  let text = parts.join(', ') + '.';
  if (refused.length) text += ` ${refused.length} case${refused.length > 1 ? 's' : ''} non modifiée${refused.length > 1 ? 's' : ''} : ${refused[0]!.message ?? 'refusée'}.`;
  return { text, refusedMessage: refused[0]?.message };
}

export function PlanningPage() {
  const { query } = useLocation();
  const week = query.get('semaine');
  const path = week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? `/api/parent/planning?week=${week}` : '/api/parent/planning';
  const { data: grid, error, loading, setData, reload } = useApi<WeekGridResponse>(path);
  const announce = useAnnounce();
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [shortfall, setShortfall] = useState<Shortfall | null>(null);
  const [templateFor, setTemplateFor] = useState<{ child: Child; row: GridRow } | null>(null);
  const [subscriptionsFor, setSubscriptionsFor] = useState<Child | null>(null);

  const showError = (e: unknown) => {
    if (e instanceof ApiError && e.code === 'INSUFFICIENT_BALANCE' && e.details) {
      const d = e.details as unknown as InsufficientBalanceDetails;
      setShortfall({ missingCents: d.missingCents, walletLabel: d.walletLabel, walletId: d.walletId });
    }
    const text = errorMessage(e);
    setFeedback({ kind: 'error', text });
    announce(text, 'alert');
  };

  const applyResult = (res: BookingResultResponse) => {
    setData((g) => (g ? { ...withCellStates(g, res.results), balances: res.balances } : g));
  };

  /** One click books or cancels at once: the cell changes before the server answers, and goes back if it refuses. */
  const toggle = async (child: Child, row: GridRow, cell: GridCell, day: Day) => {
    if (!ACTIONABLE.has(cell.state)) return;
    const key = `${child.childId}|${row.activityId}|${cell.date}`;
    if (pending.has(key)) return;
    const action: BookingAction = cell.state === 'open' ? 'book' : 'cancel';
    const before = cell.state;
    setPending((p) => new Set(p).add(key));
    setData((g) => (g ? withCellStates(g, [{ childId: child.childId, activityId: row.activityId, date: cell.date, state: action === 'book' ? 'booked' : 'open' }]) : g));
    try {
      const res = await api.post<BookingResultResponse>('/api/parent/planning/changes', {
        changes: [{ childId: child.childId, activityId: row.activityId, date: cell.date, action }],
      });
      applyResult(res);
      const r = res.results[0];
      if (r?.outcome === 'refused') {
        const text = `${row.activityName} pour ${child.firstName} le ${dayLabel(day)} : ${r.message ?? 'modification refusée'}.`;
        setFeedback({ kind: 'error', text });
        announce(text, 'alert');
      } else {
        setShortfall(null);
        const text =
          action === 'book'
            ? `${row.activityName} réservée pour ${child.firstName} le ${dayLabel(day)}.`
            : `Réservation de ${row.activityName} annulée pour ${child.firstName} le ${dayLabel(day)}.`;
        setFeedback({ kind: 'success', text });
        announce(text);
      }
    } catch (e) {
      // Rolled back to what the server last said.
      setData((g) => (g ? withCellStates(g, [{ childId: child.childId, activityId: row.activityId, date: cell.date, state: before }]) : g));
      showError(e);
    } finally {
      setPending((p) => {
        const n = new Set(p);
        n.delete(key);
        return n;
      });
    }
  };

  const runBatch = async (url: string, body: unknown) => {
    setFeedback(null);
    try {
      const res = await api.post<BookingResultResponse>(url, body);
      applyResult(res);
      const s = summarise(res.results);
      if (!res.results.some((r) => r.outcome === 'refused')) setShortfall(null);
      setFeedback({ kind: s.refusedMessage ? 'error' : 'success', text: s.text });
      announce(s.text, s.refusedMessage ? 'alert' : 'status');
      return res;
    } catch (e) {
      showError(e);
      return null;
    } finally {
      void reload();
    }
  };

  const allOfDay = (child: Child, day: Day) => batchOf(child.periods.flatMap((p) => p.rows.map((r) => r.cells.find((c) => c.date === day.date)!)));
  const wholeWeek = (row: GridRow) => batchOf(row.cells);

  return (
    <>
      <h1>Mon Planning</h1>
      <p className="lead">
        Cliquez dans le tableau pour inscrire votre enfant ou annuler son inscription. Aucune validation ou confirmation n’est nécessaire.
      </p>

      {grid && (
        <section className="balances" aria-labelledby="balances-title">
          <h2 id="balances-title" className="h-small">
            Mon solde
          </h2>
          <ul className="balance-list">
            {grid.balances.map((b) => (
              <li key={b.walletId} className={b.balanceCents < 0 ? 'balance balance-negative' : 'balance'}>
                <span className="balance-label">{b.label}</span>
                <span className="balance-amount" data-testid={`solde-${b.code}`}>
                  {formatEuros(b.balanceCents)}
                </span>
              </li>
            ))}
          </ul>
          <Link className="button button-secondary" href="/factures?crediter=1">
            Créditer mon compte
          </Link>
        </section>
      )}

      {shortfall && (
        <div className="notice notice-error shortfall">
          <p>
            Crédit insuffisant : il manque <strong>{formatEuros(shortfall.missingCents)}</strong> sur le porte-monnaie « {shortfall.walletLabel} ».
          </p>
          <Link className="button button-primary" href={`/factures?crediter=${shortfall.walletId}`}>
            Créditer mon compte
          </Link>
        </div>
      )}
      {feedback && !shortfall && <p className={`notice notice-${feedback.kind === 'error' ? 'error' : 'success'}`}>{feedback.text}</p>}

      <ErrorAlert error={grid ? null : error} />
      {loading && !grid && <p className="loading">Chargement du planning…</p>}

      {grid && (
        <>
          <div className="week-nav">
            <button type="button" className="button button-secondary" onClick={() => navigate(`/planning?semaine=${grid.previousWeek}`)}>
              <span aria-hidden="true">‹ </span>semaine précédente
            </button>
            <h2 className="week-title" aria-live="polite">
              Semaine du {formatDate(grid.weekStart)} au {formatDate(grid.weekEnd)}
            </h2>
            <button type="button" className="button button-secondary" onClick={() => navigate(`/planning?semaine=${grid.nextWeek}`)}>
              semaine suivante<span aria-hidden="true"> ›</span>
            </button>
          </div>

          <details className="legend" open>
            <summary>Légende</summary>
            <ul>
              {STATE_LEGEND.map((l) => (
                <li key={l.state}>
                  <span className={`cell cell-static cell-${l.state}`}>
                    <StateIcon state={l.state} />
                  </span>
                  <span>{l.text}</span>
                </li>
              ))}
            </ul>
            <p className="legend-note">
              La <strong className="text-booked">coche orange</strong> indique que votre demande est validée.
            </p>
          </details>

          {grid.children.length === 0 && <p>Aucun enfant n’est inscrit aux services dans votre dossier.</p>}

          {grid.children.map((child) => (
            <section key={child.childId} className="child-planning" aria-labelledby={`child-${child.childId}`}>
              <h2 id={`child-${child.childId}`}>{child.firstName}</h2>
              <div className="grid-scroll" role="region" aria-label={`Planning de ${child.firstName}`} tabIndex={0}>
                <table className="week-grid">
                  <caption className="visually-hidden">
                    Planning de {child.firstName}, semaine du {formatDate(grid.weekStart)} au {formatDate(grid.weekEnd)}
                  </caption>
                  <thead>
                    <tr>
                      <td className="corner" />
                      {grid.days.map((d) => (
                        <th key={d.date} scope="col" className={isoWeekday(d.date) >= 6 ? 'weekend' : undefined}>
                          <span className="day-name">{d.weekdayLabel}</span> <span className="day-date">{d.label.split(' ')[1]}</span>
                        </th>
                      ))}
                      <td className="corner" />
                    </tr>
                    <tr className="day-actions">
                      <td />
                      {grid.days.map((d) => {
                        const { cells, action } = allOfDay(child, d);
                        return (
                          <td key={d.date}>
                            <button
                              type="button"
                              className="link-button small"
                              disabled={cells.length === 0}
                              onClick={() => void runBatch('/api/parent/planning/day', { childId: child.childId, date: d.date, action })}
                            >
                              <span className="visually-hidden">{action === 'book' ? 'Réserver ' : 'Annuler '}</span>
                              toutes les activités
                              <span className="visually-hidden">
                                {' '}
                                pour {child.firstName} le {dayLabel(d)}
                              </span>
                            </button>
                          </td>
                        );
                      })}
                      <td />
                    </tr>
                  </thead>
                  {child.periods.map((period) => (
                    <tbody key={period.label}>
                      <tr className="period-row">
                        <th scope="rowgroup" colSpan={grid.days.length + 2}>
                          {period.label}
                        </th>
                      </tr>
                      {period.rows.map((row) => {
                        const week = wholeWeek(row);
                        return (
                          <tr key={row.activityId}>
                            <th scope="row" className="activity">
                              {row.activityName}
                              {row.priceCents != null && <span className="price">{formatEuros(row.priceCents)}</span>}
                            </th>
                            {row.cells.map((cell, i) => {
                              const day = grid.days[i]!;
                              const key = `${child.childId}|${row.activityId}|${cell.date}`;
                              const where = `${row.activityName} pour ${child.firstName} le ${dayLabel(day)}`;
                              if (ACTIONABLE.has(cell.state)) {
                                const label = cell.state === 'open' ? `Réserver ${where}` : `Annuler ${where}`;
                                return (
                                  <td key={cell.date} className={isoWeekday(cell.date) >= 6 ? 'weekend' : undefined}>
                                    <button
                                      type="button"
                                      className={`cell cell-${cell.state}${pending.has(key) ? ' cell-pending' : ''}`}
                                      aria-label={label}
                                      title={`${label} (${STATE_SHORT[cell.state]})`}
                                      data-state={cell.state}
                                      aria-busy={pending.has(key) || undefined}
                                      onClick={() => void toggle(child, row, cell, day)}
                                    >
                                      <StateIcon state={cell.state} />
                                    </button>
                                  </td>
                                );
                              }
                              const label = `${where} : ${STATE_SHORT[cell.state]}${cell.reason ? ` (${cell.reason})` : ''}`;
                              return (
                                <td key={cell.date} className={isoWeekday(cell.date) >= 6 ? 'weekend' : undefined}>
                                  <span className={`cell cell-static cell-${cell.state}`} role="img" aria-label={label} title={label} data-state={cell.state}>
                                    <StateIcon state={cell.state} />
                                  </span>
                                </td>
                              );
                            })}
                            <td className="row-actions">
                              <button
                                type="button"
                                className="link-button small"
                                disabled={week.cells.length === 0}
                                onClick={() =>
                                  void runBatch('/api/parent/planning/week', {
                                    childId: child.childId,
                                    activityId: row.activityId,
                                    weekStart: grid.weekStart,
                                    action: week.action,
                                  })
                                }
                              >
                                <span className="visually-hidden">{week.action === 'book' ? 'Réserver ' : 'Annuler '}</span>
                                toute la semaine
                                <span className="visually-hidden">
                                  {' '}
                                  : {row.activityName} pour {child.firstName}
                                </span>
                              </button>
                              <button type="button" className="link-button small" onClick={() => setTemplateFor({ child, row })}>
                                semaine type
                                <span className="visually-hidden">
                                  {' '}
                                  : {row.activityName} pour {child.firstName}
                                </span>
                              </button>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  ))}
                </table>
              </div>
              <p>
                <button type="button" className="link-button" onClick={() => setSubscriptionsFor(child)}>
                  je gère mes abonnements
                  <span className="visually-hidden"> pour {child.firstName}</span>
                </button>
              </p>
            </section>
          ))}
        </>
      )}

      {templateFor && grid && (
        <TemplateDialog
          grid={grid}
          child={templateFor.child}
          row={templateFor.row}
          onClose={() => setTemplateFor(null)}
          onApply={async (body) => {
            const res = await runBatch('/api/parent/planning/template', body);
            if (res) setTemplateFor(null);
          }}
        />
      )}
      {subscriptionsFor && grid && <SubscriptionsDialog grid={grid} child={subscriptionsFor} onClose={() => setSubscriptionsFor(null)} onChanged={() => void reload()} />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

/** A native modal <dialog>: focus is trapped and Escape closes it. */
function useModal(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    const opener = document.activeElement as HTMLElement | null;
    return () => opener?.focus?.();
  }, []);
  return { ref, onClose: () => onClose(), onCancel: () => onClose() };
}

/** Weekday check boxes ("lundi" … ) of the template week and of a subscription. */
function WeekdayChecks({
  legend,
  weekdays,
  days,
  setDays,
}: {
  legend: string;
  weekdays: number[];
  days: number[];
  setDays: Dispatch<SetStateAction<number[]>>;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {weekdays.map((wd) => (
          <label key={wd} className="checkbox">
            <input type="checkbox" checked={days.includes(wd)} onChange={(e) => setDays((d) => (e.target.checked ? [...d, wd] : d.filter((x) => x !== wd)))} />
            {WEEKDAY_NAMES[wd - 1]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** "Du" and "Au" dates of a period; `idPrefix` "sub" gives the ids sub-from and sub-to. */
function PeriodFields({
  idPrefix,
  from,
  to,
  setFrom,
  setTo,
}: {
  idPrefix: string;
  from: string;
  to: string;
  setFrom: (value: string) => void;
  setTo: (value: string) => void;
}) {
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>Du</label>
        <input id={`${idPrefix}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>Au</label>
        <input id={`${idPrefix}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
    </div>
  );
}

/** The dialog form's submit button and "Fermer". */
function DialogActions({ submitLabel, busy, onClose }: { submitLabel: string; busy?: boolean; onClose: () => void }) {
  return (
    <div className="dialog-actions">
      <button type="submit" className="button button-primary" disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" className="button button-secondary" onClick={onClose}>
        Fermer
      </button>
    </div>
  );
}

function firstFutureMonday(grid: WeekGridResponse): string {
  const today = new Date().toISOString().slice(0, 10);
  return grid.weekStart > today ? grid.weekStart : grid.nextWeek;
}

function TemplateDialog({
  grid,
  child,
  row,
  onClose,
  onApply,
}: {
  grid: WeekGridResponse;
  child: Child;
  row: GridRow;
  onClose: () => void;
  onApply: (body: unknown) => Promise<void>;
}) {
  const modal = useModal(onClose);
  const served = [1, 2, 3, 4, 5, 6, 7].filter((wd) => wd <= 5 || row.cells.some((c) => isoWeekday(c.date) === wd && c.state !== 'closed'));
  const initiallyBooked = row.cells.filter((c) => c.state === 'booked' || c.state === 'booked_locked').map((c) => isoWeekday(c.date));
  const [days, setDays] = useState<number[]>(initiallyBooked);
  const from0 = firstFutureMonday(grid);
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(addDays(from0, 27));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!from || !to) return setError('Indiquez la période.');
    if (to < from) return setError('La date de fin doit suivre la date de début.');
    setBusy(true);
    try {
      await onApply({ childId: child.childId, from, to, pattern: [{ activityId: row.activityId, weekdays: [...days].sort() }] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="template-title" onClose={modal.onClose} onCancel={modal.onCancel}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="template-title">
          Semaine type — {row.activityName} pour {child.firstName}
        </h2>
        <WeekdayChecks legend="Jours à réserver chaque semaine" weekdays={served} days={days} setDays={setDays} />
        <PeriodFields idPrefix="template" from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <p className="hint">
          Sur cette période, les jours cochés sont réservés et les autres jours de {row.activityName} sont annulés. Les jours fermés et ceux dont la date limite
          est dépassée ne changent pas.
        </p>
        <ErrorAlert error={error} />
        <DialogActions submitLabel="Appliquer la semaine type" busy={busy} onClose={onClose} />
      </form>
    </dialog>
  );
}

function SubscriptionsDialog({ grid, child, onClose, onChanged }: { grid: WeekGridResponse; child: Child; onClose: () => void; onChanged: () => void }) {
  const modal = useModal(onClose);
  const announce = useAnnounce();
  const { data, error: loadError, reload } = useApi<{ subscriptions: SubscriptionView[] }>(`/api/parent/subscriptions?childId=${child.childId}`);
  const rows = child.periods.flatMap((p) => p.rows);
  const [activityId, setActivityId] = useState<number>(rows[0]?.activityId ?? 0);
  const [days, setDays] = useState<number[]>([1, 2, 4, 5]);
  const from0 = firstFutureMonday(grid);
  const [from, setFrom] = useState(from0);
  const [to, setTo] = useState(addDays(from0, 7 * 8 - 1));
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const names = new Map(rows.map((r) => [r.activityId, r.activityName]));

  /** After a subscription is created or ended: say so, and reload the list and the grid. */
  const changed = async (text: string) => {
    setDone(text);
    announce(text);
    await reload();
    onChanged();
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (days.length === 0) return setError('Choisissez au moins un jour.');
    try {
      const r = await api.post<SubscriptionChangeResponse>('/api/parent/subscriptions', { childId: child.childId, activityId, weekdays: [...days].sort(), from, to });
      await changed(`Abonnement ${names.get(activityId) ?? ''} enregistré pour ${child.firstName} : ${summarise(r.batch.results).text}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const end = async (s: SubscriptionView) => {
    setError(null);
    try {
      await api.post(`/api/parent/subscriptions/${s.id}/end`, {});
      await changed(`Abonnement ${s.activityName} arrêté : les réservations à venir sont annulées quand la date limite le permet.`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const active = (data?.subscriptions ?? []).filter((s) => s.active);
  return (
    <dialog ref={modal.ref} className="dialog" aria-labelledby="subs-title" onClose={modal.onClose} onCancel={modal.onCancel}>
      <h2 id="subs-title">Abonnements de {child.firstName}</h2>
      <p className="hint">Un abonnement réserve les mêmes jours chaque semaine sur une période, sans avoir à cocher chaque case.</p>
      {loadError && <p className="notice notice-error">{loadError}</p>}
      {data && active.length === 0 && <p>Aucun abonnement en cours.</p>}
      {active.length > 0 && (
        <ul className="plain-list">
          {active.map((s) => (
            <li key={s.id} className="sub-item">
              <span>
                <strong>{s.activityName}</strong> — {s.weekdays.map((w) => WEEKDAY_NAMES[w - 1]).join(', ')}, du {formatDateNumeric(s.from)} au {formatDateNumeric(s.to)}
              </span>
              <button type="button" className="button button-secondary small" onClick={() => void end(s)}>
                Arrêter<span className="visually-hidden"> l’abonnement {s.activityName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void create(e)} noValidate>
        <h3>Nouvel abonnement</h3>
        <div className="field">
          <label htmlFor="sub-activity">Activité</label>
          <select id="sub-activity" value={activityId} onChange={(e) => setActivityId(Number(e.target.value))}>
            {rows.map((r) => (
              <option key={r.activityId} value={r.activityId}>
                {r.activityName}
              </option>
            ))}
          </select>
        </div>
        <WeekdayChecks legend="Jours" weekdays={[1, 2, 3, 4, 5]} days={days} setDays={setDays} />
        <PeriodFields idPrefix="sub" from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <ErrorAlert error={error} />
        {done && <p className="notice notice-success">{done}</p>}
        <DialogActions submitLabel="Enregistrer l’abonnement" onClose={onClose} />
      </form>
    </dialog>
  );
}
