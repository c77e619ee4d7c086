// Issue 8, console scope: the dérogation's reason and the Journal in French, on screen and in
// xlsx (real SQLite, the real Express app; the workbook read back with exceljs).
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { adjustWallet } from '../../core/wallet.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { type Browser, PASSWORD, snapshotCounts, signedInStaff, startHarness, type Harness } from './harness.js';

// Monday 2 March 2026, 10:00 Paris: Tuesday 3 March is past the Cantine's deadline (D-2 10:00).
const NOW = '2026-03-02T09:00:00.000Z';
let t: TestDb;
let h: Harness;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);
interface JournalRow {
  action: string;
  note: string | null;
  changes: string[];
}

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit' });
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

const lateLunch = () => ({ childId: t.ids.childLouisId, activityId: t.ids.activityIds.cantine, date: '2026-03-03', action: 'book' });

describe('a dérogation', () => {
  it('asks for a reason, next to its field, and writes nothing without one', async () => {
    const b = await signIn('secretariat');
    const before = await snapshotCounts(t.db);
    for (const overrideReason of [undefined, '', '  ', 'ok']) {
      const res = await b.post<{ error: { message: string; details: { field: string } } }>(`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [lateLunch()], override: true, overrideReason });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Dérogation : indiquez le motif (au moins 3 caractères).');
      expect(res.body.error.details.field).toBe('overrideReason');
    }
    expect(await snapshotCounts(t.db)).toEqual(before);
  });

  it('keeps the reason in the Journal', async () => {
    const b = await signIn('secretariat');
    const done = await b.post<{ results: Array<{ outcome: string }> }>(`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [lateLunch()], override: true, overrideReason: 'Oubli signalé par téléphone' });
    expect(done.body.results[0]!.outcome).toBe('done');
    const journal = await b.get<{ rows: JournalRow[] }>('/api/staff/audit?action=booking.override');
    expect(journal.body.rows[0]!.note).toMatch(/hors délai : .* — motif : Oubli signalé par téléphone$/);
    expect(journal.body.rows[0]!.changes).toEqual(expect.arrayContaining(['Motif : Oubli signalé par téléphone', 'État : (vide) → réservé', 'Jour : mardi 03/03', 'Enfant : Louis DEVRET', 'Activité : Cantine']));
  });
});

describe('the Journal', () => {
  it('says before → after in French sentences, not JSON', async () => {
    const b = await signIn('secretariat');
    expect((await b.put(`/api/staff/families/${t.ids.familyId}`, { quotientFamilial: '1 250', active: false })).status).toBe(200);
    expect((await b.post('/api/staff/attendance', { activityId: t.ids.activityIds.cantine, date: '2026-03-02', marks: [{ childId: t.ids.childJuliaId, present: true }] })).status).toBe(200);
    const journal = await b.get<{ rows: JournalRow[] }>('/api/staff/audit');
    const family = journal.body.rows.find((r) => r.action === 'family.update')!;
    expect(family.changes).toEqual(['Quotient familial : 850 → 1 250', 'Actif : oui → non']);
    const pointage = journal.body.rows.find((r) => r.action === 'attendance.record')!;
    expect(pointage.changes).toEqual(expect.arrayContaining(['Présent : oui', 'Absence justifiée : non']));
    const adjust = journal.body.rows.find((r) => r.action === 'wallet.adjust')!;
    expect(adjust.changes.join(' ').replace(/[\u202f\u00a0]/g, ' ')).toContain('Solde : 0,00 € → 50,00 €');
    for (const r of journal.body.rows) for (const line of r.changes) expect(line).not.toMatch(/[{}"]/);
  });

  it('exports to xlsx with the same filters, the dates as real Excel dates', async () => {
    const b = await signIn('secretariat');
    await b.put(`/api/staff/families/${t.ids.familyId}`, { quotientFamilial: 1250 });
    const file = await b.get('/api/staff/audit.xlsx?action=family.update&from=2026-03-02&to=2026-03-02', { raw: true });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes!.buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toBe('Journal du 02/03/2026 au 02/03/2026');
    expect(ws.getRow(2).values).toEqual([undefined, 'Date', 'Auteur', 'Action', 'Famille', 'Note', 'Avant → après']);
    expect(ws.rowCount).toBe(3);
    expect(ws.getCell('A3').type).toBe(ExcelJS.ValueType.Date);
    expect(ws.getCell('A3').value).toEqual(new Date('2026-03-02T10:00:00.000Z')); // 10:00 in Paris
    expect(ws.getCell('C3').value).toBe('Dossier modifié');
    expect(ws.getCell('D3').value).toBe('DEVRET');
    expect(ws.getCell('F3').value).toBe('Quotient familial : 850 → 1 250');
    const canteen = await signIn('restauration');
    expect((await canteen.get('/api/staff/audit.xlsx', { raw: true })).status).toBe(403);
  });
});
