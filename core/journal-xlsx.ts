import type { Writable } from 'node:stream';
import type { AuditRowView } from '../api/staff.js';
import { EXCEL_DATE_TIME, excelParisTime } from './excel-dates.js';
import { newWorkbook, styleHeader } from './xlsx.js';

/** The Journal as the secretariat filtered it, one row per action, the date a real Excel date. */
export async function writeJournalXlsx(rows: AuditRowView[], title: string, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  const ws = wb.addWorksheet('Journal', { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  ws.columns = [{ width: 17 }, { width: 24 }, { width: 30 }, { width: 22 }, { width: 40 }, { width: 60 }];
  const head = ws.addRow([title]);
  head.font = { bold: true, size: 13 };
  head.commit();
  const header = ws.addRow(['Date', 'Auteur', 'Action', 'Famille', 'Note', 'Avant → après']);
  styleHeader(header);
  header.commit();
  for (const r of rows) {
    const row = ws.addRow([excelParisTime(r.at), r.actorName, r.actionLabel, r.familyName ?? '', r.note ?? '', r.changes.join('\n')]);
    row.getCell(1).numFmt = EXCEL_DATE_TIME;
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: 6 } };
  ws.commit();
  await wb.commit();
}
