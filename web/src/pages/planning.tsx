import { useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import type { BookingAction, BookingResultResponse, CellState, GridCell, GridRow, InsufficientBalanceDetails } from '../../../api/parent.js';
import { api, ApiError } from '../api.js';
import { formatDate, mondayOf, todayInParis } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useLoad } from '../hooks.js';
import { StateIcon, STATE_LEGEND } from '../icons.js';
import { useAnnounce } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import { PlanningSummary } from './planning-summary.js';
import { creditHref } from '../topup-link.js';
import { usePaymentSettled } from '../payment-return.js';
import { sendPlanningBatch, type PlanningBatch } from './batch-preview.js';
import { ConfirmBatchDialog, SubscriptionsDialog, TemplateDialog } from './planning-dialogs.js';
import { ACTIONABLE, type batchOf, cellKey, SAME_GESTURE_MS, summarise, useTapGuard, withCellStates } from './planning-state.js';
import { dayLabel, type Child, type Day, type OpenDialog } from './planning-controls.js';
import { PlanningDays } from './planning-days.js';
import { PlanningGrid } from './planning-grid.js';
import { PHONE_QUERY, useMediaQuery } from '../use-media.js';

/** What the last tap or batch did, shown in the bar at the bottom of the viewport. */
interface Feedback {
  kind: 'success' | 'error';
  text: string;
  /** Set when credit was lacking: the bar offers "Créditer mon compte" for that wallet. */
  creditWalletId?: number;
  creditMissingCents?: number;
}

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
    // The bar must hide neither the cell just tapped nor the focus (WCAG 2.4.11): scroll it clear,
    // once a double tap is over. Scrolling at once moved the next row under a finger still
    // tapping, and the second tap of a double tap booked that row.
    const timer = window.setTimeout(() => {
      if (near?.isConnected && near.getBoundingClientRect().bottom > bar.getBoundingClientRect().top) near.scrollIntoView({ block: 'nearest' });
    }, SAME_GESTURE_MS);
    return () => {
      window.clearTimeout(timer);
      root.style.removeProperty('--tap-bar-space');
    };
  }, [feedback, near]);
  if (!feedback) return null;
  return (
    <div ref={ref} className={`tap-bar notice notice-${feedback.kind}`} data-testid="tap-message">
      <p>{feedback.text}</p>
      {feedback.creditWalletId != null && (
        <Link className="button button-primary" to={creditHref(feedback.creditWalletId, feedback.creditMissingCents)}>
          Créditer mon compte
        </Link>
      )}
      <button type="button" className="tap-bar-close" aria-label="Fermer le message" onClick={onClose}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

export function PlanningPage() {
  const { query } = useLocation();
  const week = query.get('semaine');
  const asked = week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? week : undefined;
  const { data: grid, error, loading, setData, reload } = useLoad(() => api.call('parent.planning', { query: { week: asked } }), [asked]);
  usePaymentSettled(reload);
  const phone = useMediaQuery(PHONE_QUERY);
  const View = phone ? PlanningDays : PlanningGrid;
  // A week switch in flight: the asked week is not the one shown yet. The buttons ignore presses
  // meanwhile (no race between two answers); the hook keeps only the last asked week's answer.
  const requestedWeek = mondayOf(asked ?? todayInParis());
  const switching = loading && !!grid && grid.weekStart !== requestedWeek;
  const goToWeek = (monday: string) => {
    if (!switching) navigate(`/planning?semaine=${monday}`);
  };
  const announce = useAnnounce();
  const guard = useTapGuard();
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  /** The cell or button the parent last acted on: the message bar keeps it in view. */
  const acted = useRef<HTMLElement | null>(null);
  const closeDialog = () => {
    guard.quiet();
    setDialog(null);
  };
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
      const res = await api.call('parent.bookingChanges', {
        body: { changes: [{ childId: child.childId, activityId: row.activityId, date: cell.date, action }] },
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
  const sendBatch = async (request: PlanningBatch, onlyPayable = false): Promise<void> => {
    try {
      const res = await sendPlanningBatch(request, onlyPayable);
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
  const runBatch = (click: MouseEvent<HTMLButtonElement>, request: PlanningBatch, batch: ReturnType<typeof batchOf>, what: string) => {
    const key = `${request.kind}|${what}`;
    if (!guard.accept(key, click)) return;
    const opener = click.currentTarget;
    acted.current = opener;
    const confirmFirst = () => {
      guard.reset(key);
      openDialog({ kind: 'confirm', count: batch.cells.length, action: batch.action, what, request, opener });
    };
    const days = new Set(batch.cells.map((c) => c.date)).size;
    if (days > 1 || (batch.action === 'cancel' && batch.cells.length > 1)) return confirmFirst();
    setFeedback(null);
    sendBatch(request)
      .catch((e: unknown) => {
        // Not payable in full: the dialog offers the part the wallets can pay instead of a flat refusal.
        if (e instanceof ApiError && e.code === 'INSUFFICIENT_BALANCE' && batch.cells.length > 1) confirmFirst();
        else showError(e);
      })
      .finally(() => guard.done(key));
  };


  // On a phone the cards say each state in words: the guide's sentence folds into the legend.
  const legendNote = (
    <p className="legend-note">
      La <strong className="text-booked">coche orange</strong> indique que votre demande est validée.
    </p>
  );

  return (
    <>
      <h1>Mon Planning</h1>
      <p className="lead">
        {phone
          ? 'Touchez une activité pour l’inscrire ou l’annuler : c’est enregistré aussitôt.'
          : 'Cliquez dans le tableau pour inscrire votre enfant ou annuler son inscription : un clic suffit, sans validation. Sur plusieurs jours, « Tout réserver », « Tout annuler », la semaine type et les abonnements montrent d’abord le total à confirmer.'}
      </p>

      {grid && <PlanningSummary grid={grid} />}

      <ErrorAlert error={grid && !switching && grid.weekStart === requestedWeek ? null : error} />
      {loading && !grid && <p className="loading">Chargement du planning…</p>}

      {grid && (
        <>
          <div className="week-nav">
            <button type="button" className="button button-secondary" aria-disabled={switching || undefined} onClick={() => goToWeek(grid.previousWeek)}>
              <span aria-hidden="true">‹ </span>
              <span className="phone-hidden-text">semaine </span>précédente
            </button>
            <h2 className="week-title" aria-live="polite">
              Semaine du {formatDate(grid.weekStart)} au {formatDate(grid.weekEnd)}
            </h2>
            <button type="button" className="button button-secondary" aria-disabled={switching || undefined} onClick={() => goToWeek(grid.nextWeek)}>
              <span className="phone-hidden-text">semaine </span>suivante<span aria-hidden="true"> ›</span>
            </button>
            <p className="week-loading" role="status">
              {switching ? 'Chargement…' : ''}
            </p>
          </div>

          {/* The week shown stays visible, dimmed, until the asked week arrives. */}
          <div className={switching ? 'week-body week-busy' : 'week-body'} aria-busy={switching || undefined} data-testid="week-body">
            <details className="legend" open={!phone}>
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
              {phone && legendNote}
            </details>
            {!phone && legendNote}

            {grid.children.length === 0 && <p>Aucun enfant n’est inscrit aux services dans votre dossier.</p>}

            <View grid={grid} pending={pending} toggle={(...a) => void toggle(...a)} runBatch={runBatch} openDialog={openDialog} />
          </div>
        </>
      )}

      {dialog?.kind === 'template' && grid && (
        <TemplateDialog
          grid={grid}
          child={dialog.child}
          row={dialog.row}
          opener={dialog.opener}
          onClose={closeDialog}
          onApply={async (request, onlyPayable) => {
            await sendBatch(request, onlyPayable);
            closeDialog();
          }}
        />
      )}
      {dialog?.kind === 'subscriptions' && grid && (
        <SubscriptionsDialog grid={grid} child={dialog.child} opener={dialog.opener} onClose={closeDialog} onChanged={() => void reload()} />
      )}
      {dialog?.kind === 'confirm' && (
        <ConfirmBatchDialog
          request={dialog.request}
          action={dialog.action}
          count={dialog.count}
          title={dialog.what}
          opener={dialog.opener}
          onClose={closeDialog}
          onConfirm={async (onlyPayable) => {
            await sendBatch(dialog.request, onlyPayable);
            closeDialog();
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
