import { formatDateLongFr, formatInstantFr, parisTimeOf } from '../dates.js';
import { formatCents } from '../money.js';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS } from '../../api/rules.js';
import type { CashJournal } from '../sales.js';
import type { CommuneIdentity } from '../../api/commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

/**
 * The régisseur's cash journal of one session of a day: totals by method, then every receipt in
 * number order. A closed session is dated by its closure and shows nothing that may change later,
 * so it prints the same bytes whenever it is printed.
 */
export function cashJournalPdf(journal: CashJournal, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('cashJournal', drawCashJournal, [journal, commune, createdAt]);
}

export function drawCashJournal(journal: CashJournal, commune: CommuneIdentity, createdAt?: Date): Promise<Uint8Array> {
  const session = `session ${journal.session}`;
  return buildPdf(
    {
      commune,
      title: `Journal de caisse du ${formatDateLongFr(journal.date)} — ${session}`,
      subtitle: journal.closure
        ? `Session ${journal.session} clôturée le ${formatInstantFr(new Date(journal.closure.closedAt))} par ${journal.closure.staffName}`
        : `Session ${journal.session} non clôturée`,
      footer: `${commune.regie} — journal de caisse`,
      subject: 'Journal de caisse',
      createdAt: journal.closure ? new Date(journal.closure.closedAt) : createdAt,
      orientation: 'landscape',
    },
    (pdf) => {
      pdf.heading('Totaux par mode de paiement');
      pdf.table({
        columns: [
          { header: 'Mode de paiement', width: 3 },
          { header: 'Reçus', width: 1, align: 'right' },
          { header: 'Montant', width: 1.5, align: 'right' },
        ],
        rows: PAYMENT_METHODS.map((m) => [PAYMENT_METHOD_LABELS[m], String(journal.receipts.filter((r) => r.method === m).length), formatCents(journal.totalsByMethod[m])]),
        totals: [[`Total de la ${session}`, String(journal.count), formatCents(journal.totalCents)]],
      });
      pdf.heading(`Reçus de la ${session}`);
      pdf.table({
        columns: [
          { header: 'N° de reçu', width: 1.3 },
          { header: 'Heure', width: 0.7 },
          { header: 'Famille', width: 2 },
          { header: 'Objet', width: 2.4 },
          { header: 'Mode', width: 1.2 },
          { header: 'Chèque', width: 1.6 },
          { header: 'Agent', width: 1.4 },
          { header: 'Montant', width: 1.1, align: 'right' },
        ],
        rows: journal.receipts.map((r) => [
          r.numberLabel,
          parisTimeOf(new Date(r.createdAt)),
          `${r.familyName} (${r.familyCode})`,
          (r.cancelsReceiptNumber ? `Annule ${r.cancelsReceiptNumber} — ` : '') + (r.tickets != null && r.activityName ? `${r.tickets} × ${r.activityName}` : r.walletLabel),
          r.methodLabel,
          r.method === 'cheque' ? `${r.chequeNumber ?? ''} ${r.chequeBank ?? ''}`.trim() : '',
          r.staffName,
          formatCents(r.amountCents),
        ]),
        emptyText: 'Aucun encaissement ce jour.',
        totals: [['Total', '', '', '', '', '', '', formatCents(journal.totalCents)]],
      });
      pdf.space(20);
      pdf.paragraph('Visa du régisseur :                                   Date :', { muted: true });
    },
  );
}
