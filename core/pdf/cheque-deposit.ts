import type { ChequeDepositView } from '../../api/cheques.js';
import type { CommuneIdentity } from '../../api/commune.js';
import { formatDateLongFr, formatDateNumericFr } from '../dates.js';
import { formatCents } from '../money.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/**
 * The "bordereau de remise de chèques" the régisseur hands to the bank with the cheques: the
 * commune and its régie, the slip's number and day, the account credited, each cheque (number,
 * bank, drawer, receipt, amount), the number of cheques and their total, then the totals of the
 * régisseur and of each deputy who took them. Dated by the slip: it prints the same every time.
 */
export function chequeDepositPdf(deposit: ChequeDepositView, commune: CommuneIdentity): Promise<Uint8Array> {
  return renderOffThread('chequeDeposit', drawChequeDeposit, [deposit, commune]);
}

export function drawChequeDeposit(deposit: ChequeDepositView, commune: CommuneIdentity): Promise<Uint8Array> {
  return buildPdf(
    {
      commune,
      title: `Bordereau de remise de chèques n° ${deposit.numberLabel}`,
      subtitle: `Remise du ${formatDateLongFr(deposit.depositDate)} — ${commune.regie}`,
      footer: `${commune.regie} — bordereau de remise de chèques n° ${deposit.numberLabel}`,
      subject: 'Bordereau de remise de chèques',
      createdAt: new Date(deposit.createdAt),
      orientation: 'landscape',
    },
    (pdf) => {
      pdf.paragraph(`Compte crédité : ${deposit.bankAccountLabel}`);
      pdf.paragraph(`Établi par : ${deposit.staffName}${commune.regisseur ? ` — régisseur : ${commune.regisseur}` : ''}`);
      pdf.paragraph(`Nombre de chèques : ${deposit.chequeCount}`, { bold: true });
      pdf.paragraph(`Montant total : ${formatCents(deposit.totalCents)}`, { bold: true });
      pdf.heading('Chèques remis');
      pdf.table({
        columns: [
          { header: 'N°', width: 0.4, align: 'right' },
          { header: 'N° de chèque', width: 1.4 },
          { header: 'Banque', width: 1.5 },
          { header: 'Tireur', width: 1.7 },
          { header: 'Reçu', width: 1.2 },
          { header: 'Du', width: 1.0 },
          { header: 'Montant', width: 1.0, align: 'right' },
        ],
        rows: deposit.cheques.map((c, i) => [String(i + 1), c.chequeNumber, c.chequeBank, c.drawer, c.receiptNumber, formatDateNumericFr(c.businessDate), formatCents(c.amountCents)]),
        totals: [['', `${deposit.chequeCount} chèque${deposit.chequeCount > 1 ? 's' : ''}`, '', '', '', 'Total', formatCents(deposit.totalCents)]],
      });
      pdf.heading('Totaux par régisseur et mandataire');
      pdf.table({
        columns: [
          { header: 'Encaissé par', width: 3 },
          { header: 'Chèques', width: 1, align: 'right' },
          { header: 'Montant', width: 1.5, align: 'right' },
        ],
        rows: deposit.bySeller.map((s) => [s.staffName, String(s.count), formatCents(s.totalCents)]),
        totals: [['Total', String(deposit.chequeCount), formatCents(deposit.totalCents)]],
      });
      pdf.space(20);
      pdf.paragraph('Signature du régisseur :                              Cachet de la banque :', { muted: true });
    },
  );
}
