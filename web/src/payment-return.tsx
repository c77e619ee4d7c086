import { useEffect, useRef, useState } from 'react';
import type { TopUpStatus } from '../../api/payments.js';
import { describeParts } from '../../api/payment-parts.js';
import { api } from './api.js';
import { formatEuros } from './format.js';
import { errorMessage } from './hooks.js';
import { useAnnounce } from './live.js';
import { Link, navigate, useLocation } from './router.js';
import './styles/split.css';

/** Sent on window when a payment shown here is settled, so that a page can reload its balances. */
const PAYMENT_SETTLED_EVENT = 'eticket:payment-settled';

/** Calls `reload` when the payment notice below learns that a payment is settled. */
export function usePaymentSettled(reload: () => unknown): void {
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    const settled = () => void latest.current();
    window.addEventListener(PAYMENT_SETTLED_EVENT, settled);
    return () => window.removeEventListener(PAYMENT_SETTLED_EVENT, settled);
  }, []);
}

/**
 * After PayFiP the parent is back where she started (…?paiement=<id>, on any portal page): this
 * says what was credited on each wallet, checking again while the Trésor Public's answer is pending.
 */
export function PaymentReturn() {
  const { path, query } = useLocation();
  const raw = query.get('paiement');
  if (!raw || !/^\d{1,12}$/.test(raw)) return null;
  const hide = () => {
    const rest = new URLSearchParams(query);
    rest.delete('paiement');
    const q = rest.toString();
    navigate(q ? `${path}?${q}` : path, { replace: true });
  };
  return <PaymentStatusNotice key={raw} paymentId={Number(raw)} onInvoices={path === '/factures'} onHide={hide} />;
}

function PaymentStatusNotice({ paymentId, onInvoices, onHide }: { paymentId: number; onInvoices: boolean; onHide: () => void }) {
  const [status, setStatus] = useState<TopUpStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const announce = useAnnounce();
  const announced = useRef(false);

  useEffect(() => {
    let stopped = false;
    let tries = 0;
    let timer: number | undefined;
    const check = async () => {
      try {
        const s = await api.call('parent.topUpStatus', { params: { id: paymentId } });
        if (stopped) return;
        setStatus(s);
        if (s.status === 'pending' && tries++ < 20) {
          timer = window.setTimeout(() => void check(), 1500);
        } else if (!announced.current) {
          announced.current = true;
          announce(s.status === 'paid' ? `${s.message} ${describeParts(s.parts, formatEuros)}.` : s.message, s.status === 'paid' ? 'status' : 'alert');
          // Settled while shown: the page under it loaded its balances before, they change now.
          if (tries > 0) window.dispatchEvent(new CustomEvent(PAYMENT_SETTLED_EVENT, { detail: s }));
        }
      } catch (e) {
        if (!stopped) setError(errorMessage(e));
      }
    };
    void check();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [paymentId, announce]);

  if (error) return <p className="notice notice-error">{error}</p>;
  if (!status) return <p className="notice notice-info">Vérification de votre paiement…</p>;
  const kind = status.status === 'paid' ? 'success' : status.status === 'pending' ? 'info' : 'error';
  const split = describeParts(status.parts, formatEuros);
  return (
    <div className={`notice notice-${kind} payment-status`} data-testid="payment-status">
      <p>
        <strong>{status.message}</strong>
      </p>
      {status.status === 'paid' ? (
        <p>
          Crédité : {split}
          {status.parts.length > 1 ? `, soit ${formatEuros(status.amountCents)} en un seul paiement` : ''} — référence {status.refdet}.
        </p>
      ) : (
        <p>
          Paiement de {formatEuros(status.amountCents)} ({split}) — référence {status.refdet}.
        </p>
      )}
      {status.invoiceNumber && (
        <p>
          La facture acquittée {status.invoiceNumber} est dans {onInvoices ? 'la liste ci-dessous' : <Link to="/factures">Mes factures</Link>}.
        </p>
      )}
      <button type="button" className="link-button" onClick={onHide}>
        Masquer ce message
      </button>
    </div>
  );
}
