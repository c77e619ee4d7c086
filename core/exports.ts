import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { parseWeekdays } from './booking-rules.js';
import { loadCalendar } from './calendar.js';
import { communeTitle } from '../api/commune.js';
import { compareClassNames } from '../api/school-classes.js';
import { getCommune } from './commune.js';
import type { CoreContext } from './context.js';
import { daysBetween, eachDate, formatDateNumericFr, isValidDate, isoWeekday, WEEKDAY_LABELS_FR } from './dates.js';
import { invalid, notFound } from './errors.js';
import { EXCEL_DAY, EXCEL_WEEKDAY, excelDay } from './excel-dates.js';
import { DIET_LABELS } from './meals.js';
import { columnLetter, newWorkbook, styleHeader, TOTAL_FILL, yieldToLoop } from './xlsx.js';

export { columnLetter, newWorkbook, styleHeader, toBuffer } from './xlsx.js';
export { writeCashJournalXlsx } from './cash-journal-xlsx.js';

/**
 * Excel exports for the secretariat and the caterer (exceljs, streamed, so a month for every
 * child stays fast and light): the attendance matrix of an activity (one row per child, one
 * column per day, "X" when booked or present, totals per row and per day), and the meal
 * counts per school per day. Totals are formulas whose cached results are the database counts,
 * so the file shows correct figures even in viewers that do not recalculate.
 */

export const MAX_EXPORT_DAYS = 366;

export type AttendanceSource = 'reservations' | 'presences';

export interface AttendanceExportInput {
  activityId: number;
  from: string;
  to: string;
  schoolId?: number | null;
  className?: string | null;
  /** reservations: booked days; presences: days ticked present at the pointage. */
  source: AttendanceSource;
}

export interface AttendanceRow {
  childId: number;
  lastName: string;
  firstName: string;
  schoolName: string;
  className: string;
  /** Dates marked "X" for this child. */
  dates: Set<string>;
}

export interface AttendanceMatrix {
  activity: { id: number; name: string };
  from: string;
  to: string;
  source: AttendanceSource;
  schoolName: string | null;
  className: string | null;
  /** The day columns: served open days of the period, plus any day that has a mark. */
  dates: string[];
  rows: AttendanceRow[];
  dayTotals: Map<string, number>;
  total: number;
}

/** Children per page when the matrix is read. */
const MATRIX_PAGE = 250;
/** Rows written between two turns given back to the event loop. */
const ROWS_PER_TURN = 100;

const CENTERED: Partial<ExcelJS.Style> = { alignment: { horizontal: 'center' } };
const CENTERED_BOLD: Partial<ExcelJS.Style> = { alignment: { horizontal: 'center' }, font: { bold: true } };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareNullsFirst = (a: number | null, b: number | null): number => (a === b ? 0 : a == null ? -1 : b == null ? 1 : a - b);

function checkPeriod(from: string, to: string): void {
  if (!isValidDate(from) || !isValidDate(to)) throw invalid('Période invalide : dates attendues au format AAAA-MM-JJ.');
  if (to < from) throw invalid('La fin de la période précède son début.');
  if (daysBetween(from, to) + 1 > MAX_EXPORT_DAYS) throw invalid('La période est limitée à une année.');
}

/** The matrix in memory; three queries whatever the period or the number of children. */
export async function attendanceMatrix(ctx: CoreContext, input: AttendanceExportInput): Promise<AttendanceMatrix> {
  checkPeriod(input.from, input.to);
  const activity = (await ctx.db('activities').where({ id: input.activityId }).first('id', 'name', 'weekdays')) as
    | { id: number; name: string; weekdays: string }
    | undefined;
  if (!activity) throw notFound('Activité');
  let schoolName: string | null = null;
  if (input.schoolId != null) {
    const school = (await ctx.db('schools').where({ id: input.schoolId }).first('name')) as { name: string } | undefined;
    if (!school) throw notFound('École');
    schoolName = school.name;
  }
  const calendar = await loadCalendar(ctx.db, input.from, input.to);

  // Read by pages of 250 children, yielding between pages: a month of a city is 400,000 marks,
  // one query would hold the event loop for seconds. The page's ids drive the unique
  // child/activity/date index (a range of ids left SQLite scanning the activity's index).
  const rowsById = new Map<number, AttendanceRow & { schoolPosition: number | null }>();
  const dayTotals = new Map<string, number>();
  let total = 0;
  for (let after = 0; ; ) {
    const pageQuery = ctx.db('children').where('id', '>', after).orderBy('id').limit(MATRIX_PAGE).pluck('id');
    if (input.schoolId != null) pageQuery.where('school_id', input.schoolId);
    if (input.className) pageQuery.where('class_name', input.className);
    const ids = ((await pageQuery) as Array<number | string>).map(Number);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    const q =
      input.source === 'presences'
        ? ctx.db('attendance as m').where('m.present', true)
        : ctx.db('bookings as m').where('m.status', 'booked');
    q.join('children as c', 'c.id', 'm.child_id')
      .leftJoin('schools as s', 's.id', 'c.school_id')
      .where('m.activity_id', activity.id)
      .whereIn('m.child_id', ids)
      .whereBetween('m.date', [input.from, input.to])
      .select('m.date', 'c.id as child_id', 'c.first_name', 'c.last_name', 'c.class_name', 's.name as school_name', 's.position as school_position');
    const marks = (await q) as Array<{ date: string; child_id: number; first_name: string; last_name: string; class_name: string; school_name: string | null; school_position: number | null }>;
    for (const m of marks) {
      let row = rowsById.get(m.child_id);
      if (!row) {
        row = { childId: m.child_id, lastName: m.last_name, firstName: m.first_name, schoolName: m.school_name ?? '', className: m.class_name, dates: new Set(), schoolPosition: m.school_position };
        rowsById.set(m.child_id, row);
      }
      row.dates.add(m.date);
      dayTotals.set(m.date, (dayTotals.get(m.date) ?? 0) + 1);
    }
    total += marks.length;
    await yieldToLoop();
  }
  // Schools in their order, classes in school order (PS … CM2), then names; in code, the same on both engines.
  // Class names ranked once: compareClassNames collates in French, too slow for 300,000 calls.
  const classRank = new Map([...new Set([...rowsById.values()].map((r) => r.className))].sort(compareClassNames).map((c, i) => [c, i]));
  const rows = [...rowsById.values()].sort(
    (a, b) =>
      compareNullsFirst(a.schoolPosition, b.schoolPosition) ||
      compareText(a.schoolName, b.schoolName) ||
      classRank.get(a.className)! - classRank.get(b.className)! ||
      compareText(a.lastName, b.lastName) ||
      compareText(a.firstName, b.firstName) ||
      a.childId - b.childId,
  );

  const served = new Set(parseWeekdays(activity.weekdays));
  const dates = eachDate(input.from, input.to).filter(
    (d) => dayTotals.has(d) || (served.has(isoWeekday(d)) && calendar.closureFor(d, activity.id, input.schoolId ?? null) == null),
  );
  for (const d of dates) if (!dayTotals.has(d)) dayTotals.set(d, 0);
  return {
    activity: { id: activity.id, name: activity.name },
    from: input.from,
    to: input.to,
    source: input.source,
    schoolName,
    className: input.className || null,
    dates,
    rows: rows.map(({ schoolPosition: _, ...row }) => row),
    dayTotals,
    total,
  };
}

/** Writes the attendance matrix workbook to `out` (an HTTP response, a file, a buffer). */
export async function writeAttendanceXlsx(ctx: CoreContext, input: AttendanceExportInput, out: Writable): Promise<AttendanceMatrix> {
  const m = await attendanceMatrix(ctx, input);
  await writeAttendanceMatrixXlsx(m, out, communeTitle(await getCommune(ctx.db)));
  return m;
}

/** Writes an already computed matrix (the server computes first, so a bad request still gets JSON). */
export async function writeAttendanceMatrixXlsx(m: AttendanceMatrix, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  const fixed = ['Nom', 'Prénom', 'École', 'Classe'];
  const firstDay = fixed.length + 1;
  const lastDay = fixed.length + m.dates.length;
  const totalCol = lastDay + 1;
  const headerRowNo = 2;
  const ws = wb.addWorksheet(m.source === 'presences' ? 'Présences' : 'Réservations', {
    views: [{ state: 'frozen', xSplit: fixed.length, ySplit: headerRowNo }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  ws.columns = [
    { width: 18 },
    { width: 14 },
    { width: 22 },
    { width: 9 },
    ...m.dates.map(() => ({ width: 7.5 })),
    { width: 8 },
  ];

  const what = m.source === 'presences' ? 'présences' : 'réservations';
  const scope = [m.schoolName, m.className ? `classe ${m.className}` : null].filter(Boolean).join(', ');
  const title = ws.addRow([`${m.activity.name} — ${what} du ${formatDateNumericFr(m.from)} au ${formatDateNumericFr(m.to)}${scope ? ` — ${scope}` : ''}`]);
  title.font = { bold: true, size: 13 };
  title.commit();

  const header = ws.addRow([...fixed, ...m.dates.map(excelDay), 'Total']);
  styleHeader(header);
  for (let c = firstDay; c <= lastDay; c++) header.getCell(c).numFmt = EXCEL_WEEKDAY;
  header.commit();

  const firstDataRow = headerRowNo + 1;
  let r = firstDataRow;
  const dayRange = (row: number) => `${columnLetter(firstDay)}${row}:${columnLetter(lastDay)}${row}`;
  for (const child of m.rows) {
    const values: ExcelJS.CellValue[] = [child.lastName, child.firstName, child.schoolName, child.className];
    for (const d of m.dates) values.push(child.dates.has(d) ? 'X' : null);
    values.push(m.dates.length ? { formula: `COUNTIF(${dayRange(r)},"X")`, result: child.dates.size } : child.dates.size);
    const row = ws.addRow(values);
    // Shared style objects: exceljs serialises a style once per object, not once per cell.
    for (let c = firstDay; c < totalCol; c++) row.getCell(c).style = CENTERED;
    row.getCell(totalCol).style = CENTERED_BOLD;
    row.commit();
    r++;
    if ((r - firstDataRow) % ROWS_PER_TURN === 0) await yieldToLoop();
  }
  const lastDataRow = r - 1;

  const totals: ExcelJS.CellValue[] = ['Total par jour', null, null, null];
  m.dates.forEach((d, i) => {
    const col = columnLetter(firstDay + i);
    totals.push(m.rows.length ? { formula: `COUNTIF(${col}${firstDataRow}:${col}${lastDataRow},"X")`, result: m.dayTotals.get(d) ?? 0 } : 0);
  });
  const tc = columnLetter(totalCol);
  totals.push(m.rows.length ? { formula: `SUM(${tc}${firstDataRow}:${tc}${lastDataRow})`, result: m.total } : 0);
  const totalRow = ws.addRow(totals);
  totalRow.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = TOTAL_FILL;
    cell.border = { top: { style: 'thin' } };
  });
  for (let c = firstDay; c <= totalCol; c++) totalRow.getCell(c).alignment = { horizontal: 'center' };
  totalRow.commit();

  ws.autoFilter = { from: { row: headerRowNo, column: 1 }, to: { row: headerRowNo, column: totalCol } };
  ws.commit();
  await wb.commit();
}

// ---------------------------------------------------------------------------------------------
// Meal counts for the caterer

export interface MealCountsInput {
  from: string;
  to: string;
}

export interface MealCountCell {
  total: number;
  byDiet: Record<string, number>;
  pai: number;
}

export interface MealCounts {
  from: string;
  to: string;
  schools: Array<{ id: number | null; name: string }>;
  /** Rows by date, then by school id (null = no school). */
  days: Array<{ date: string; bySchool: Map<number | null, MealCountCell>; total: number }>;
  total: number;
}

const SPECIAL_DIETS = ['sans_porc', 'vegetarien', 'sans_gluten'] as const;

/** Meals booked per school per day, with the special diets the kitchen prepares; two queries plus the calendar. */
export async function mealCounts(ctx: CoreContext, input: MealCountsInput): Promise<MealCounts> {
  checkPeriod(input.from, input.to);
  const rows = (await ctx
    .db('bookings as b')
    .join('activities as a', 'a.id', 'b.activity_id')
    .join('children as c', 'c.id', 'b.child_id')
    .where('b.status', 'booked')
    .andWhere('a.meal', true)
    .whereBetween('b.date', [input.from, input.to])
    .groupBy('b.date', 'c.school_id', 'c.diet', 'c.pai')
    .select('b.date', 'c.school_id', 'c.diet', 'c.pai')
    .count({ n: '*' })) as Array<{ date: string; school_id: number | null; diet: string; pai: number | boolean; n: number | string }>;
  const schoolRows = (await ctx.db('schools').select('id', 'name').orderBy(['position', 'name'])) as Array<{ id: number; name: string }>;
  const meals = (await ctx.db('activities').where({ meal: true, active: true }).select('id', 'weekdays')) as Array<{ id: number; weekdays: string }>;
  const calendar = await loadCalendar(ctx.db, input.from, input.to);

  const schools: MealCounts['schools'] = schoolRows.map((s) => ({ id: s.id, name: s.name }));
  if (rows.some((r) => r.school_id == null)) schools.push({ id: null, name: 'Sans école' });

  const byDate = new Map<string, Map<number | null, MealCountCell>>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    const day = byDate.get(r.date) ?? new Map<number | null, MealCountCell>();
    byDate.set(r.date, day);
    const cell = day.get(r.school_id) ?? { total: 0, byDiet: {}, pai: 0 };
    day.set(r.school_id, cell);
    cell.total += n;
    cell.byDiet[r.diet] = (cell.byDiet[r.diet] ?? 0) + n;
    if (r.pai) cell.pai += n;
    total += n;
  }
  const servedDay = (d: string) => meals.some((a) => parseWeekdays(a.weekdays).includes(isoWeekday(d)) && calendar.closureFor(d, a.id, null) == null);
  const days = eachDate(input.from, input.to)
    .filter((d) => byDate.has(d) || servedDay(d))
    .map((d) => {
      const bySchool = byDate.get(d) ?? new Map<number | null, MealCountCell>();
      let dayTotal = 0;
      for (const c of bySchool.values()) dayTotal += c.total;
      return { date: d, bySchool, total: dayTotal };
    });
  return { from: input.from, to: input.to, schools, days, total };
}

export async function writeMealCountsXlsx(ctx: CoreContext, input: MealCountsInput, out: Writable): Promise<MealCounts> {
  const mc = await mealCounts(ctx, input);
  await writeMealCountsTableXlsx(mc, out, communeTitle(await getCommune(ctx.db)));
  return mc;
}

export async function writeMealCountsTableXlsx(mc: MealCounts, out: Writable, company = ''): Promise<void> {
  const wb = newWorkbook(out, company);
  const perSchool = ['Repas', ...SPECIAL_DIETS.map((d) => `dont ${DIET_LABELS[d]!.toLowerCase()}`), 'dont PAI'];
  const ws = wb.addWorksheet('Repas par école', {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  ws.columns = [{ width: 12 }, { width: 11 }, ...mc.schools.flatMap(() => perSchool.map(() => ({ width: 11 }))), { width: 12 }];
  const title = ws.addRow([`Repas réservés par école du ${formatDateNumericFr(mc.from)} au ${formatDateNumericFr(mc.to)}`]);
  title.font = { bold: true, size: 13 };
  title.commit();

  // Row 2: school names over their column groups; row 3: the column headers.
  const groupRow = ws.addRow(['', '', ...mc.schools.flatMap((s) => perSchool.map((_, i) => (i === 0 ? s.name : ''))), '']);
  groupRow.font = { bold: true };
  groupRow.commit();
  const header = ws.addRow(['Date', 'Jour', ...mc.schools.flatMap(() => perSchool), 'Total repas']);
  styleHeader(header);
  header.commit();

  const firstDataRow = 4;
  const totalCol = 2 + mc.schools.length * perSchool.length + 1;
  let r = firstDataRow;
  for (const day of mc.days) {
    const values: ExcelJS.CellValue[] = [excelDay(day.date), WEEKDAY_LABELS_FR[isoWeekday(day.date) - 1]!];
    for (const s of mc.schools) {
      const cell = day.bySchool.get(s.id);
      values.push(cell?.total ?? 0, ...SPECIAL_DIETS.map((d) => cell?.byDiet[d] ?? 0), cell?.pai ?? 0);
    }
    const schoolTotals = mc.schools.map((_, i) => `${columnLetter(3 + i * perSchool.length)}${r}`);
    values.push(schoolTotals.length ? { formula: schoolTotals.join('+'), result: day.total } : 0);
    const row = ws.addRow(values);
    row.getCell(1).numFmt = EXCEL_DAY;
    row.getCell(totalCol).font = { bold: true };
    row.commit();
    r++;
  }
  const lastDataRow = r - 1;
  const totals: ExcelJS.CellValue[] = ['Total', ''];
  for (let c = 3; c <= totalCol; c++) {
    const col = columnLetter(c);
    const result = (() => {
      if (c === totalCol) return mc.total;
      const schoolIndex = Math.floor((c - 3) / perSchool.length);
      const part = (c - 3) % perSchool.length;
      const s = mc.schools[schoolIndex]!;
      return mc.days.reduce((sum, d) => {
        const cell = d.bySchool.get(s.id);
        if (!cell) return sum;
        if (part === 0) return sum + cell.total;
        if (part <= SPECIAL_DIETS.length) return sum + (cell.byDiet[SPECIAL_DIETS[part - 1]!] ?? 0);
        return sum + cell.pai;
      }, 0);
    })();
    totals.push(mc.days.length ? { formula: `SUM(${col}${firstDataRow}:${col}${lastDataRow})`, result } : 0);
  }
  const totalRow = ws.addRow(totals);
  totalRow.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = TOTAL_FILL;
    cell.border = { top: { style: 'thin' } };
  });
  totalRow.commit();
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: totalCol } };
  ws.commit();
  await wb.commit();
}

