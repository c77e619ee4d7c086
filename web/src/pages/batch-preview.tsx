import { useEffect, useRef, useState } from 'react';
import type { BatchKind, BatchPreviewResponse } from '../../../api/parent.js';
import { rawApi } from '../api.js';
import { errorMessage } from '../hooks.js';
import { Link } from '../router.js';
import '../styles/batches.css';

/**
 * "Cost before commitment": the server's preview of a batch (semaine type, abonnement, several
 * days), shown in the dialog before the parent confirms. The server plans the preview as it
 * plans the batch, so the total read here is what the batch books.
 */

/** The kind of batch a batch route makes, for the preview route. */
export function batchKindOf(url: string): BatchKind {
  if (url.endsWith('/subscriptions')) return 'subscription';
  const last = url.slice(url.lastIndexOf('/') + 1);
  return last === 'week' || last === 'day' || last === 'template' ? last : 'changes';
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
 * The preview of `body` (null: nothing to preview yet), asked again whenever it changes. A
 * newer answer wins over an older one still on its way, so a slow line never shows a stale total.
 */
export function useBatchPreview(kind: BatchKind, body: object | null): PreviewState {
  const [preview, setPreview] = useState<BatchPreviewResponse | null>(null);
  const [loading, setLoading] = useState(body !== null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const seq = useRef(0);
  const key = body === null ? null : JSON.stringify(body);
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
      rawApi
        .post<BatchPreviewResponse>('/api/parent/planning/preview', { kind, ...(JSON.parse(key) as object) })
        .then((p) => mine === seq.current && setPreview(p))
        .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)))
        .finally(() => mine === seq.current && setLoading(false));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [kind, key, round]);
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
