// "Tableau de bord" and "Soldes et relances" over HTTP (real SQLite, the real Express app,
// sessions and CSRF): roles, filters and paging, reminders once per key, letters, the family file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import type { BalancesPage, FamilyRemindersView, ReminderResult } from '../../api/balances.js';
import type { DashboardView } from '../../api/dashboard.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;

beforeEach(async () => {
  t = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
  const { ids, ctx, actors } = t;
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletPeriscolaireId, amountCents: -1250, reason: 'test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: -320, reason: 'test' });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);
const count = async (table: string) => Number(((await t.db(table).count({ n: '*' }).first()) as { n: number | string }).n);

describe('roles', () => {
  it('the desk reads and reminds; restauration and parents get 403 and write nothing', async () => {
    for (const who of ['admin', 'secretariat']) {
      const b = await signIn(who);
      expect((await b.get('/api/staff/dashboard')).status, who).toBe(200);
      expect((await b.get('/api/staff/balances')).status, who).toBe(200);
    }
    const cook = await signIn('restauration');
    for (const p of ['/api/staff/dashboard', '/api/staff/balances', `/api/staff/families/${t.ids.familyId}/reminders`]) expect((await cook.get(p)).status, p).toBe(403);
    const body = { idempotencyKey: 'relance-cook', targets: [{ familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId }] };
    expect((await cook.post('/api/staff/balances/reminders', body)).status).toBe(403);
    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    expect((await parent.post('/api/staff/balances/reminders', body)).status).toBe(403);
    expect((await new Browser(h.url).get('/api/staff/dashboard')).status).toBe(401);
    expect(await count('family_reminders')).toBe(0);
    expect(await t.db('mail_outbox').where('kind', 'balance_reminder').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('balances and reminders', () => {
  it('lists, reminds once per key (a double click), prints the letters and shows them on the family file', async () => {
    const b = await signIn('secretariat');
    const dash = (await b.get<DashboardView>('/api/staff/dashboard')).body;
    expect(dash).toMatchObject({ negativeBalances: 2, underThreshold: 2 });

    const list = await b.get<BalancesPage>('/api/staff/balances?filter=negative');
    expect(list.status).toBe(200);
    expect(list.body.rows.map((r) => [r.familyName, r.balanceCents, r.hasEmail])).toEqual([
      ['DEVRET', -1250, true],
      ['MARTIN', -320, false],
    ]);
    const targets = list.body.rows.map((r) => ({ familyId: r.familyId, walletId: r.walletId }));
    const body = { idempotencyKey: 'relance-api-1', targets };
    // Two clicks at once: one sending.
    const [one, two] = await Promise.all([b.post<ReminderResult>('/api/staff/balances/reminders', body), b.post<ReminderResult>('/api/staff/balances/reminders', body)]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([one.body.replayed, two.body.replayed].sort()).toEqual([false, true]);
    expect(one.body).toMatchObject({ mailed: 1, letters: 1 });
    expect(await t.db('mail_outbox').where('kind', 'balance_reminder').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect(await count('family_reminders')).toBe(2);

    const pdf = await b.get(`/api/staff/balances/reminders/relance-api-1/letters`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain('MARTIN');
    expect(text).toContain('-3,20 €');

    const file = await b.get<FamilyRemindersView>(`/api/staff/families/${t.ids.otherFamilyId}/reminders`);
    expect(file.body.reminders).toEqual([expect.objectContaining({ channel: 'letter', amountCents: -320, sentOn: '2026-03-02' })]);
    const after = await b.get<BalancesPage>('/api/staff/balances?filter=negative');
    expect(after.body.rows.map((r) => r.lastReminderOn)).toEqual(['2026-03-02', '2026-03-02']);
  });

  it('answers bad input in French with its field, writing nothing', async () => {
    const b = await signIn('secretariat');
    for (const q of ['filter=rouge', 'walletId=abc', 'schoolId=-1', 'page=0', 'sort=x']) {
      const r = await b.get<{ error: { message: string } }>(`/api/staff/balances?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toMatch(/invalide|inconnu/);
    }
    const bad = [
      {},
      { idempotencyKey: 'court', targets: [{ familyId: 1, walletId: 1 }] },
      { idempotencyKey: 'relance-bad-1', targets: [] },
      { idempotencyKey: 'relance-bad-1', targets: [{ familyId: 'x', walletId: 1 }] },
      { idempotencyKey: 'relance-bad-1', targets: Array.from({ length: 501 }, () => ({ familyId: 1, walletId: 1 })) },
    ];
    for (const body of bad) expect((await b.post('/api/staff/balances/reminders', body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    const missing = await b.post('/api/staff/balances/reminders', { idempotencyKey: 'relance-bad-2', targets: [{ familyId: 999999, walletId: t.ids.walletRestaurationId }] });
    expect(missing.status).toBe(404);
    expect((await b.get('/api/staff/balances/reminders/inconnue-1/letters')).status).toBe(404);
    expect((await b.get('/api/staff/balances/reminders/a%20b/letters')).status).toBe(400);
    expect((await b.get('/api/staff/families/999999/reminders')).status).toBe(404);
    expect(await count('family_reminders')).toBe(0);
    expect(await t.db('mail_outbox').where('kind', 'balance_reminder').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('pages by 50 with the total', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ code: `P${i}`, name: `FAMILLE${String(i).padStart(2, '0')}`, search_text: '', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }));
    const ids = (await t.db('families').insert(rows).returning('id')).map((r) => Number(typeof r === 'object' ? (r as { id: number }).id : r));
    for (const familyId of ids) await adjustWallet(t.ctx, t.actors.admin, { familyId, walletId: t.ids.walletTransportId, amountCents: -100, reason: 'test' });
    const b = await signIn('admin');
    const p1 = (await b.get<BalancesPage>(`/api/staff/balances?filter=negative&walletId=${t.ids.walletTransportId}`)).body;
    expect([p1.rows.length, p1.total, p1.hasMore]).toEqual([50, 60, true]);
    const p2 = (await b.get<BalancesPage>(`/api/staff/balances?filter=negative&walletId=${t.ids.walletTransportId}&page=2`)).body;
    expect([p2.rows.length, p2.hasMore]).toEqual([10, false]);
  });
});
