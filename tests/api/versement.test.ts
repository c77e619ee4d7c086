// État de versement and cash count over HTTP (real database, the real Express app, sessions and
// CSRF): roles, bad input answered in French next to its field with nothing written, the état
// established after the closures, its PDF and workbook read back, marked sent once.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { recordCounterSale } from '../../core/sales.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import type { CashCountState, CashCountView, VersementList, VersementPreview, VersementView } from '../../api/versement.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

// Tuesday 3 March 2026, 10:00 Paris: sales were made on Monday 2.
const NOW = '2026-03-03T09:00:00.000Z';
let t: TestDb;
let h: Harness;
type Err = { error: { code: string; message: string; details?: { field?: string } } };

beforeEach(async () => {
  t = await createTestDb({ now: '2026-03-02T09:00:00.000Z' });
  const sale = (amountCents: number, method: 'especes' | 'carte') => recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents, method });
  await sale(3000, 'especes');
  await sale(1850, 'carte');
  t.clock.set(NOW);
  await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  await t.db('parent_accounts').update({ password_hash: await hashPassword(PASSWORD) });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

const count = async (table: string) => Number(((await t.db(table).count({ n: '*' }).first()) as { n: number | string }).n);

describe('roles', () => {
  it('the desk may; the kitchen and parents get 403, nobody signed in 401, nothing written', async () => {
    for (const who of ['admin', 'secretariat']) expect((await (await signedInStaff(h, who)).get('/api/staff/versements')).status, who).toBe(200);
    const cook = await signedInStaff(h, 'restauration');
    expect((await cook.get('/api/staff/versements')).status).toBe(403);
    expect((await cook.post('/api/staff/versements', { from: '2026-03-02', to: '2026-03-02' })).status).toBe(403);
    expect((await cook.post('/api/staff/cash/2026-03-02/count', { session: 1, counts: {} })).status).toBe(403);
    const parent = new Browser(h.url);
    await parent.loginParent('chantal.devret');
    expect((await parent.get('/api/staff/versements/preview?from=2026-03-02&to=2026-03-02')).status).toBe(403);
    expect((await new Browser(h.url).get('/api/staff/versements')).status).toBe(401);
    expect(await count('versements')).toBe(0);
  });
});

describe('cash count and état de versement', () => {
  it('counts the closed day, establishes the état whose totals equal the receipts, prints it, marks it sent', async () => {
    const b = await signedInStaff(h, 'secretariat');
    const list = await b.get<VersementList>('/api/staff/versements');
    expect(list.body.unclosedDays).toEqual([{ date: '2026-03-02', session: 1, receiptCount: 2, totalCents: 4850 }]);
    const refused = await b.post<Err>('/api/staff/versements', { from: '2026-03-02', to: '2026-03-02' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('Clôturez d’abord la caisse de ces journées : 02/03/2026');

    expect((await b.post('/api/staff/cash/2026-03-02/close')).status).toBe(200);
    const state = await b.get<CashCountState>('/api/staff/cash/2026-03-02/count?session=1');
    expect(state.body).toMatchObject({ expectedCents: 3000, count: null });
    const unexplained = await b.post<Err>('/api/staff/cash/2026-03-02/count', { session: 1, counts: { 2000: 1, 500: 1 } });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error).toMatchObject({ code: 'VALIDATION', details: { field: 'explanation' } });
    const negative = await b.post<Err>('/api/staff/cash/2026-03-02/count', { session: 1, counts: { 2000: -2 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.details?.field).toBe('counts.2000');
    expect(await count('cash_counts')).toBe(0);
    const counted = await b.post<CashCountView>('/api/staff/cash/2026-03-02/count', { session: 1, counts: { 2000: 1, 500: 2 } });
    expect(counted.status).toBe(201);
    expect(counted.body).toMatchObject({ countedCents: 3000, differenceCents: 0 });

    const preview = await b.get<VersementPreview>('/api/staff/versements/preview?from=2026-03-02&to=2026-03-03');
    expect(preview.body.unclosedDays).toEqual([]);
    expect(preview.body.figures.totalCents).toBe(4850);
    const made = await b.post<VersementView>('/api/staff/versements', { from: '2026-03-02', to: '2026-03-03' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ numberLabel: 'V2026-001', totalCents: 4850, sentAt: null });
    const again = await b.post<Err>('/api/staff/versements', { from: '2026-03-03', to: '2026-03-03' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('V2026-001');

    const pdf = await b.get(`/api/staff/versements/${made.body.id}/pdf`);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(await pdfToText(pdf.bytes!)).toMatch(/Total de l’état\s+48,50 €/);
    const xlsx = await b.get(`/api/staff/versements/${made.body.id}/xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes!.buffer as ArrayBuffer);
    const total = wb.getWorksheet('État de versement')!.getCell('E11').value as { result: number };
    expect(total.result).toBe(48.5);

    const sent = await b.post<VersementView>(`/api/staff/versements/${made.body.id}/sent`);
    expect(sent.status).toBe(200);
    expect(sent.body.sentAt).toBe(NOW);
    expect((await b.post(`/api/staff/versements/${made.body.id}/sent`)).status).toBe(409);
    expect(await t.db('audit_log').whereIn('action', ['versement.establish', 'versement.send', 'cash.count']).count({ n: '*' }).first()).toMatchObject({ n: 3 });
  });

  it('answers hostile input in French, never 5xx, and writes nothing', async () => {
    const b = await signedInStaff(h, 'admin');
    for (const q of ['', '?from=2026-03-02', '?from=x&to=y', '?from=2026-03-05&to=2026-03-02', '?from=2026-03-02&to=2027-01-01', '?from=1900-01-01&to=2026-03-02']) {
      const r = await b.get<Err>(`/api/staff/versements/preview${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toMatch(/[éèàa-z]/);
    }
    for (const body of [{}, { from: 5, to: [] }, { from: '2026-03-02', to: '2026-02-30' }]) expect((await b.post('/api/staff/versements', body)).status).toBe(400);
    for (const body of [{}, { session: 'x', counts: {} }, { session: 1, counts: { 2000: 'beaucoup' } }, { session: 1, counts: { 1: 1e12 } }, { session: 1, counts: {}, explanation: 'x'.repeat(600) }]) {
      expect((await b.post('/api/staff/cash/2026-03-02/count', body)).status, JSON.stringify(body)).toBeLessThan(500);
    }
    expect((await b.get('/api/staff/versements/999')).status).toBe(404);
    expect((await b.post('/api/staff/versements/999/sent')).status).toBe(404);
    expect(await count('versements')).toBe(0);
    expect(await count('cash_counts')).toBe(0);
  });
});
