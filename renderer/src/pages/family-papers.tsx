import { useState } from 'react';
import type { InvoiceView } from '../../../api/parent.js';
import { formatMonthFr } from '../../../api/format.js';
import { api, messageOf, saveDownload } from '../api.js';
import { Field, formatDay, Money, Notice, TableHead, useAction, useLoad, WhenLoaded } from '../ui.js';

/**
 * "Factures et attestations" of the family page: the family's invoices and monthly statements,
 * the "Attestation de frais de garde" of a year (children under 6 on 1 January, garderie paid)
 * and the "Attestation de présence" of a period, each downloaded as a PDF drawn by the server.
 */

const KIND_LABELS: Record<string, string> = { topup: 'Crédit en ligne', counter: 'Achat au guichet', statement: 'Relevé' };
const STATUS_LABELS: Record<string, string> = { paid: 'Acquittée', issued: 'Émise', cancelled: 'Annulée' };

const pad = (n: number) => String(n).padStart(2, '0');
const isoOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last full month before today's, as a default period. */
function lastMonth(): { du: string; au: string } {
  const now = new Date();
  const end = new Date(now.getFullYear(), now.getMonth(), 0);
  return { du: isoOf(new Date(end.getFullYear(), end.getMonth(), 1)), au: isoOf(end) };
}

export function FamilyPapers({ familyId, familyName }: { familyId: number; familyName: string }) {
  return (
    <section className="card" aria-labelledby="papers-title">
      <h2 id="papers-title">Factures et attestations</h2>
      <InvoicesPart familyId={familyId} familyName={familyName} />
      <ChildcarePart familyId={familyId} familyName={familyName} />
      <PresencePart familyId={familyId} familyName={familyName} />
    </section>
  );
}

function InvoicesPart({ familyId, familyName }: { familyId: number; familyName: string }) {
  const list = useLoad(() => api.call('staff.familyInvoices', { params: { id: familyId } }), [familyId]);
  const { busy, run } = useAction();
  const [month, setMonth] = useState('');
  const invoicePdf = (i: InvoiceView) =>
    run(() => saveDownload(api.download('staff.familyInvoicePdf', { params: { id: familyId, invoiceId: i.id } }), `Facture ${i.number}.pdf`));
  return (
    <WhenLoaded state={list}>
      {(data) => (
        <>
          <h3>Factures</h3>
          {data.invoices.length === 0 ? (
            <p className="muted">Aucune facture.</p>
          ) : (
            <table className="table">
              <TableHead columns={['Numéro', 'Date', 'Objet', { label: 'Montant', num: true }, 'Statut', '']} />
              <tbody>
                {data.invoices.map((i) => (
                  <tr key={i.id}>
                    <td>{i.number}</td>
                    <td>{formatDay(i.issuedOn)}</td>
                    <td>{KIND_LABELS[i.kind] ?? i.kind}</td>
                    <td className="num">
                      <Money cents={i.totalCents} />
                    </td>
                    <td>{STATUS_LABELS[i.status] ?? i.status}</td>
                    <td>
                      <button type="button" disabled={busy} onClick={() => void invoicePdf(i)} aria-label={`Télécharger la facture ${i.number}`}>
                        Télécharger
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Relevés mensuels</h3>
          {data.statementMonths.length === 0 ? (
            <p className="muted">Aucune opération sur le compte de la famille.</p>
          ) : (
            <div className="filters">
              <Field label="Mois du relevé">
                <select value={month || data.statementMonths[0]} onChange={(e) => setMonth(e.target.value)}>
                  {data.statementMonths.map((m) => (
                    <option key={m} value={m}>
                      {formatMonthFr(m)}
                    </option>
                  ))}
                </select>
              </Field>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  const m = month || data.statementMonths[0]!;
                  void run(() => saveDownload(api.download('staff.familyStatementPdf', { params: { id: familyId, month: m } }), `Relevé ${m} ${familyName}.pdf`));
                }}
              >
                Télécharger le relevé
              </button>
            </div>
          )}
        </>
      )}
    </WhenLoaded>
  );
}

function ChildcarePart({ familyId, familyName }: { familyId: number; familyName: string }) {
  const current = new Date().getFullYear();
  const years = [0, 1, 2, 3, 4, 5].map((k) => current - k);
  const [year, setYear] = useState(current - 1);
  const summary = useLoad(() => api.call('staff.childcareCertificate', { params: { id: familyId }, query: { annee: year } }), [familyId, year]);
  const { busy, run } = useAction();
  return (
    <>
      <h3>Attestation de frais de garde</h3>
      <p className="muted small">Garderie payée pour les enfants de moins de 6 ans au 1er janvier de l’année (crédit d’impôt pour frais de garde), cantine exclue.</p>
      <div className="filters">
        <Field label="Année">
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <WhenLoaded state={summary}>
        {(c) =>
          c.noCertificate ? (
            <Notice kind="info">{c.noCertificate}</Notice>
          ) : (
            <>
              <table className="table">
                <TableHead columns={['Enfant', 'Né(e) le', 'Période couverte', { label: 'Jours', num: true }, { label: 'Montant payé', num: true }]} />
                <tbody>
                  {c.lines.map((l) => (
                    <tr key={l.childId}>
                      <td>
                        {l.firstName} {l.lastName}
                      </td>
                      <td>{formatDay(l.birthDate)}</td>
                      <td>
                        du {formatDay(l.firstDate)} au {formatDay(l.lastDate)}
                      </td>
                      <td className="num">{l.days}</td>
                      <td className="num">
                        <Money cents={l.paidCents} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() =>
                  void run(() =>
                    saveDownload(api.download('staff.childcareCertificatePdf', { params: { id: familyId }, query: { annee: year } }), `Attestation frais de garde ${year} ${familyName}.pdf`),
                  )
                }
              >
                Télécharger l’attestation de frais de garde {year}
              </button>
            </>
          )
        }
      </WhenLoaded>
    </>
  );
}

function PresencePart({ familyId, familyName }: { familyId: number; familyName: string }) {
  const [period, setPeriod] = useState(lastMonth);
  const [error, setError] = useState<{ field: 'du' | 'au'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await saveDownload(api.download('staff.presenceCertificatePdf', { params: { id: familyId }, query: period }), `Attestation de présence ${familyName}.pdf`);
    } catch (e) {
      const message = messageOf(e);
      setError({ field: /début/.test(message) ? 'du' : 'au', message });
    } finally {
      setBusy(false);
    }
  };
  const change = (field: 'du' | 'au', value: string) => {
    setError(null);
    setPeriod((p) => ({ ...p, [field]: value }));
  };
  return (
    <>
      <h3>Attestation de présence</h3>
      <p className="muted small">Jours de présence pointés par enfant et par activité, pour un employeur ou la CAF.</p>
      <div className="filters">
        <Field label="Du" error={error?.field === 'du' ? error.message : undefined}>
          <input type="date" value={period.du} onChange={(e) => change('du', e.target.value)} />
        </Field>
        <Field label="Au" error={error?.field === 'au' ? error.message : undefined}>
          <input type="date" value={period.au} onChange={(e) => change('au', e.target.value)} />
        </Field>
        <button type="button" disabled={busy} onClick={() => void download()}>
          Télécharger l’attestation de présence
        </button>
      </div>
    </>
  );
}
