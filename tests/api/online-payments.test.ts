// "Paiements en ligne", the régie's screen, over HTTP (real SQLite, the real Express app, sessions
// and CSRF, the PayFiP simulator): roles, filters and paging in one query, "Vérifier maintenant".
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { createTopUp } from '../../core/payments.js';
import { getBalance } from '../../core/wallet.js';
import { storePayfipSettings } from '../../core/payfip/settings.js';
import { startPayfipSimulator, type RunningSimulator } from '../../simulator/server.js';
import type { OnlinePaymentsPage, OnlinePaymentVerifyResult } from '../../api/online-payments.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';
import { onPostgres, queryPlan } from '../../db/test-db.js';

// Monday 2 March 2026, 10:00 Paris.
const NOW = '2026-03-02T09:00:00.000Z';
let t: TestDb;
let h: Harness;
let sim: RunningSimulator;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);

beforeAll(async () => {
  sim = await startPayfipSimulator({ dropNotifications: true });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash, email: 'chantal.devret@example.fr' });
  await storePayfipSettings(t.db, { numcli: '123456', saisie: 'T', serviceUrl: sim.serviceUrl, paymentPageUrl: sim.paymentPageUrl, publicBaseUrl: 'http://portail.test' }, t.clock.now());
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

/** A payment row as the flow leaves it, written straight into the table (a fixture, not money). */
async function fixture(status: string, createdAt: string, familyId = t.ids.familyId): Promise<number> {
  const [r] = await t.db('online_payments')
    .insert({
      refdet: `ETFIX${Math.random().toString(36).slice(2, 14).toUpperCase()}`,
      family_id: familyId,
      wallet_id: t.ids.walletRestaurationId,
      amount_cents: 1500,
      email: 'x@example.fr',
      objet: 'Credit',
      status,
      id_op: null,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .returning('id');
  return typeof r === 'object' ? Number((r as { id: number }).id) : Number(r);
}

describe('roles', () => {
  it('admin and secretariat read and verify; restauration and parents get 403; no session 401', async () => {
    const id = await fixture('pending', '2026-03-02T08:00:00.000Z');
    for (const who of ['admin', 'secretariat']) {
      const b = await signIn(who);
      expect((await b.get('/api/staff/online-payments')).status, who).toBe(200);
    }
    const cook = await signIn('restauration');
    const list = await cook.get<{ error: { message: string } }>('/api/staff/online-payments');
    expect(list.status).toBe(403);
    expect(list.body.error.message).toMatch(/[a-zé]/);
    expect((await cook.post(`/api/staff/online-payments/${id}/verify`)).status).toBe(403);

    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    expect((await parent.get('/api/staff/online-payments')).status).toBe(403);
    expect((await new Browser(h.url).get('/api/staff/online-payments')).status).toBe(401);
    expect(await t.db('audit_log').where('action', 'payment.verify').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('list', () => {
  it('filters by status and by Paris day, newest first, with family, amount, idOp and last error', async () => {
    // 1 March 23:30 UTC is already 2 March in Paris.
    const late = await fixture('paid', '2026-03-01T23:30:00.000Z');
    const early = await fixture('paid', '2026-03-01T22:30:00.000Z');
    const pending = await fixture('pending', '2026-03-02T08:00:00.000Z', t.ids.otherFamilyId);
    await t.db('online_payments').where('id', pending).update({ id_op: 'idop-42', last_error: 'PayFiP injoignable', unanswered_checks: 2 });
    const b = await signIn('secretariat');

    const all = await b.get<OnlinePaymentsPage>('/api/staff/online-payments');
    expect(all.body.rows.map((r) => r.id)).toEqual([pending, late, early]);
    expect(all.body.rows[0]).toMatchObject({
      familyName: 'MARTIN',
      walletLabel: 'Restauration scolaire',
      amountCents: 1500,
      status: 'pending',
      statusLabel: 'En attente de PayFiP — PayFiP injoignable (2 essais)',
      idOp: 'idop-42',
      lastError: 'PayFiP injoignable',
    });
    const paid = await b.get<OnlinePaymentsPage>('/api/staff/online-payments?status=paid');
    expect(paid.body.rows.map((r) => r.id)).toEqual([late, early]);
    const march2 = await b.get<OnlinePaymentsPage>('/api/staff/online-payments?from=2026-03-02&to=2026-03-02');
    expect(march2.body.rows.map((r) => r.id)).toEqual([pending, late]);
    const march1 = await b.get<OnlinePaymentsPage>('/api/staff/online-payments?status=paid&to=2026-03-01');
    expect(march1.body.rows.map((r) => r.id)).toEqual([early]);
  });

  it('pages by 25 in one SQL query per page, through an index', async () => {
    for (let i = 0; i < 30; i++) await fixture(i % 2 ? 'expired' : 'paid', new Date(Date.parse('2026-02-10T10:00:00Z') + i * 3_600_000).toISOString());
    const b = await signIn('admin');
    const sql: Array<{ sql: string; bindings: unknown[] }> = [];
    const onQuery = (q: { sql: string; bindings: unknown[] }) => {
      if (/online_payments/.test(q.sql)) sql.push(q);
    };
    t.db.on('query', onQuery);
    const p1 = await b.get<OnlinePaymentsPage>('/api/staff/online-payments?status=paid&from=2026-02-01&page=1');
    t.db.off('query', onQuery);
    expect(sql).toHaveLength(1);
    expect(p1.body).toMatchObject({ page: 1, pageSize: 25, hasMore: false });
    expect(p1.body.rows).toHaveLength(15);

    const first = await b.get<OnlinePaymentsPage>('/api/staff/online-payments');
    const second = await b.get<OnlinePaymentsPage>('/api/staff/online-payments?page=2');
    expect([first.body.rows.length, first.body.hasMore, second.body.rows.length, second.body.hasMore]).toEqual([25, true, 5, false]);
    expect(new Set([...first.body.rows, ...second.body.rows].map((r) => r.id)).size).toBe(30);

    // The plan for the filtered page reads an index of online_payments, not the whole table.
    expect(await queryPlan(t.db, sql[0]!)).toMatch(onPostgres() ? /Index .*online_payments_status_created_at_index/ : /SEARCH o USING INDEX online_payments_status_created_at_index/);
    const byDate = t.db('online_payments as o').where('o.created_at', '>=', '2026-02-01').orderBy('o.created_at', 'desc').toSQL().toNative();
    expect(await queryPlan(t.db, byDate)).toMatch(onPostgres() ? /Index .*online_payments_created_at_index/ : /USING (COVERING )?INDEX online_payments_created_at_index/);
  });

  it('refuses bad filters with a French message naming the field, and never answers 500', async () => {
    const b = await signIn('secretariat');
    for (const [query, message, field] of [
      ['status=inconnu', /Statut inconnu/, 'status'],
      ['from=2026-02-30', /n’existe pas/, 'from'],
      ['from=2026-03-05&to=2026-03-01', /date de fin doit suivre/, 'to'],
      ['page=0', /Page invalide/, 'page'],
      ['page=abc', /Page invalide/, 'page'],
    ] as const) {
      const res = await b.get<{ error: { message: string; details?: { issues?: Array<{ path: string }> } } }>(`/api/staff/online-payments?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message, query).toMatch(message);
      expect(res.body.error.details?.issues?.[0]?.path, query).toBe(field);
    }
  });
});

describe('Vérifier maintenant', () => {
  it('asks PayFiP: a payment paid whose notification was lost is credited once, with a French outcome, audited', async () => {
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    const b = await signIn('secretariat');
    const open = await b.post<OnlinePaymentVerifyResult>(`/api/staff/online-payments/${paymentId}/verify`);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ outcome: 'pending', payment: { status: 'pending' } });
    expect(open.body.message).toMatch(/ne connaît pas encore de résultat définitif/);

    await sim.complete(new URL(redirectUrl).searchParams.get('idop')!, 'P', false);
    const paid = await b.post<OnlinePaymentVerifyResult>(`/api/staff/online-payments/${paymentId}/verify`);
    expect(paid.body).toMatchObject({ outcome: 'paid', payment: { status: 'paid', statusLabel: 'Payé', resultrans: 'P' } });
    expect(paid.body.message).toBe('PayFiP confirme le paiement : le porte-monnaie de la famille vient d’être crédité.');
    const again = await b.post<OnlinePaymentVerifyResult>(`/api/staff/online-payments/${paymentId}/verify`);
    expect(again.body.outcome).toBe('already_paid');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(2000);

    const audits = await t.db('audit_log').where({ action: 'payment.verify', entity_id: String(paymentId) }).orderBy('id');
    expect(audits).toHaveLength(3);
    expect(audits[1]).toMatchObject({ actor_kind: 'staff', staff_user_id: t.ids.staffSecretariatId, family_id: t.ids.familyId });
    expect(JSON.parse(audits[1].after_json)).toMatchObject({ status: 'paid', outcome: 'paid' });
    const journal = await b.get<{ rows: Array<{ action: string; actionLabel: string }> }>('/api/staff/audit?action=payment.verify');
    expect(journal.body.rows[0]?.actionLabel).toBe('Paiement en ligne vérifié auprès de PayFiP');
  });

  it('credits a payment expired earlier when PayFiP now says P (what the old checker left behind)', async () => {
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 1800 });
    await t.db('online_payments').where('id', paymentId).update({ status: 'expired', next_check_at: null });
    await sim.complete(new URL(redirectUrl).searchParams.get('idop')!, 'P', false);
    const b = await signIn('admin');
    const res = await b.post<OnlinePaymentVerifyResult>(`/api/staff/online-payments/${paymentId}/verify`);
    expect(res.body.outcome).toBe('paid');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(1800);
  });

  it('PayFiP unreachable: says so in French, nothing credited, the payment stays pending', async () => {
    const { paymentId } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    await storePayfipSettings(t.db, { serviceUrl: 'http://127.0.0.1:1/tpa/services/securite' }, t.clock.now());
    const b = await signIn('secretariat');
    const res = await b.post<OnlinePaymentVerifyResult>(`/api/staff/online-payments/${paymentId}/verify`);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('error');
    expect(res.body.message).toMatch(/PayFiP n’a pas pu être interrogé .*injoignable/);
    expect(res.body.payment).toMatchObject({ status: 'pending', statusLabel: 'En attente de PayFiP — PayFiP injoignable (1 essai)' });
  });

  it('no idOp: a French 400; unknown payment: 404; bad id: 400', async () => {
    const id = await fixture('error', '2026-03-02T08:00:00.000Z');
    const b = await signIn('secretariat');
    const none = await b.post<{ error: { message: string } }>(`/api/staff/online-payments/${id}/verify`);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/n’a pas reçu d’identifiant PayFiP/);
    expect((await b.post(`/api/staff/online-payments/999999/verify`)).status).toBe(404);
    expect((await b.post(`/api/staff/online-payments/abc/verify`)).status).toBe(400);
  });
});
