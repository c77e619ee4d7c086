import { formatDateLongFr, formatInstantFr } from '../dates.js';
import { formatCents } from '../money.js';
import type { Receipt } from '../sales.js';
import { buildPdf } from './document.js';

/** The numbered receipt handed at the counter (or the reversing receipt of a cancelled sale). */
export function receiptPdf(receipt: Receipt, createdAt?: Date): Promise<Uint8Array> {
  const reversal = receipt.cancelsReceiptId != null;
  return buildPdf(
    {
      title: `${reversal ? 'Reçu d’annulation' : 'Reçu'} n° ${receipt.numberLabel}`,
      subtitle: `Régie des services périscolaires — ${formatDateLongFr(receipt.businessDate)}`,
      footer: 'Reçu de la régie municipale — numérotation continue, à conserver.',
      subject: 'Reçu de la régie',
      createdAt,
    },
    (pdf) => {
      pdf.keyValues([
        ['Reçu n°', receipt.numberLabel],
        ['Famille', `${receipt.familyName} (dossier ${receipt.familyCode})`],
        ['Date', formatInstantFr(new Date(receipt.createdAt))],
        ['Porte-monnaie crédité', receipt.walletLabel],
        ['Mode de paiement', receipt.methodLabel],
        ...(receipt.method === 'cheque'
          ? ([
              ['Chèque n°', receipt.chequeNumber ?? ''],
              ['Banque', receipt.chequeBank ?? ''],
            ] as Array<[string, string]>)
          : []),
        ['Encaissé par', receipt.staffName],
      ]);
      if (reversal) {
        pdf.paragraph(`Annule le reçu n° ${receipt.cancelsReceiptNumber ?? ''}. Motif : ${receipt.reason ?? ''}`, { bold: true });
      }
      const label =
        receipt.tickets != null && receipt.activityName
          ? `${receipt.tickets} ticket${receipt.tickets > 1 ? 's' : ''} ${receipt.activityName}`
          : `Crédit du porte-monnaie ${receipt.walletLabel}`;
      const unit = receipt.tickets ? formatCents(Math.round(receipt.amountCents / receipt.tickets)) : formatCents(receipt.amountCents);
      pdf.table({
        columns: [
          { header: 'Désignation', width: 4 },
          { header: 'Quantité', width: 1, align: 'right' },
          { header: 'Prix unitaire', width: 1.4, align: 'right' },
          { header: 'Montant', width: 1.4, align: 'right' },
        ],
        rows: [[reversal ? `Annulation : ${label}` : label, String(receipt.tickets ?? 1), unit, formatCents(receipt.amountCents)]],
      });
      pdf.totals([[reversal ? 'Total remboursé' : 'Total encaissé', formatCents(receipt.amountCents)]], 12);
      if (receipt.cancelledByReceiptNumber) {
        pdf.paragraph(`Ce reçu a été annulé par le reçu n° ${receipt.cancelledByReceiptNumber}.`, { muted: true });
      }
    },
  );
}
