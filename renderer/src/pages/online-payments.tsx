import { useState } from 'react';
import {
  ONLINE_PAYMENT_STATUS_LABELS,
  ONLINE_PAYMENT_STATUSES,
  type OnlinePaymentRow,
} from '../../../api/online-payments.js';
import type { TopUpStatusCode } from '../../../api/payments.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { EnumField, Money, Notice, PageHeader, TableHead, TextField, WhenLoaded, formatDay, formatInstant, useAction, useLoad } from '../ui.js';

/** PayFiP's Paris local "YYYY-MM-DD HH:MM" -> "lun. 02/03/2026 à 10:15". */
const formatLocal = (local: string) => `${formatDay(local.slice(0, 10))} à ${local.slice(11, 16)}`;

/**
 * "Paiements en ligne" (régie): every PayFiP payment, to match the DGFiP's statements, with
 * "Vérifier maintenant" which asks PayFiP about one payment at once.
 */
export function OnlinePaymentsPage() {
  const { reference } = useSession();
  const [status, setStatus] = useState<TopUpStatusCode | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'warn'; text: string } | null>(null);
  const { busy, run } = useAction();
  const list = useLoad(
    () => api.call('staff.onlinePayments', { query: { status: status || undefined, from: from || undefined, to: to || undefined, page } }),
    [status, from, to, page],
  );
  // A new filter starts again from the most recent payments.
  const filter =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPage(1);
    };

  const verify = async (row: OnlinePaymentRow) => {
    const result = await run(() => api.call('staff.verifyOnlinePayment', { params: { id: row.id } }));
    if (!result) return;
    setOutcome({ kind: result.outcome === 'paid' || result.outcome === 'already_paid' ? 'ok' : 'warn', text: `${row.familyName}, réf. ${row.refdet} : ${result.message}` });
    list.reload();
  };

  return (
    <>
      <PageHeader title="Paiements en ligne" />
      <p className="muted">Chaque paiement PayFiP, pour rapprocher les relevés de la DGFiP. « Vérifier maintenant » interroge PayFiP sur le paiement et applique sa réponse.</p>
      <div className="filters">
        <EnumField label="Statut" empty="Tous" values={ONLINE_PAYMENT_STATUSES} labels={ONLINE_PAYMENT_STATUS_LABELS} value={status} onChange={filter(setStatus)} />
        <TextField label="Du" type="date" value={from} max={reference.today} onChange={filter(setFrom)} />
        <TextField label="Au" type="date" value={to} max={reference.today} onChange={filter(setTo)} />
      </div>
      {outcome ? <Notice kind={outcome.kind}>{outcome.text}</Notice> : null}
      <WhenLoaded state={list}>
        {(data) => (
          <>
            <table className="table online-payments">
              <TableHead columns={['Créé le', 'Famille', 'Porte-monnaie', { label: 'Montant', num: true }, 'Statut', 'Références PayFiP', 'Vérifications', 'Dernière erreur', 'Action']} />
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.id} data-status={r.status}>
                    <td>{formatInstant(r.createdAt)}</td>
                    <td>
                      <a href={`/staff/familles/${r.familyId}`} onClick={(e) => (e.preventDefault(), navigate(`/familles/${r.familyId}`))}>
                        {r.familyName}
                      </a>
                    </td>
                    <td>
                      {r.parts.length > 1
                        ? r.parts.map((p) => (
                            <div key={p.walletId} className="small">
                              {p.walletLabel} : <Money cents={p.amountCents} />
                            </div>
                          ))
                        : r.walletLabel}
                    </td>
                    <td className="num">
                      <Money cents={r.amountCents} />
                    </td>
                    <td>
                      {r.statusLabel}
                      {r.paidAtLocal ? <div className="small muted">PayFiP : {formatLocal(r.paidAtLocal)}</div> : null}
                    </td>
                    <td className="small">
                      <div>réf. {r.refdet}</div>
                      <div className="muted">idOp {r.idOp ?? '—'}</div>
                      {r.numauto ? <div className="muted">autorisation {r.numauto}</div> : null}
                    </td>
                    <td className="small">
                      {r.lastCheckedAt ? `${r.checkCount} — dernière le ${formatInstant(r.lastCheckedAt)}` : 'aucune'}
                      {r.nextCheckAt ? <div className="muted">prochaine le {formatInstant(r.nextCheckAt)}</div> : null}
                    </td>
                    <td className="small">{r.lastError ?? ''}</td>
                    <td>
                      {r.idOp && r.status !== 'paid' ? (
                        <button type="button" disabled={busy} aria-label={`Vérifier maintenant le paiement ${r.refdet}`} onClick={() => void verify(r)}>
                          Vérifier maintenant
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.rows.length === 0 ? <p className="muted">Aucun paiement en ligne pour ces filtres.</p> : null}
            <div className="button-row">
              <button type="button" disabled={page === 1} onClick={() => setPage(page - 1)}>
                ← Plus récents
              </button>
              <span aria-live="polite">Page {data.page}</span>
              <button type="button" disabled={!data.hasMore} onClick={() => setPage(page + 1)}>
                Plus anciens →
              </button>
            </div>
          </>
        )}
      </WhenLoaded>
    </>
  );
}
