import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBookingChanges } from './bookings.js';
import { attendanceMatrix, columnLetter, mealCounts, toBuffer, writeAttendanceXlsx, writeMealCountsXlsx } from './exports.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

let t: TestDb;
// March 2026: Cantine served Mon, Tue, Thu, Fri; no school holiday in zone A that month.
const from = '2026-03-01';
const to = '2026-03-31';

async function readBack(buffer: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

const cellResult = (v: ExcelJS.CellValue): unknown => (v && typeof v === 'object' && 'formula' in v ? (v as ExcelJS.CellFormulaValue).result : v);

beforeEach(async () => {
  t = await createTestDb();
  const { ids, ctx, actors } = t;
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 20000, reason: 'crédit de test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: 20000, reason: 'crédit de test' });
  await t.db('children').where({ id: ids.childJuliaId }).update({ diet: 'vegetarien' });
  const c = ids.activityIds.cantine;
  const book = (childId: number, date: string) => ({ childId, activityId: c, date, action: 'book' as const });
  await applyBookingChanges(ctx, actors.secretariat, {
    familyId: ids.familyId,
    changes: [
      book(ids.childJuliaId, '2026-03-05'),
      book(ids.childJuliaId, '2026-03-06'),
      book(ids.childJuliaId, '2026-03-09'),
      book(ids.childLouisId, '2026-03-05'),
      book(ids.childMargotId, '2026-03-09'),
    ],
  });
  await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.otherFamilyId, changes: [book(ids.otherChildId, '2026-03-06')] });
  // Cancelled: must not count.
  await applyBookingChanges(ctx, actors.secretariat, { familyId: ids.familyId, changes: [{ ...book(ids.childLouisId, '2026-03-05'), action: 'cancel' }] });
});
afterEach(async () => {
  await t.db.destroy();
});

describe('attendance matrix', () => {
  it('has one row per booked child and a column per served day, matching the database', async () => {
    const m = await attendanceMatrix(t.ctx, { activityId: t.ids.activityIds.cantine, from, to, source: 'reservations' });
    // 31 days of March 2026, Cantine Mon/Tue/Thu/Fri: 18 served days.
    expect(m.dates).toHaveLength(18);
    expect(m.dates).not.toContain('2026-03-04'); // Wednesday
    expect(m.rows.map((r) => r.firstName)).toEqual(['Margot', 'Julia', 'Léo']); // maternelle first, then CM1
    expect(m.total).toBe(5);
    const db = await t.db('bookings').where({ activity_id: t.ids.activityIds.cantine, status: 'booked' }).whereBetween('date', [from, to]).count({ n: '*' }).first();
    expect(m.total).toBe(Number(db!.n));
  });

  it('writes a styled workbook whose X marks and totals equal the bookings', async () => {
    const buffer = await toBuffer((out) => writeAttendanceXlsx(t.ctx, { activityId: t.ids.activityIds.cantine, from, to, source: 'reservations' }, out));
    const ws = await readBack(buffer);
    expect(String(ws.getCell('A1').value)).toContain('Cantine — réservations du 01/03/2026 au 31/03/2026');
    const header = ws.getRow(2).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['Nom', 'Prénom', 'École', 'Classe']);
    // Day columns are real Excel dates (shown "lun. 02/03"), not text.
    expect(ws.getCell('E2').type).toBe(ExcelJS.ValueType.Date);
    expect(ws.getCell('E2').value).toEqual(new Date('2026-03-02T00:00:00.000Z'));
    expect(ws.getCell('E2').numFmt).toBe('ddd dd/mm');
    expect(header[header.length - 1]).toBe('Total');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 4, ySplit: 2 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getCell('A2').font?.bold).toBe(true);

    const totalCol = 4 + 18 + 1;
    let xs = 0;
    const rowsByName = new Map<string, number>();
    for (let r = 3; r <= 5; r++) {
      const row = ws.getRow(r);
      let rowX = 0;
      for (let c = 5; c < totalCol; c++) if (row.getCell(c).value === 'X') rowX++;
      expect(cellResult(row.getCell(totalCol).value)).toBe(rowX);
      expect((row.getCell(totalCol).value as ExcelJS.CellFormulaValue).formula).toBe(`COUNTIF(E${r}:${columnLetter(totalCol - 1)}${r},"X")`);
      rowsByName.set(String(row.getCell(2).value), rowX);
      xs += rowX;
    }
    expect(Object.fromEntries(rowsByName)).toEqual({ Margot: 1, Julia: 3, Léo: 1 });
    const totals = ws.getRow(6);
    expect(totals.getCell(1).value).toBe('Total par jour');
    expect(cellResult(totals.getCell(totalCol).value)).toBe(xs);
    // Thursday 5 March: Julia only (Louis cancelled).
    const thursdayCol = header.findIndex((v) => v instanceof Date && v.toISOString().startsWith('2026-03-05'));
    expect(cellResult(totals.getCell(thursdayCol).value)).toBe(1);
  });

  it('filters by school and class, and exports presences from the pointage', async () => {
    const byClass = await attendanceMatrix(t.ctx, {
      activityId: t.ids.activityIds.cantine, from, to, source: 'reservations', schoolId: t.ids.schoolElementaireId, className: 'CM1',
    });
    expect(byClass.rows.map((r) => r.firstName)).toEqual(['Julia', 'Léo']);
    await t.db('attendance').insert({ child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.cantine, date: '2026-03-05', present: true, recorded_at: '2026-03-05T12:00:00Z' });
    await t.db('attendance').insert({ child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.cantine, date: '2026-03-06', present: false, recorded_at: '2026-03-06T12:00:00Z' });
    const presences = await attendanceMatrix(t.ctx, { activityId: t.ids.activityIds.cantine, from, to, source: 'presences' });
    expect(presences.total).toBe(1);
    expect([...presences.rows[0]!.dates]).toEqual(['2026-03-05']);
  });

  it('refuses a bad period in French', async () => {
    await expect(attendanceMatrix(t.ctx, { activityId: t.ids.activityIds.cantine, from: '2026-03-31', to: '2026-03-01', source: 'reservations' })).rejects.toThrow(/précède/);
    await expect(attendanceMatrix(t.ctx, { activityId: t.ids.activityIds.cantine, from: '2025-01-01', to: '2026-03-01', source: 'reservations' })).rejects.toThrow(/une année/);
    await expect(attendanceMatrix(t.ctx, { activityId: 9999, from, to, source: 'reservations' })).rejects.toThrow(/Activité introuvable/);
  });
});

describe('meal counts for the caterer', () => {
  it('counts meals per school per day with the special diets, totals matching', async () => {
    const mc = await mealCounts(t.ctx, { from, to });
    expect(mc.total).toBe(5);
    const day6 = mc.days.find((d) => d.date === '2026-03-06')!;
    expect(day6.total).toBe(2);
    expect(day6.bySchool.get(t.ids.schoolElementaireId)?.byDiet.vegetarien).toBe(1);

    const ws = await readBack(await toBuffer((out) => writeMealCountsXlsx(t.ctx, { from, to }, out)));
    expect(ws.getRow(3).getCell(1).value).toBe('Date');
    // Each day is a real Excel date, shown dd/mm/yyyy.
    expect(ws.getRow(4).getCell(1).type).toBe(ExcelJS.ValueType.Date);
    expect(ws.getRow(4).getCell(1).value).toEqual(new Date(`${mc.days[0]!.date}T00:00:00.000Z`));
    expect(ws.getRow(4).getCell(1).numFmt).toBe('dd/mm/yyyy');
    expect(ws.getRow(2).getCell(3).value).toBe('École maternelle des Tilleuls');
    const last = ws.lastRow!;
    expect(last.getCell(1).value).toBe('Total');
    const lastCol = ws.getRow(3).cellCount;
    expect(cellResult(last.getCell(lastCol).value)).toBe(5);
    // élémentaire "Repas" column = 3 + 5 per-school columns
    expect(cellResult(last.getCell(8).value)).toBe(4);
    expect(cellResult(last.getCell(10).value)).toBe(3); // dont végétarien (Julia, three days)
  });
});
