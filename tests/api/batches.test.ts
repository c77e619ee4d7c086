import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchPart, BatchPreviewResponse, BookingResultResponse, SubscriptionChangeResponse } from '../../api/parent.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { Browser, setPasswords, snapshotCounts, startHarness, type Harness } from './harness.js';

/**
 * "Cost before commitment" over HTTP: POST /api/parent/planning/preview for each kind of
 * batch, then the batch itself; the ledger rows and bookings it writes equal the preview, to
 * the cent, in full and in its payable part. The clock is Monday 2 March 2026, 10:00 in Paris.
 */

let t: TestDb;
let h: Harness;
let devret: Browser;

beforeEach(async () => {
  t = await createTestDb();
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  devret = new Browser(h.url);
  expect((await devret.loginParent('chantal.devret')).status).toBe(200);
});

afterEach(async () => {
  await h.close();
});

const credit = (walletId: number, amountCents: number, familyId = t.ids.familyId) =>
  adjustWallet(t.ctx, t.actors.secretariat, { familyId, walletId, amountCents, reason: 'Crédit de test' });
const lastLedgerId = async () => Number((await t.db('ledger_entries').max({ id: 'id' }).first())?.id ?? 0);
const bookingCount = async () => Number((await t.db('bookings').count({ n: '*' }).first())?.n);

/** The ledger rows and booking states written after `since`, against the preview's part, per wallet. */
async function expectLedgerMatches(part: BatchPart, since: number) {
  const rows: Array<{ wallet_id: number; kind: string; amount_cents: number; booking_id: number }> = await t.db('ledger_entries')
    .where('id', '>', since)
    .select('wallet_id', 'kind', 'amount_cents', 'booking_id');
  for (const w of part.wallets) {
    const mine = rows.filter((r) => r.wallet_id === w.walletId);
    const debits = mine.filter((r) => r.kind === 'booking_debit');
    const refunds = mine.filter((r) => r.kind === 'cancellation_refund');
    expect({ bookCount: debits.length, debitCents: -debits.reduce((s, r) => s + r.amount_cents, 0), cancelCount: refunds.length, refundCents: refunds.reduce((s, r) => s + r.amount_cents, 0) })
      .toEqual({ bookCount: w.bookCount, debitCents: w.debitCents, cancelCount: w.cancelCount, refundCents: w.refundCents });
  }
  expect(new Set(rows.map((r) => r.wallet_id))).toEqual(new Set(part.wallets.map((w) => w.walletId)));
  const statuses: Array<{ status: string }> = await t.db('bookings').whereIn('id', rows.map((r) => r.booking_id)).select('status');
  expect(statuses.filter((s) => s.status === 'booked')).toHaveLength(part.bookCount);
  expect(statuses.filter((s) => s.status === 'cancelled')).toHaveLength(part.cancelCount);
}

async function preview(body: Record<string, unknown>): Promise<BatchPreviewResponse> {
  const before = await snapshotCounts(t.db);
  const res = await devret.post<BatchPreviewResponse>('/api/parent/planning/preview', body);
  expect(res.status).toBe(200);
  expect(await snapshotCounts(t.db)).toEqual(before); // a preview writes nothing
  return res.body;
}

describe('POST /api/parent/planning/preview then the batch', () => {
  it('equals what each kind of batch then does, to the cent', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 10_000);
    await credit(ids.walletPeriscolaireId, 5_000);
    await credit(ids.walletTransportId, 1_000);
    const cases: Array<{ kind: string; url: string; body: Record<string, unknown> }> = [
      { kind: 'changes', url: '/api/parent/planning/changes', body: { changes: [
        { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, date: '2026-03-09', action: 'book' },
        { childId: ids.childLouisId, activityId: ids.activityIds.bus, date: '2026-03-09', action: 'book' },
        { childId: ids.childLouisId, activityId: ids.activityIds.cantine, date: '2026-03-02', action: 'book' }, // past its deadline
      ] } },
      { kind: 'week', url: '/api/parent/planning/week', body: { childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekStart: '2026-03-09', action: 'book' } },
      { kind: 'day', url: '/api/parent/planning/day', body: { childId: ids.childMargotId, date: '2026-03-10', action: 'book' } },
      // Cancels Julia's Monday 9 (booked above) and books Tuesdays and Thursdays: a refund and debits.
      { kind: 'template', url: '/api/parent/planning/template', body: { childId: ids.childJuliaId, from: '2026-03-02', to: '2026-03-29', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [2, 4] }] } },
      { kind: 'subscription', url: '/api/parent/subscriptions', body: { childId: ids.childMargotId, activityId: ids.activityIds.garderieSoir, weekdays: [1, 4], from: '2026-03-09', to: '2026-04-30' } },
    ];
    for (const c of cases) {
      const p = await preview({ kind: c.kind, ...c.body });
      expect(p.kind).toBe(c.kind);
      expect(p.payable).toBe(true);
      expect(p.full.bookCount + p.full.cancelCount).toBeGreaterThan(0);
      const since = await lastLedgerId();
      const res = await devret.post<BookingResultResponse | SubscriptionChangeResponse>(c.url, c.body);
      expect(res.status).toBeLessThan(300);
      const batch = 'batch' in res.body ? res.body.batch : res.body;
      await expectLedgerMatches(p.full, since);
      expect(batch.summary).toMatchObject({ bookCount: p.full.bookCount, cancelCount: p.full.cancelCount, debitCents: p.full.debitCents, refundCents: p.full.refundCents, leftForCredit: 0 });
      expect(batch.results.filter((r) => r.outcome === 'refused')).toHaveLength(p.refused.length);
    }
    // The kinds said what they would do in words.
    const template = await preview({ kind: 'template', childId: ids.childJuliaId, from: '2026-03-02', to: '2026-03-29', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1, 2, 4, 5] }] });
    expect(template.full.text.replace(/[\u202f\u00a0]/g, ' ')).toBe('7 réservations, 22,40 € sur Restauration scolaire');
    expect(template.refused.map((r) => r.text)).toEqual([
      'Cantine — Julia — lundi 02/03 : réservation close depuis jeudi 10 h',
      'Cantine — Julia — mardi 03/03 : réservation close depuis vendredi 10 h',
    ]);
  });

  it('books only the payable part when asked, decided when the batch runs; all or nothing otherwise', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 1_000); // three Cantine days (9,60 €), not four
    const week = { childId: ids.childJuliaId, activityId: ids.activityIds.cantine, weekStart: '2026-03-09', action: 'book' };
    const p = await preview({ kind: 'week', ...week });
    expect(p.payable).toBe(false);
    expect(p.missing).toMatchObject([{ walletId: ids.walletRestaurationId, missingCents: 280 }]);
    expect(p.payablePart).toMatchObject({ bookCount: 3, debitCents: 960, leftCount: 1 });

    const before = await snapshotCounts(t.db);
    const refused = await devret.post<{ error: { code: string; details: { missingCents: number } } }>('/api/parent/planning/week', week);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { missingCents: 280 } });
    expect(await snapshotCounts(t.db)).toEqual(before);

    const since = await lastLedgerId();
    const done = await devret.post<BookingResultResponse>('/api/parent/planning/week', { ...week, onlyPayable: true });
    expect(done.status).toBe(200);
    await expectLedgerMatches(p.payablePart!, since);
    expect(done.body.summary).toMatchObject({ bookCount: 3, debitCents: 960, leftForCredit: 1 });
    expect(done.body.summary?.notice).toBe('Solde insuffisant sur Restauration scolaire : 1 case n’a pas été réservée.');

    // The balance moves between preview and batch: the batch follows the balance of its own time.
    const sub = { childId: ids.childLouisId, activityId: ids.activityIds.cantine, weekdays: [1, 2], from: '2026-03-09', to: '2026-03-31' };
    await credit(ids.walletRestaurationId, 2_600); // 26,40 €: the eight days
    const p2 = await preview({ kind: 'subscription', ...sub });
    expect(p2).toMatchObject({ payable: true, full: { bookCount: 8, debitCents: 2_560 } });
    await credit(ids.walletRestaurationId, -700); // 19,40 € left: six days
    const since2 = await lastLedgerId();
    const late = await devret.post<SubscriptionChangeResponse>('/api/parent/subscriptions', { ...sub, onlyPayable: true });
    expect(late.status).toBe(201);
    expect(late.body.batch.summary).toMatchObject({ bookCount: 6, debitCents: 1_920, leftForCredit: 2 });
    expect(late.body.batch.summary?.notice).toMatch(/2 cases n’ont pas été réservées/);
    expect((await t.db('ledger_entries').where('id', '>', since2).sum({ s: 'amount_cents' }).first())?.s).toBe(-1_920);
  });

  it('refuses a hostile body and writes nothing', async () => {
    const { ids } = t;
    await credit(ids.walletRestaurationId, 1_000);
    const before = await snapshotCounts(t.db);
    const bookings = await bookingCount();
    const otherChild = await devret.post<{ error: { code: string } }>('/api/parent/planning/preview', { kind: 'day', childId: ids.otherChildId, date: '2026-03-09', action: 'book' });
    expect(otherChild.status).toBe(404);
    for (const [url, body] of [
      ['/api/parent/planning/template', { childId: ids.otherChildId, from: '2026-03-09', to: '2026-03-13', pattern: [{ activityId: ids.activityIds.cantine, weekdays: [1] }], onlyPayable: true }],
      ['/api/parent/subscriptions', { childId: ids.otherChildId, activityId: ids.activityIds.cantine, weekdays: [1], from: '2026-03-09', to: '2026-03-13', onlyPayable: true }],
    ] as const) {
      const res = await devret.post<{ error: { code: string } }>(url, body);
      expect(res.status).toBe(404);
    }
    const bad: Array<[unknown, RegExp]> = [
      [{ kind: 'everything' }, /Type de lot inconnu/],
      [{ kind: 'week', childId: ids.childJuliaId, activityId: ids.activityIds.cantine, weekStart: 'lundi', action: 'book' }, /./],
      [{ kind: 'changes', changes: [] }, /Aucune case/],
      ['not json at all', /./],
    ];
    for (const [body, message] of bad) {
      const res = await devret.post<{ error: { code: string; message: string } }>('/api/parent/planning/preview', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const flag = await devret.post<{ error: { message: string } }>('/api/parent/planning/day', { childId: ids.childJuliaId, date: '2026-03-09', action: 'book', onlyPayable: 'oui' });
    expect(flag.status).toBe(400);
    expect(flag.body.error.message).toMatch(/réserver ce qui peut être payé/);
    const anonymous = await new Browser(h.url).post('/api/parent/planning/preview', { kind: 'day', childId: ids.childJuliaId, date: '2026-03-09', action: 'book' });
    expect([401, 403]).toContain(anonymous.status);
    expect(await snapshotCounts(t.db)).toEqual(before);
    expect(await bookingCount()).toBe(bookings);
  });
});
