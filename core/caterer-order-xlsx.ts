import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { CatererFigures, CatererOrderView } from '../api/routes/staff-caterer.js';
import { formatDateNumericFr, isoWeekday, WEEKDAY_LABELS_FR } from './dates.js';
import { EXCEL_DAY, excelDay } from './excel-dates.js';
import { newWorkbook, styleHeader, TOTAL_FILL, yieldToLoop } from './xlsx.js';

/**
 * The caterer's order as a workbook (streamed, like core/xlsx.ts): one row per day and school,
 * so the caterer filters and sums as they like, the diets in columns, then allergies, PAI,
 * adults, total and the pointage's actual count (empty for a day to come or not pointed). A
 * last row totals the range. Counts of meals only: no money figure.
 */
export async function writeCatererOrderXlsx(order: CatererOrderView, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  const ws = wb.addWorksheet('Commande traiteur', {
    views: [{ state: 'frozen', xSplit: 3, ySplit: 2 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  const headers = ['Date', 'Jour', 'École', ...order.diets.map((d) => d.label), 'Allergies', 'PAI', 'Enfants', 'Adultes', 'Total repas', 'Réel (pointage)'];
  ws.columns = headers.map((_, i) => ({ width: i === 2 ? 34 : 12 }));
  const title = ws.addRow([`Commande traiteur du ${formatDateNumericFr(order.from)} au ${formatDateNumericFr(order.to)}`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  const header = ws.addRow(headers);
  styleHeader(header);
  header.commit();

  const figures = (f: CatererFigures): ExcelJS.CellValue[] => [
    ...order.diets.map((d) => f.byDiet[d.code] ?? 0),
    f.allergies,
    f.pai,
    f.children,
    f.adults,
    f.total,
    f.actual,
  ];
  const schoolName = new Map(order.schools.map((s) => [s.id, s.name]));
  let written = 0;
  for (const day of order.days) {
    for (const c of day.cells) {
      const row = ws.addRow([excelDay(day.date), WEEKDAY_LABELS_FR[isoWeekday(day.date) - 1]!, schoolName.get(c.schoolId) ?? '', ...figures(c)]);
      row.getCell(1).numFmt = EXCEL_DAY;
      row.commit();
    }
    if (++written % 20 === 0) await yieldToLoop();
  }
  const total = ws.addRow(['Total', '', '', ...figures(order.totals)]);
  total.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = TOTAL_FILL;
    cell.border = { top: { style: 'thin' } };
  });
  total.commit();
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: headers.length } };
  ws.commit();
  await wb.commit();
}
