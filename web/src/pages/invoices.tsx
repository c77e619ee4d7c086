import { lazy, Suspense, useEffect, useState } from 'react';
import type { LedgerLine } from '../../../api/parent.js';
import { api } from '../api.js';
import { formatDateNumeric, formatEuros, formatInstant, formatOfMonth } from '../format.js';
import { errorMessage, useLoad } from '../hooks.js';
import { useLocation } from '../router.js';
import { usePaymentSettled } from '../payment-return.js';
import { TopUpForm } from './topup-form.js';

// The attestations come in their own chunk: most visits to Mes factures never ask for one.
const CertificatesSection = lazy(() => import('./certificates.js').then((m) => ({ default: m.CertificatesSection })));

const KIND_LABELS: Record<string, string> = {
  topup: 'Crédit en ligne',
  counter: 'Achat au guichet',
  statement: 'Relevé',
};
const STATUS_LABELS: Record<string, string> = { paid: 'Acquittée', issued: 'Émise', cancelled: 'Annulée' };

export function InvoicesPage() {
  const { query } = useLocation();
  const wantsTopUp = query.get('crediter');
  const missing = query.get('manque');
  const wallets = useLoad(() => api.call('parent.wallets'), []);
  const invoices = useLoad(() => api.call('parent.invoices'), []);
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
      const r = await api.call('parent.ledger', { query: { offset: history.length, limit: 100 } });
      setOlder((o) => [...o, ...r.entries]);
      if (r.entries.length < 100) setOlderDone(true);
    } catch (e) {
      setOlderError(errorMessage(e));
    }
  };

  useEffect(() => {
    if (wantsTopUp) setShowTopUp(true);
  }, [wantsTopUp]);

  // ?crediter=1 also just opens the form (planning-summary's link): the wallet matters only with ?manque=.
  const preferredWallet = wantsTopUp && /^\d+$/.test(wantsTopUp) ? Number(wantsTopUp) : undefined;
  const missingCents = missing && /^\d{1,6}$/.test(missing) ? Number(missing) : undefined;

  // The notice after PayFiP (payment-return.tsx) says when a payment is settled: balances and invoices change.
  usePaymentSettled(() => Promise.all([wallets.reload(), invoices.reload()]));

  return (
    <>
      <h1>Mes factures</h1>

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
        {showTopUp && wallets.data && <TopUpForm wallets={wallets.data} preferredWallet={preferredWallet} missingCents={missingCents} returnPath={query.get('retour')} />}
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
                      <a href={api.href('parent.invoicePdf', { params: { id: i.id } })} download>
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
                <a href={api.href('parent.statementPdf', { params: { month: m } })} download>
                  Téléchargement<span className="visually-hidden"> du relevé {formatOfMonth(m)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Suspense fallback={<p>Chargement des attestations…</p>}>
        <CertificatesSection />
      </Suspense>

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
