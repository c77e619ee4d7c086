// "Commande traiteur" over HTTP (real database, the real Express app, sessions and CSRF): every
// staff role reaches it, the canteen included; no € anywhere in its answers, PDF or xlsx; bad
// ranges and bad adult counts get a French 400 and write nothing.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdultMealsView, CatererOrderView } from '../../api/routes/staff-caterer.js';
import type { ApiErrorBody } from '../../api/common.js';
import { applyBookingChanges } from '../../core/bookings.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

const NOW = '2026-03-02T09:00:00.000Z'; // Monday 2 March 2026, 10:00 Paris
const day = '2026-03-05';
const range = 'from=2026-03-02&to=2026-03-08';
let t: TestDb;
let h: Harness;

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  await setPasswords(t.db);
  const { ids, ctx, actors } = t;
  await t.db('children').where({ id: ids.childJuliaId }).update({ allergies: 'arachide', diet: 'sans_gluten' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 5000, reason: 'crédit de test' });
  await applyBookingChanges(ctx, actors.secretariat, {
    familyId: ids.familyId,
    changes: [
      { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: day, action: 'book' },
      { childId: ids.childMargotId, activityId: ids.activityIds.cantine, date: day, action: 'book' },
    ],
  });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

const adults = (b: Browser, body: unknown) => b.put<AdultMealsView & ApiErrorBody>('/api/staff/caterer/adults', body);

describe('roles', () => {
  it('admin, secretariat and restauration read and enter adults; a parent gets 403, no session 401', async () => {
    for (const who of ['admin', 'secretariat', 'restauration']) {
      const b = await signedInStaff(h, who);
      const order = await b.get<CatererOrderView>(`/api/staff/caterer?${range}`);
      expect(order.status, who).toBe(200);
      expect(order.body.totals.children).toBe(2);
      expect((await adults(b, { schoolId: t.ids.schoolElementaireId, date: day, count: 2 })).status, who).toBe(200);
    }
    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    expect((await parent.get(`/api/staff/caterer?${range}`)).status).toBe(403);
    expect((await adults(parent, { schoolId: t.ids.schoolElementaireId, date: day, count: 9 })).status).toBe(403);
    const nobody = new Browser(h.url);
    expect((await nobody.get(`/api/staff/caterer?${range}`)).status).toBe(401);
    expect((await t.db('adult_meals').first('count'))?.count).toBe(2);
  });
});

describe('the canteen’s view', () => {
  it('gives restauration the figures with no money figure, in JSON, PDF and xlsx', async () => {
    const cook = await signedInStaff(h, 'restauration');
    const saved = await adults(cook, { schoolId: t.ids.schoolMaternelleId, date: day, count: 5 });
    expect(saved.body).toEqual({ schoolId: t.ids.schoolMaternelleId, date: day, count: 5 });
    expect(await t.db('audit_log').where('action', 'caterer.adult_meals').count({ n: '*' }).first()).toMatchObject({ n: 1 });

    const order = await cook.get<CatererOrderView>(`/api/staff/caterer?${range}`);
    const thursday = order.body.days.find((d) => d.date === day)!;
    expect(thursday.totals).toMatchObject({ children: 2, adults: 5, total: 7, allergies: 1 });
    expect(thursday.totals.byDiet.sans_gluten).toBe(1);
    const json = JSON.stringify(order.body);
    expect(json).not.toMatch(/€|cents|price|amount|balance/i);

    const pdf = await cook.get(`/api/staff/caterer/pdf?${range}`, { raw: true });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain('Commande traiteur du 02/03/2026 au 08/03/2026');
    expect(text).toContain('7 repas dont 2 enfants et 5 adultes');
    expect(text).not.toContain('€');

    const xlsx = await cook.get(`/api/staff/caterer/order.xlsx?${range}`, { raw: true });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain('commande-traiteur-2026-03-02-2026-03-08.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes!) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value)))));
    expect(cells.join(' ')).toContain('Commande traiteur du 02/03/2026 au 08/03/2026');
    expect(cells.join(' ')).not.toContain('€');
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => expect(c.numFmt ?? '').not.toContain('€'))));
  });
});

describe('bad input', () => {
  it('answers a French 400 for a bad range and writes nothing for a bad adult count', async () => {
    const b = await signedInStaff(h, 'restauration');
    for (const [q, message] of [
      ['from=2026-03-10&to=2026-03-01', /date de fin doit suivre/],
      ['from=2026-01-01&to=2026-06-30', /limitée à 93 jours/],
      ['from=2026-02-30&to=2026-03-01', /n’existe pas/],
      ['from=demain&to=2026-03-01', /Date invalide/],
      ['to=2026-03-01', /Date manquante/],
    ] as const) {
      for (const p of ['/api/staff/caterer', '/api/staff/caterer/pdf', '/api/staff/caterer/order.xlsx']) {
        const r = await b.get<ApiErrorBody>(`${p}?${q}`);
        expect(r.status, `${p}?${q}`).toBe(400);
        expect(r.body.error.message).toMatch(message);
      }
    }
    for (const [body, message] of [
      [{ schoolId: t.ids.schoolElementaireId, date: day, count: -1 }, /au moins 0/],
      [{ schoolId: t.ids.schoolElementaireId, date: day, count: 501 }, /au plus 500/],
      [{ schoolId: t.ids.schoolElementaireId, date: day, count: 1.5 }, /nombre entier/],
      [{ schoolId: t.ids.schoolElementaireId, date: day, count: 'dix' }, /nombre entier/],
      [{ schoolId: t.ids.schoolElementaireId, date: '2026-13-01', count: 1 }, /date/i],
      [{ schoolId: 0, date: day, count: 1 }, /Identifiant invalide/],
    ] as const) {
      const r = await adults(b, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    const unknown = await adults(b, { schoolId: 9999, date: day, count: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/École/);
    expect(await t.db('adult_meals').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
