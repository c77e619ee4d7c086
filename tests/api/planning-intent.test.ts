import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { Browser, setPasswords, snapshotCounts, startHarness, type Harness } from './harness.js';

/**
 * Mon Planning sends intents, never toggles: "book" on a booked day and "cancel" on a free day
 * change nothing, however often and however close together they arrive (a double-click, two
 * tabs, a retried request). Real SQLite file, real Express app; clock Monday 2 March 2026.
 */

let t: TestDb;
let h: Harness;
let devret: Browser;
const THURSDAY = '2026-03-12';

type Batch = { results: Array<{ date: string; action: string; outcome: string }>; balances: Array<{ walletId: number; balanceCents: number }> };

beforeEach(async () => {
  t = await createTestDb();
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  devret = new Browser(h.url);
  expect((await devret.loginParent('chantal.devret')).status).toBe(200);
  for (const walletId of [t.ids.walletRestaurationId, t.ids.walletPeriscolaireId, t.ids.walletTransportId]) {
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId, amountCents: 5000, reason: 'Crédit de test' });
  }
});

afterEach(async () => {
  await h.close();
});

const cantine = (action: 'book' | 'cancel', date = THURSDAY) => ({
  changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date, action }],
});
const restauration = (b: Batch) => b.balances.find((w) => w.walletId === t.ids.walletRestaurationId)!.balanceCents;

describe('booking intents', () => {
  it('two "book" requests at once for one day make one booking and one debit', async () => {
    const [a, b] = await Promise.all([devret.post<Batch>('/api/parent/planning/changes', cantine('book')), devret.post<Batch>('/api/parent/planning/changes', cantine('book'))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.results[0]!.outcome, b.body.results[0]!.outcome].sort()).toEqual(['done', 'unchanged']);
    const bookings = await t.db('bookings').where({ child_id: t.ids.childJuliaId, activity_id: t.ids.activityIds.cantine, date: THURSDAY });
    expect(bookings.map((r) => r.status)).toEqual(['booked']);
    expect(await t.db('ledger_entries').where({ booking_id: bookings[0].id, kind: 'booking_debit' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect(restauration(a.body)).toBe(5000 - 320);
    expect(restauration(b.body)).toBe(5000 - 320);
  });

  it('"book" on a booked day and "cancel" on a free day change nothing', async () => {
    expect((await devret.post<Batch>('/api/parent/planning/changes', cantine('book'))).body.results[0]!.outcome).toBe('done');
    const before = await snapshotCounts(t.db);
    const again = await devret.post<Batch>('/api/parent/planning/changes', cantine('book'));
    expect(again.body.results[0]).toMatchObject({ outcome: 'unchanged', state: 'booked' });
    const free = await devret.post<Batch>('/api/parent/planning/changes', cantine('cancel', '2026-03-13'));
    expect(free.body.results[0]).toMatchObject({ outcome: 'unchanged', state: 'open' });
    expect(await snapshotCounts(t.db)).toEqual(before);
    expect(restauration(free.body)).toBe(5000 - 320);
  });

  it('"toute la semaine" and "toutes les activités" with "book" never cancel what is booked', async () => {
    const week = { childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, weekStart: '2026-03-09', action: 'book' };
    const first = await devret.post<Batch>('/api/parent/planning/week', week);
    expect(first.body.results.filter((r) => r.outcome === 'done')).toHaveLength(4);
    const before = await snapshotCounts(t.db);
    const second = await devret.post<Batch>('/api/parent/planning/week', week);
    expect(second.body.results.every((r) => r.action === 'book' && r.outcome !== 'done')).toBe(true);
    expect(await snapshotCounts(t.db)).toEqual(before);
    // All of Thursday: the booked Cantine stays, the other activities are booked.
    const day = await devret.post<Batch>('/api/parent/planning/day', { childId: t.ids.childJuliaId, date: THURSDAY, action: 'book' });
    expect(day.status).toBe(200);
    expect(day.body.results.every((r) => r.action === 'book' && r.outcome !== 'refused')).toBe(true);
    expect(await t.db('bookings').where({ child_id: t.ids.childJuliaId, status: 'cancelled' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await t.db('ledger_entries').where('kind', 'cancellation_refund').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
