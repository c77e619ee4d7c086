import { useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import type { BookingAction, BookingResultResponse, CellState, GridCell, GridRow, InsufficientBalanceDetails, WeekGridResponse } from '../../../api/parent.js';
import { api, ApiError } from '../api.js';
import { formatDate, formatEuros, isoWeekday } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useApi } from '../hooks.js';
import { StateIcon, STATE_LEGEND, STATE_SHORT } from '../icons.js';
import { useAnnounce } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import { PlanningSummary } from './planning-summary.js';
import { creditHref } from '../topup-link.js';
import { usePaymentSettled } from '../payment-return.js';
import { batchKindOf } from './batch-preview.js';
import { ConfirmBatchDialog, SubscriptionsDialog, TemplateDialog } from './planning-dialogs.js';
import { ACTIONABLE, batchOf, cellKey, summarise, useTapGuard, withCellStates } from './planning-state.js';

type Child = WeekGridResponse['children'][number];
type Day = WeekGridResponse['days'][number];

/** What the last tap or batch did, shown in the bar at the bottom of the viewport. */
interface Feedback {
  kind: 'success' | 'error';
  text: string;
  /** Set when credit was lacking: the bar offers "Créditer mon compte" for that wallet. */
  creditWalletId?: number;
  creditMissingCents?: number;
}

/** The dialog open over the grid, with the button that opened it (focus goes back there). */
type OpenDialog =
  | { kind: 'template'; child: Child; row: GridRow; opener: HTMLElement }
  | { kind: 'subscriptions'; child: Child; opener: HTMLElement }
  | { kind: 'confirm'; count: number; action: BookingAction; what: string; url: string; body: unknown; opener: HTMLElement };

/** "lundi 09/03" from the day's date: the guide's column header. */
const dayLabel = (day: Day) => day.label;

/**
 * Messages about a tap, fixed at the bottom of the viewport: the parent sees them next to the
 * cell they tapped, however far down the page. Screen readers hear them through useAnnounce.
 */
function TapBar({ feedback, near, onClose }: { feedback: Feedback | null; near: HTMLElement | null; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const bar = ref.current;
    if (!bar) return;
    const root = document.documentElement;
    root.style.setProperty('--tap-bar-space', `${bar.offsetHeight + 16}px`);
    // The bar must hide neither the cell just tapped nor the focus (WCAG 2.4.11): scroll it clear.
    if (near?.isConnected && near.getBoundingClientRect().bottom > bar.getBoundingClientRect().top) near.scrollIntoView({ block: 'nearest' });
    return () => {
      root.style.removeProperty('--tap-bar-space');
    };
  }, [feedback, near]);
  if (!feedback) return null;
  return (
    <div ref={ref} className={`tap-bar notice notice-${feedback.kind}`} data-testid="tap-message">
      <p>{feedback.text}</p>
      {feedback.creditWalletId != null && (
        <Link className="button button-primary" href={creditHref(feedback.creditWalletId, feedback.creditMissingCents)}>
          Créditer mon compte
        </Link>
      )}
      <button type="button" className="tap-bar-close" aria-label="Fermer le message" onClick={onClose}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/** "Tout réserver" / "Tout annuler": the visible words say what the button will do. */
function BatchButton({ batch, context, onClick }: { batch: ReturnType<typeof batchOf>; context: ReactNode; onClick: (e: MouseEvent<HTMLButtonElement>) => void }) {
  return (
    <button type="button" className="link-button small" disabled={batch.cells.length === 0} onClick={onClick}>
      {batch.action === 'book' ? 'Tout réserver' : 'Tout annuler'}
      <span className="visually-hidden">{context}</span>
    </button>
  );
}

export function PlanningPage() {
  const { query } = useLocation();
  const week = query.get('semaine');
  const path = week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? `/api/parent/planning?week=${week}` : '/api/parent/planning';
  const { data: grid, error, loading, setData, reload } = useApi<WeekGridResponse>(path);
  usePaymentSettled(reload);
  const announce = useAnnounce();
  const guard = useTapGuard();
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  /** The cell or button the parent last acted on: the message bar keeps it in view. */
  const acted = useRef<HTMLElement | null>(null);
  const openDialog = (d: OpenDialog) => {
    acted.current = d.opener;
    setDialog(d);
  };

  const report = (kind: Feedback['kind'], text: string, creditWalletId?: number, creditMissingCents?: number) => {
    setFeedback({ kind, text, creditWalletId, creditMissingCents });
    announce(text, kind === 'error' ? 'alert' : 'status');
  };

  /** A failure in the bar; `where` says which cell when it was a tap. */
  const showError = (e: unknown, where?: string) => {
    const lacking = e instanceof ApiError && e.code === 'INSUFFICIENT_BALANCE' && e.details ? (e.details as unknown as InsufficientBalanceDetails) : null;
    report('error', where ? `${where} : ${errorMessage(e)}` : errorMessage(e), lacking?.walletId, lacking?.missingCents);
  };

  const applyResult = (res: BookingResultResponse) => {
    setData((g) => (g ? { ...withCellStates(g, res.results), balances: res.balances } : g));
  };

  const setCell = (child: Child, row: GridRow, cell: GridCell, state: CellState) =>
    setData((g) => (g ? withCellStates(g, [{ childId: child.childId, activityId: row.activityId, date: cell.date, state }]) : g));

  /**
   * One tap books or cancels at once: the cell changes before the server answers, and goes back
   * if it refuses. The action is decided from the state the parent saw when tapping, and sent
   * as such ("book" on a booked day is a no-op on the server, never a cancel).
   */
  const toggle = async (child: Child, row: GridRow, cell: GridCell, day: Day, tap: MouseEvent<HTMLButtonElement>) => {
    if (!ACTIONABLE.has(cell.state)) return;
    const key = cellKey(child.childId, row.activityId, cell.date);
    if (!guard.accept(key, tap)) return;
    acted.current = tap.currentTarget;
    const action: BookingAction = cell.state === 'open' ? 'book' : 'cancel';
    const where = `${row.activityName} pour ${child.firstName} le ${dayLabel(day)}`;
    setPending((p) => new Set(p).add(key));
    setCell(child, row, cell, action === 'book' ? 'booked' : 'open');
    try {
      const res = await api.post<BookingResultResponse>('/api/parent/planning/changes', {
        changes: [{ childId: child.childId, activityId: row.activityId, date: cell.date, action }],
      });
      applyResult(res);
      const r = res.results[0];
      if (r?.outcome === 'refused') report('error', `${where} : ${r.message ?? 'modification refusée'}.`);
      else report('success', action === 'book' ? `${row.activityName} réservée pour ${child.firstName} le ${dayLabel(day)}.` : `Réservation de ${where} annulée.`);
    } catch (e) {
      // Rolled back to what the server last said.
      setCell(child, row, cell, cell.state);
      showError(e, where);
    } finally {
      guard.done(key);
      setPending((p) => {
        const n = new Set(p);
        n.delete(key);
        return n;
      });
    }
  };

  /** Sends a batch and reports it in the bar; a failure is thrown to the caller (a dialog shows it inside). */
  const sendBatch = async (url: string, body: unknown): Promise<void> => {
    try {
      const res = await api.post<BookingResultResponse>(url, body);
      applyResult(res);
      const s = summarise(res.results);
      // A semaine type cut at the booking horizon says so (res.notice).
      report(s.refusedMessage ? 'error' : 'success', res.notice ? `${s.text} ${res.notice}` : s.text);
    } finally {
      void reload();
    }
  };

  /**
   * "Tout réserver" / "Tout annuler" of one day goes at one tap; a batch over several days, or
   * several cancellations, is asked first with its total. A double-click counts once, as on a cell.
   */
  const runBatch = (click: MouseEvent<HTMLButtonElement>, url: string, body: unknown, batch: ReturnType<typeof batchOf>, what: string) => {
    const key = `${url}|${what}`;
    if (!guard.accept(key, click)) return;
    const opener = click.currentTarget;
    acted.current = opener;
    const confirmFirst = () => {
      guard.reset(key);
      openDialog({ kind: 'confirm', count: batch.cells.length, action: batch.action, what, url, body, opener });
    };
    const days = new Set(batch.cells.map((c) => c.date)).size;
    if (days > 1 || (batch.action === 'cancel' && batch.cells.length > 1)) return confirmFirst();
    setFeedback(null);
    sendBatch(url, body)
      .catch((e: unknown) => {
        // Not payable in full: the dialog offers the part the wallets can pay instead of a flat refusal.
        if (e instanceof ApiError && e.code === 'INSUFFICIENT_BALANCE' && batch.cells.length > 1) confirmFirst();
        else showError(e);
      })
      .finally(() => guard.done(key));
  };

  const allOfDay = (child: Child, day: Day) => batchOf(child.periods.flatMap((p) => p.rows.map((r) => r.cells.find((c) => c.date === day.date)!)));
  const wholeWeek = (row: GridRow) => batchOf(row.cells);

  return (
    <>
      <h1>Mon Planning</h1>
      <p className="lead">
        Cliquez dans le tableau pour inscrire votre enfant ou annuler son inscription : un clic suffit, sans validation. Sur plusieurs jours, « Tout
        réserver », « Tout annuler », la semaine type et les abonnements montrent d’abord le total à confirmer.
      </p>

      {grid && <PlanningSummary grid={grid} />}

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
                        const batch = allOfDay(child, d);
                        const what = `toutes les activités de ${child.firstName} le ${dayLabel(d)}`;
                        return (
                          <td key={d.date}>
                            <BatchButton
                              batch={batch}
                              context={` ${what}`}
                              onClick={(e) => runBatch(e, '/api/parent/planning/day', { childId: child.childId, date: d.date, action: batch.action }, batch, what)}
                            />
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
                              const key = cellKey(child.childId, row.activityId, cell.date);
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
                                      onClick={(e) => void toggle(child, row, cell, day, e)}
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
                              <BatchButton
                                batch={week}
                                context={` la semaine : ${row.activityName} pour ${child.firstName}`}
                                onClick={(e) =>
                                  runBatch(
                                    e,
                                    '/api/parent/planning/week',
                                    { childId: child.childId, activityId: row.activityId, weekStart: grid.weekStart, action: week.action },
                                    week,
                                    `${row.activityName} pour ${child.firstName}, semaine du ${formatDate(grid.weekStart)}`,
                                  )
                                }
                              />
                              <button type="button" className="link-button small" onClick={(e) => openDialog({ kind: 'template', child, row, opener: e.currentTarget })}>
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
                <button type="button" className="link-button" onClick={(e) => openDialog({ kind: 'subscriptions', child, opener: e.currentTarget })}>
                  je gère mes abonnements
                  <span className="visually-hidden"> pour {child.firstName}</span>
                </button>
              </p>
            </section>
          ))}
        </>
      )}

      {dialog?.kind === 'template' && grid && (
        <TemplateDialog
          grid={grid}
          child={dialog.child}
          row={dialog.row}
          opener={dialog.opener}
          onClose={() => setDialog(null)}
          onApply={async (body) => {
            await sendBatch('/api/parent/planning/template', body);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'subscriptions' && grid && (
        <SubscriptionsDialog grid={grid} child={dialog.child} opener={dialog.opener} onClose={() => setDialog(null)} onChanged={() => void reload()} />
      )}
      {dialog?.kind === 'confirm' && (
        <ConfirmBatchDialog
          kind={batchKindOf(dialog.url)}
          body={dialog.body as object}
          action={dialog.action}
          count={dialog.count}
          title={dialog.what}
          opener={dialog.opener}
          onClose={() => setDialog(null)}
          onConfirm={async (body) => {
            await sendBatch(dialog.url, body);
            setDialog(null);
          }}
        >
          {dialog.action === 'cancel'
            ? `Les ${dialog.count} réservations (${dialog.what}) seront annulées, y compris celles d’un abonnement. Elles sont remboursées sur votre compte.`
            : null}
        </ConfirmBatchDialog>
      )}
      <TapBar feedback={dialog ? null : feedback} near={acted.current} onClose={() => setFeedback(null)} />
    </>
  );
}
