import { formatDateLongFr, formatInstantFr } from '../dates.js';
import { formatCents } from '../money.js';
import type { Receipt } from '../sales.js';
import type { CommuneIdentity } from '../../api/commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/**
 * The numbered receipt handed at the counter, or the reversing receipt of a cancelled sale:
 * that one says what it cancels and what was paid back, never "encaissé" nor "crédité".
 */
export function receiptPdf(receipt: Receipt, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('receipt', drawReceipt, [receipt, commune, createdAt]);
}

export function drawReceipt(receipt: Receipt, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  const reversal = receipt.cancelsReceiptId != null;
  const cancelled = receipt.cancelsReceiptNumber ?? '';
  const tickets = receipt.tickets == null ? null : Math.abs(receipt.tickets);
  const amount = formatCents(reversal ? Math.abs(receipt.amountCents) : receipt.amountCents);
  return buildPdf(
    {
      commune,
      title: reversal ? `Annulation du reçu n° ${cancelled}` : `Reçu n° ${receipt.numberLabel}`,
      subtitle: `${reversal ? `Reçu n° ${receipt.numberLabel} — ` : ''}${commune.regie} — ${formatDateLongFr(receipt.businessDate)}`,
      footer: 'Reçu de la régie municipale — numérotation continue, à conserver.',
      subject: reversal ? 'Reçu d’annulation de la régie' : 'Reçu de la régie',
      createdAt,
    },
    (pdf) => {
      pdf.keyValues([
        ['Reçu n°', receipt.numberLabel],
        ...(reversal ? ([['Annulation du reçu n°', cancelled]] as Array<[string, string]>) : []),
        ['Famille', `${receipt.familyName} (dossier ${receipt.familyCode})`],
        ['Date', formatInstantFr(new Date(receipt.createdAt))],
        [reversal ? 'Porte-monnaie débité' : 'Porte-monnaie crédité', receipt.walletLabel],
        [reversal ? 'Mode de remboursement' : 'Mode de paiement', receipt.methodLabel],
        ...(receipt.method === 'cheque'
          ? ([
              ['Chèque n°', receipt.chequeNumber ?? ''],
              ['Banque', receipt.chequeBank ?? ''],
            ] as Array<[string, string]>)
          : []),
        [reversal ? 'Remboursé par' : 'Encaissé par', receipt.staffName],
      ]);
      if (reversal) pdf.paragraph(`Motif de l’annulation : ${receipt.reason ?? ''}`, { bold: true });
      const label =
        tickets != null && receipt.activityName
          ? `${tickets} ticket${tickets > 1 ? 's' : ''} ${receipt.activityName}`
          : `Crédit du porte-monnaie ${receipt.walletLabel}`;
      const unit = tickets ? formatCents(Math.round(Math.abs(receipt.amountCents) / tickets)) : amount;
      pdf.table({
        columns: [
          { header: 'Désignation', width: 4 },
          { header: 'Quantité', width: 1, align: 'right' },
          { header: 'Prix unitaire', width: 1.4, align: 'right' },
          { header: 'Montant', width: 1.4, align: 'right' },
        ],
        rows: [[reversal ? `Annulation : ${label}` : label, String(tickets ?? 1), unit, amount]],
      });
      pdf.totals([[reversal ? 'Remboursé' : 'Total encaissé', amount]], 12);
      if (receipt.cancelledByReceiptNumber) {
        pdf.paragraph(`Ce reçu a été annulé par le reçu n° ${receipt.cancelledByReceiptNumber}.`, { muted: true });
      }
    },
  );
}
