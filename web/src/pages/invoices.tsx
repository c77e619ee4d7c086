import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { InvoicesResponse, LedgerLine, WalletsResponse, WeekGridResponse } from '../../../api/parent.js';
import type { TopUpAnswer, TopUpStatus } from '../../../api/payments.js';

// api/payments.ts holds zod schemas: the limit is repeated here to keep zod out of the bundle.
const TOPUP_MAX_TICKETS = 200;
import { api } from '../api.js';
import { formatDateNumeric, formatEuros, formatInstant, formatOfMonth, parseEuros } from '../format.js';
import { ErrorAlert } from '../forms.js';
import { errorMessage, useApi } from '../hooks.js';
import { useAnnounce } from '../live.js';
import { navigate, useLocation } from '../router.js';

const KIND_LABELS: Record<string, string> = {
  topup: 'Crédit en ligne',
  counter: 'Achat au guichet',
  statement: 'Relevé',
};
const STATUS_LABELS: Record<string, string> = { paid: 'Acquittée', issued: 'Émise', cancelled: 'Annulée' };

export function InvoicesPage() {
  const { query } = useLocation();
  const paymentId = query.get('paiement');
  const wantsTopUp = query.get('crediter');
  const wallets = useApi<WalletsResponse>('/api/parent/wallets');
  const invoices = useApi<InvoicesResponse>('/api/parent/invoices');
  const [showTopUp, setShowTopUp] = useState(Boolean(wantsTopUp));
  const [older, setOlder] = useState<LedgerLine[]>([]);
  const [olderDone, setOlderDone] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const history = [...(wallets.data?.history ?? []), ...older];
  // A fresh first page (after a payment) starts the list again.
  useEffect(() => {
    setOlder([]);
    setOlderDone(false);
  }, [wallets.data]);

  const loadOlder = async () => {
    setOlderError(null);
    try {
      const r = await api.get<{ entries: LedgerLine[] }>('/api/parent/ledger', { offset: history.length, limit: 100 });
      setOlder((o) => [...o, ...r.entries]);
      if (r.entries.length < 100) setOlderDone(true);
    } catch (e) {
      setOlderError(errorMessage(e));
    }
  };

  useEffect(() => {
    if (wantsTopUp) setShowTopUp(true);
  }, [wantsTopUp]);

  const preferredWallet = wantsTopUp && /^\d+$/.test(wantsTopUp) && wantsTopUp !== '1' ? Number(wantsTopUp) : undefined;

  return (
    <>
      <h1>Mes factures</h1>

      {paymentId && /^\d+$/.test(paymentId) && (
        <PaymentStatus
          paymentId={Number(paymentId)}
          onSettled={() => {
            void wallets.reload();
            void invoices.reload();
          }}
        />
      )}

      <section aria-labelledby="solde-title">
        <h2 id="solde-title">Mon solde</h2>
        {wallets.error && <p className="notice notice-error">{wallets.error}</p>}
        {wallets.data && (
          <ul className="balance-list balance-cards">
            {wallets.data.balances.map((b) => (
              <li key={b.walletId} className={b.balanceCents < 0 ? 'balance balance-negative' : 'balance'}>
                <span className="balance-label">{b.label}</span>
                <span className="balance-amount">{formatEuros(b.balanceCents)}</span>
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="button button-primary" aria-expanded={showTopUp} aria-controls="crediter" onClick={() => setShowTopUp((s) => !s)}>
          Créditer mon compte
        </button>
        {showTopUp && wallets.data && <TopUpForm wallets={wallets.data} preferredWallet={preferredWallet} />}
      </section>

      <section aria-labelledby="factures-title">
        <h2 id="factures-title">Mes factures</h2>
        {invoices.error && <p className="notice notice-error">{invoices.error}</p>}
        {invoices.data && invoices.data.invoices.length === 0 && <p>Aucune facture pour le moment.</p>}
        {invoices.data && invoices.data.invoices.length > 0 && (
          <div className="table-scroll" role="region" aria-labelledby="factures-title" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Numéro</th>
                  <th scope="col">Date</th>
                  <th scope="col">Objet</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                  <th scope="col">Statut</th>
                  <th scope="col">Facture</th>
                </tr>
              </thead>
              <tbody>
                {invoices.data.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>{i.number}</td>
                    <td>{formatDateNumeric(i.issuedOn)}</td>
                    <td>{KIND_LABELS[i.kind] ?? i.kind}</td>
                    <td className="num">{formatEuros(i.totalCents)}</td>
                    <td>{STATUS_LABELS[i.status] ?? i.status}</td>
                    <td>
                      <a href={`/api/parent/invoices/${i.id}/pdf`} download>
                        Téléchargement<span className="visually-hidden"> de la facture {i.number}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="releves-title">
        <h2 id="releves-title">Relevés mensuels</h2>
        {invoices.data && invoices.data.statementMonths.length === 0 && <p>Aucune opération sur votre compte pour le moment.</p>}
        {invoices.data && invoices.data.statementMonths.length > 0 && (
          <ul className="statement-list">
            {invoices.data.statementMonths.map((m) => (
              <li key={m}>
                <span className="statement-month">Relevé {formatOfMonth(m)}</span>{' '}
                <a href={`/api/parent/statements/${m}/pdf`} download>
                  Téléchargement<span className="visually-hidden"> du relevé {formatOfMonth(m)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="historique-title">
        <h2 id="historique-title">Historique des opérations</h2>
        {wallets.data && history.length === 0 && <p>Aucune opération pour le moment.</p>}
        {wallets.data && history.length > 0 && (
          <div className="table-scroll" role="region" aria-labelledby="historique-title" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Opération</th>
                  <th scope="col">Porte-monnaie</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.map((e) => (
                  <tr key={e.id}>
                    <td>{formatInstant(e.createdAt)}</td>
                    <td>{e.label}</td>
                    <td>{e.walletLabel}</td>
                    <td className={e.amountCents < 0 ? 'num debit' : 'num credit'}>
                      {e.amountCents > 0 ? '+' : ''}
                      {formatEuros(e.amountCents)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {olderError && <p className="notice notice-error">{olderError}</p>}
        {wallets.data && wallets.data.history.length >= 100 && !olderDone && (
          <button type="button" className="button button-secondary" onClick={() => void loadOlder()}>
            Afficher les opérations plus anciennes
          </button>
        )}
      </section>
    </>
  );
}

function TopUpForm({ wallets, preferredWallet }: { wallets: WalletsResponse; preferredWallet?: number }) {
  const [walletId, setWalletId] = useState<number>(preferredWallet ?? wallets.balances[0]?.walletId ?? 0);
  const [mode, setMode] = useState<'amount' | 'tickets'>('amount');
  const [amount, setAmount] = useState('');
  const [tickets, setTickets] = useState('10');
  const [activityId, setActivityId] = useState<number>(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  // Activities and their prices, for a top-up by tickets (the planning answer carries the family's prices).
  const grid = useApi<WeekGridResponse>('/api/parent/planning');
  const activities = (grid.data?.children[0]?.periods ?? []).flatMap((p) => p.rows).filter((r) => r.walletId === walletId && r.priceCents);

  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
    ref.current?.querySelector<HTMLElement>('select, input')?.focus();
  }, []);
  useEffect(() => {
    if (!activities.some((a) => a.activityId === activityId)) setActivityId(activities[0]?.activityId ?? 0);
  }, [activities, activityId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let body: Record<string, number>;
    if (mode === 'amount') {
      const cents = parseEuros(amount);
      if (cents === null) return setError('Montant invalide : indiquez un montant en euros, par exemple 20,00.');
      if (cents < 100 || cents > 999_999) return setError('Le montant doit être compris entre 1,00 € et 9 999,99 €.');
      body = { walletId, amountCents: cents };
    } else {
      const n = Number(tickets);
      if (!Number.isInteger(n) || n < 1 || n > TOPUP_MAX_TICKETS) return setError(`Le nombre de tickets doit être compris entre 1 et ${TOPUP_MAX_TICKETS}.`);
      if (!activityId) return setError('Choisissez l’activité.');
      body = { walletId, activityId, tickets: n };
    }
    setBusy(true);
    try {
      const answer = await api.post<TopUpAnswer>('/api/parent/topups', body);
      // The Trésor Public's payment page (PayFiP); it sends the browser back to /factures?paiement=<id>.
      window.location.assign(answer.redirectUrl);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const chosen = activities.find((a) => a.activityId === activityId);
  return (
    <form id="crediter" ref={ref} className="card form topup" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="crediter-title">
      <h3 id="crediter-title">Créditer mon compte en ligne</h3>
      <p className="hint">Le paiement se fait par carte bancaire sur le site sécurisé du Trésor Public (PayFiP). Votre solde est crédité dès que le paiement est accepté.</p>
      <div className="field">
        <label htmlFor="topup-wallet">Porte-monnaie à créditer</label>
        <select id="topup-wallet" value={walletId} onChange={(e) => setWalletId(Number(e.target.value))}>
          {wallets.balances.map((b) => (
            <option key={b.walletId} value={b.walletId}>
              {b.label} (solde {formatEuros(b.balanceCents)})
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Je choisis</legend>
        <div className="checkbox-row">
          <label className="checkbox">
            <input type="radio" name="topup-mode" checked={mode === 'amount'} onChange={() => setMode('amount')} />
            un montant
          </label>
          <label className="checkbox">
            <input type="radio" name="topup-mode" checked={mode === 'tickets'} onChange={() => setMode('tickets')} disabled={activities.length === 0} />
            un nombre de tickets
          </label>
        </div>
      </fieldset>
      {mode === 'amount' ? (
        <div className="field">
          <label htmlFor="topup-amount">Montant (en euros)</label>
          <input id="topup-amount" inputMode="decimal" autoComplete="off" placeholder="20,00" aria-describedby="topup-amount-hint" value={amount} onChange={(e) => setAmount(e.target.value)} />
          <p id="topup-amount-hint" className="hint">
            De 1,00 € à 9 999,99 €.
          </p>
        </div>
      ) : (
        <div className="field-row">
          <div className="field">
            <label htmlFor="topup-activity">Activité</label>
            <select id="topup-activity" value={activityId} onChange={(e) => setActivityId(Number(e.target.value))}>
              {activities.map((a) => (
                <option key={a.activityId} value={a.activityId}>
                  {a.activityName} ({formatEuros(a.priceCents ?? 0)} le ticket)
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="topup-tickets">Nombre de tickets</label>
            <input id="topup-tickets" inputMode="numeric" value={tickets} onChange={(e) => setTickets(e.target.value)} />
          </div>
          {chosen && /^\d+$/.test(tickets) && <p className="hint">Total : {formatEuros((chosen.priceCents ?? 0) * Number(tickets))}</p>}
        </div>
      )}
      <ErrorAlert error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Redirection vers le paiement…' : 'Payer en ligne'}
      </button>
    </form>
  );
}

/** After PayFiP: the payment's status, checked again while the Trésor Public's answer is pending. */
function PaymentStatus({ paymentId, onSettled }: { paymentId: number; onSettled: () => void }) {
  const [status, setStatus] = useState<TopUpStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const announce = useAnnounce();
  const settledRef = useRef(onSettled);
  settledRef.current = onSettled;

  useEffect(() => {
    let stopped = false;
    let tries = 0;
    const check = async () => {
      try {
        const s = await api.get<TopUpStatus>(`/api/parent/topups/${paymentId}`);
        if (stopped) return;
        setStatus(s);
        if (s.status === 'pending' && tries++ < 20) {
          window.setTimeout(() => void check(), 1500);
        } else {
          announce(s.message, s.status === 'paid' ? 'status' : 'alert');
          settledRef.current();
        }
      } catch (e) {
        if (!stopped) setError(errorMessage(e));
      }
    };
    void check();
    return () => {
      stopped = true;
    };
  }, [paymentId, announce]);

  if (error) return <p className="notice notice-error">{error}</p>;
  if (!status) return <p className="notice notice-info">Vérification de votre paiement…</p>;
  const kind = status.status === 'paid' ? 'success' : status.status === 'pending' ? 'info' : 'error';
  return (
    <div className={`notice notice-${kind} payment-status`}>
      <p>
        <strong>{status.message}</strong>
      </p>
      <p>
        Paiement de {formatEuros(status.amountCents)} sur le porte-monnaie « {status.walletLabel} » — référence {status.refdet}.
        {status.invoiceNumber ? ' La facture acquittée est dans la liste ci-dessous.' : ''}
      </p>
      <button type="button" className="link-button" onClick={() => navigate('/factures', { replace: true })}>
        Masquer ce message
      </button>
    </div>
  );
}
