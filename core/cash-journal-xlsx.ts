import type { Writable } from 'node:stream';
import { formatDateNumericFr } from './dates.js';
import { EXCEL_TIME, excelParisTime } from './excel-dates.js';
import type { CashJournal } from './sales.js';
import { newWorkbook, styleHeader } from './xlsx.js';

/** The day's cash journal as a workbook: totals by method, then the receipts (amounts in euros). */
export async function writeCashJournalXlsx(journal: CashJournal, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  // A closed session is dated by its closure, so its workbook's content never changes.
  if (journal.closure) wb.created = wb.modified = new Date(journal.closure.closedAt);
  const euros = '#,##0.00 "€"';
  const ws = wb.addWorksheet('Journal de caisse', { views: [{ state: 'frozen', ySplit: 8 }] });
  ws.columns = [{ width: 14 }, { width: 8 }, { width: 26 }, { width: 30 }, { width: 16 }, { width: 14 }, { width: 18 }, { width: 20 }, { width: 12 }];
  const title = ws.addRow([`Journal de caisse du ${formatDateNumericFr(journal.date)} — session ${journal.session}`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  ws.addRow([journal.closure ? `Session ${journal.session} clôturée par ${journal.closure.staffName}` : `Session ${journal.session} non clôturée`]).commit();
  const methods = [
    ['Espèces', 'especes'],
    ['Chèque', 'cheque'],
    ['Carte bancaire', 'carte'],
  ] as const;
  const firstReceiptRow = 9;
  const lastReceiptRow = firstReceiptRow + journal.receipts.length - 1;
  for (const [label, key] of methods) {
    const row = ws.addRow([
      label,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      journal.receipts.length
        ? { formula: `SUMIF(E${firstReceiptRow}:E${lastReceiptRow},"${label}",I${firstReceiptRow}:I${lastReceiptRow})`, result: journal.totalsByMethod[key] / 100 }
        : 0,
    ]);
    row.getCell(9).numFmt = euros;
    row.commit();
  }
  const total = ws.addRow(['Total', null, null, null, null, null, null, null, journal.receipts.length ? { formula: 'SUM(I3:I5)', result: journal.totalCents / 100 } : 0]);
  total.font = { bold: true };
  total.getCell(9).numFmt = euros;
  total.commit();
  ws.addRow([]).commit();
  const header = ws.addRow(['N° de reçu', 'Heure', 'Famille', 'Objet', 'Mode', 'Chèque n°', 'Banque', 'Agent', 'Montant']);
  styleHeader(header);
  header.commit();
  for (const r of journal.receipts) {
    const row = ws.addRow([
      r.numberLabel,
      excelParisTime(r.createdAt),
      `${r.familyName} (${r.familyCode})`,
      (r.cancelsReceiptNumber ? `Annule ${r.cancelsReceiptNumber} — ` : '') + (r.tickets != null && r.activityName ? `${r.tickets} × ${r.activityName}` : r.walletLabel),
      r.methodLabel,
      r.chequeNumber ?? '',
      r.chequeBank ?? '',
      r.staffName,
      r.amountCents / 100,
    ]);
    row.getCell(2).numFmt = EXCEL_TIME;
    row.getCell(9).numFmt = euros;
    row.commit();
  }
  ws.autoFilter = { from: { row: 8, column: 1 }, to: { row: 8, column: 9 } };
  ws.commit();
  await wb.commit();
}
