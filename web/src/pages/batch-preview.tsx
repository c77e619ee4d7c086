import { useEffect, useRef, useState } from 'react';
import type { RouteInput } from '../../../api/contract.js';
import type { BatchPreviewResponse, BookingResultResponse } from '../../../api/parent.js';
import type { PortalRoutes } from '../../../api/routes/index.js';
import { api } from '../api.js';
import { errorMessage } from '../hooks.js';
import { Link } from '../router.js';
import '../styles/batches.css';

/**
 * "Cost before commitment": the server's preview of a batch (semaine type, abonnement, several
 * days), shown in the dialog before the parent confirms. The server plans the preview as it
 * plans the batch, so the total read here is what the batch books.
 */

/** A batch as the preview route takes it: its kind, and the body of that kind's own route. */
export type BatchRequest = RouteInput<PortalRoutes['parent.batchPreview']>['body'];
/** The batches the planning sends itself (a subscription is sent by its dialog). */
export type PlanningBatch = Exclude<BatchRequest, { kind: 'subscription' }>;

/** A batch's body with the flag that books only what the wallets can pay (left out otherwise). */
export function withPayable<B extends object>(body: B, onlyPayable: boolean): B & { onlyPayable?: true } {
  return onlyPayable ? { ...body, onlyPayable: true } : body;
}

/** A batch route's body: the request without its kind. */
const bodyOf = <B extends { kind: string }>({ kind: _kind, ...body }: B, onlyPayable: boolean) => withPayable(body, onlyPayable);

/** Sends a batch to its own route. */
export function sendPlanningBatch(batch: PlanningBatch, onlyPayable: boolean): Promise<BookingResultResponse> {
  switch (batch.kind) {
    case 'changes':
      return api.call('parent.bookingChanges', { body: bodyOf(batch, onlyPayable) });
    case 'week':
      return api.call('parent.bookWeek', { body: bodyOf(batch, onlyPayable) });
    case 'day':
      return api.call('parent.bookDay', { body: bodyOf(batch, onlyPayable) });
    case 'template':
      return api.call('parent.templateWeek', { body: bodyOf(batch, onlyPayable) });
  }
}

export interface PreviewState {
  preview: BatchPreviewResponse | null;
  loading: boolean;
  error: string | null;
  /** Asks again (after a refused batch: the balance may have moved). */
  refresh: () => void;
}

/** Quiet time after the last change of a field before asking: a parent ticking four days asks once. */
const PREVIEW_DELAY_MS = 250;

/**
 * The preview of `request` (null: nothing to preview yet), asked again whenever it changes. A
 * newer answer wins over an older one still on its way, so a slow line never shows a stale total.
 */
export function useBatchPreview(request: BatchRequest | null): PreviewState {
  const [preview, setPreview] = useState<BatchPreviewResponse | null>(null);
  const [loading, setLoading] = useState(request !== null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const seq = useRef(0);
  const key = request === null ? null : JSON.stringify(request);
  useEffect(() => {
    const mine = ++seq.current;
    setError(null);
    if (key === null) {
      setPreview(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .call('parent.batchPreview', { body: JSON.parse(key) as BatchRequest })
        .then((p) => mine === seq.current && setPreview(p))
        .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)))
        .finally(() => mine === seq.current && setLoading(false));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, round]);
  return { preview, loading, error, refresh: () => setRound((r) => r + 1) };
}

/**
 * Whether "Confirmer" may send the batch: the latest preview came and the wallets pay it all.
 * A batch that changes nothing may still be confirmed (it answers "Aucun changement").
 */
export function canConfirm(state: PreviewState): boolean {
  return !state.loading && state.preview !== null && state.preview.payable;
}

const REFUSED_SHOWN = 5;

/**
 * The total per wallet, the cells refused and why, and, when a wallet lacks credit, the
 * payable part as a button and "Créditer mon compte". `onPayablePart` sends the batch with
 * onlyPayable; `busy` while a batch is on its way.
 */
export function BatchPreviewPanel({ state, busy, onPayablePart }: { state: PreviewState; busy?: boolean; onPayablePart: () => void }) {
  const { preview: p, loading, error } = state;
  return (
    // While a newer total is coming the last one stays, greyed, so the dialog does not jump.
    <div className={`batch-preview${loading ? ' batch-stale' : ''}`} aria-live="polite" aria-busy={loading || undefined} data-testid="batch-preview">
      {loading && <p className="batch-loading">Calcul du total…</p>}
      {error && <p className="notice notice-error">{error}</p>}
      {p && (
        <>
          {p.full.wallets.length === 0 ? (
            <p className="batch-total">Aucun changement : tout est déjà comme demandé.</p>
          ) : (
            <ul className="batch-totals">
              {p.full.wallets.map((w) => (
                <li key={w.walletId} className="batch-total">
                  {w.text}
                </li>
              ))}
            </ul>
          )}
          {p.notice && <p className="batch-notice">{p.notice}</p>}
          {p.refused.length > 0 && (
            <div className="batch-refused">
              <p>
                {p.refused.length > 1 ? `${p.refused.length} cases ne changeront pas :` : '1 case ne changera pas :'}
              </p>
              <ul>
                {p.refused.slice(0, REFUSED_SHOWN).map((r) => (
                  <li key={`${r.childId}|${r.activityId}|${r.date}`}>{r.text}</li>
                ))}
                {p.refused.length > REFUSED_SHOWN && <li>et {p.refused.length - REFUSED_SHOWN} autres.</li>}
              </ul>
            </div>
          )}
          {!p.payable && (
            <div className="notice notice-error batch-short">
              {p.missing.map((m) => (
                <p key={m.walletId}>{m.text}</p>
              ))}
              <div className="batch-short-actions">
                {p.payablePart && (
                  <button type="button" className="button button-primary" disabled={busy} onClick={onPayablePart}>
                    {p.payablePart.question}
                  </button>
                )}
                <Link className="button button-secondary" to={`/factures?crediter=${p.missing[0]?.walletId ?? ''}`}>
                  Créditer mon compte
                </Link>
              </div>
            </div>
          )}
        </>
      )}
    </div>
  );
}
