import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { CAF_AGE_BAND_LABELS, hoursOf, type CafReport } from '../api/caf.js';
import { formatDateNumericFr } from './dates.js';
import { newWorkbook, styleHeader, TOTAL_FILL } from './xlsx.js';

/**
 * "Statistiques CAF" in Excel: one table, a row per activity × age band × QF band with the days
 * pointed present, the hours (decimal, 2 decimals) and the distinct children, then each
 * activity's total and the grand total; a second sheet lists each activity's hours per day.
 * The report has a few dozen rows at most: it is written row by row into the streaming writer.
 */
const HOURS = '0.00';

export async function writeCafXlsx(report: CafReport, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  const ws = wb.addWorksheet('Statistiques CAF', {
    views: [{ state: 'frozen', ySplit: 4 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  ws.columns = [{ width: 26 }, { width: 16 }, { width: 18 }, { width: 14 }, { width: 12 }, { width: 14 }];
  const period = `du ${formatDateNumericFr(report.from)} au ${formatDateNumericFr(report.to)}`;
  const title = ws.addRow([`Heures de présence pour la CAF ${period}`]);
  title.font = { bold: true, size: 13 };
  title.commit();
  ws.addRow([
    'Heures = jours pointés présents × durée comptée par jour de l’activité. Âge au jour de la présence (6 ans et plus dès le 6e anniversaire). QF : celui du dossier famille.',
  ]).commit();
  ws.addRow([]).commit();
  const header = ws.addRow(['Activité', 'Tranche d’âge', 'Tranche de QF', 'Jours de présence', 'Heures', 'Enfants distincts']);
  styleHeader(header);
  header.commit();

  const bandLabel = new Map(report.qfBands.map((b) => [b.key, b.label]));
  const addTotal = (label: string, days: number, minutes: number, children: number) => {
    const row = ws.addRow([label, '', '', days, hoursOf(minutes), children]);
    row.font = { bold: true };
    row.eachCell({ includeEmpty: true }, (c) => (c.fill = TOTAL_FILL));
    row.getCell(5).numFmt = HOURS;
    row.commit();
  };
  for (const a of report.activities) {
    for (const l of report.lines.filter((x) => x.activityId === a.activityId)) {
      const values: ExcelJS.CellValue[] = [a.name, CAF_AGE_BAND_LABELS[l.ageBand], bandLabel.get(l.qfBand) ?? l.qfBand, l.days, hoursOf(l.minutes), l.children];
      const row = ws.addRow(values);
      row.getCell(5).numFmt = HOURS;
      row.commit();
    }
    addTotal(`Total ${a.name}`, a.days, a.minutes, a.children);
  }
  addTotal('Total général', report.total.days, report.total.minutes, report.total.children);
  ws.commit();

  const settings = wb.addWorksheet('Durées par activité');
  settings.columns = [{ width: 26 }, { width: 22 }, { width: 16 }];
  const h = settings.addRow(['Activité', 'Durée comptée par jour (minutes)', 'Heures par jour']);
  styleHeader(h);
  h.commit();
  for (const a of report.activities) {
    const row = settings.addRow([a.name, a.minutesPerDay, hoursOf(a.minutesPerDay)]);
    row.getCell(3).numFmt = HOURS;
    row.commit();
  }
  settings.commit();
  await wb.commit();
}
