import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordAttendance } from '../core/attendance.js';
import { applyBookingChanges, type BookingChange } from '../core/bookings.js';
import { addClosure } from '../core/activities-admin.js';
import { addDays, parisToday } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { cancelCounterSale, recordCounterSale } from '../core/sales.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { adjustWallet, getBalances, reverseLedgerEntry } from '../core/wallet.js';

/**
 * Random sequences of bookings, cancellations, counter sales and their cancellations,
 * attendance marks, adjustments, staff reversals of booking entries, closures that cancel the
 * bookings they cover, and the passing of time, on a fresh database each run. After every step:
 * each balance equals the sum of its ledger entries and the sum the operations imply (an
 * independent model), no ledger row was changed or removed, and every booking's entries sum to
 * minus what the model says it costs while booked (its price, or 0 once offered) and to 0 when not.
 */

type Op =
  | { type: 'book' | 'cancel'; family: number; cells: Array<{ child: number; activity: number; day: number }> }
  | { type: 'sale'; family: number; wallet: number; amount: number; method: 'especes' | 'cheque' | 'carte' }
  | { type: 'cancelSale'; pick: number }
  | { type: 'attendance'; child: number; activity: number; day: number; present: boolean; justified: boolean }
  | { type: 'adjust'; family: number; wallet: number; amount: number }
  | { type: 'time'; hours: number }
  | { type: 'reverse'; pick: number }
  | { type: 'closure'; day: number; activity: number | null };

const FIRST_DAY = '2026-03-02';
const DAYS = 15; // three weeks of school without holidays

// What the operations imply, from the fixture's tariffs (independent of the code under test).
const PRICE: Record<string, number[]> = { DEVRET: [320, 150, 200, 80], MARTIN: [390, 200, 250, 80] }; // cantine, matin, soir, bus
const SURCHARGE = [150, 0, 200, 0];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constantFrom('book' as const, 'cancel' as const), family: fc.nat(1), cells: fc.array(fc.record({ child: fc.nat(3), activity: fc.nat(3), day: fc.nat(DAYS - 1) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('sale' as const), family: fc.nat(1), wallet: fc.nat(2), amount: fc.integer({ min: 1, max: 5000 }), method: fc.constantFrom('especes' as const, 'cheque' as const, 'carte' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('cancelSale' as const), pick: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('attendance' as const), child: fc.nat(3), activity: fc.nat(3), day: fc.nat(DAYS - 1), present: fc.boolean(), justified: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('adjust' as const), family: fc.nat(1), wallet: fc.nat(2), amount: fc.integer({ min: -3000, max: 3000 }).filter((n) => n !== 0) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('reverse' as const), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('closure' as const), day: fc.nat(DAYS - 1), activity: fc.option(fc.nat(3)) }) },
);

// The bookings' own invariant: book, cancel, reverse, point, close and let time pass on credited families.
const bookingOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constantFrom('book' as const, 'cancel' as const), family: fc.nat(1), cells: fc.array(fc.record({ child: fc.nat(3), activity: fc.nat(3), day: fc.nat(DAYS - 1) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('reverse' as const), pick: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('attendance' as const), child: fc.nat(3), activity: fc.nat(3), day: fc.nat(DAYS - 1), present: fc.boolean(), justified: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('closure' as const), day: fc.nat(DAYS - 1), activity: fc.option(fc.nat(3)) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 60 }) }) },
);

// What the runs actually did, so the property cannot pass by refusing everything.
const done = { book: 0, cancel: 0, sale: 0, cancelSale: 0, attendanceMoney: 0, adjust: 0, refusedBatch: 0, reverse: 0, refusedReverse: 0, closureCancel: 0 };

async function run(ops: Op[], credit = 0): Promise<void> {
  const t: TestDb = await createTestDb();
  try {
    const { ids, actors, ctx, db, clock } = t;
    const families = [
      { id: ids.familyId, name: 'DEVRET', actor: actors.parent, children: [ids.childJuliaId, ids.childLouisId, ids.childMargotId] },
      { id: ids.otherFamilyId, name: 'MARTIN', actor: actors.otherParent, children: [ids.otherChildId] },
    ];
    const allChildren = families.flatMap((f) => f.children.map((c) => ({ childId: c, family: f })));
    const activities = [ids.activityIds.cantine, ids.activityIds.garderieMatin, ids.activityIds.garderieSoir, ids.activityIds.bus];
    const wallets = [ids.walletRestaurationId, ids.walletPeriscolaireId, ids.walletTransportId];
    const walletOfActivity = [ids.walletRestaurationId, ids.walletPeriscolaireId, ids.walletPeriscolaireId, ids.walletTransportId];

    // The model: expected balance per family and wallet, what each booked cell cost, each pointed cell's net.
    const expected = new Map<string, number>();
    const move = (familyId: number, walletId: number, cents: number): void => {
      const k = `${familyId}|${walletId}`;
      expected.set(k, (expected.get(k) ?? 0) + cents);
    };
    const bookedCost = new Map<string, number>();
    const pointedNet = new Map<string, number>();
    const receipts: Array<{ id: number; familyId: number; walletId: number; amount: number; cancelled: boolean }> = [];

    let snapshot: unknown[] = [];
    const check = async (step: string): Promise<void> => {
      const rows: Array<{ id: number; family_id: number; wallet_id: number; amount_cents: number }> = await db('ledger_entries').select('*').orderBy('id');
      // Append-only: every earlier row is still there, unchanged.
      expect(rows.slice(0, snapshot.length), `${step}: ledger rows modified`).toEqual(snapshot);
      snapshot = rows;
      const sums = new Map<string, number>();
      for (const r of rows) {
        expect(Number.isInteger(r.amount_cents)).toBe(true);
        sums.set(`${r.family_id}|${r.wallet_id}`, (sums.get(`${r.family_id}|${r.wallet_id}`) ?? 0) + r.amount_cents);
      }
      for (const f of families) {
        for (const b of await getBalances(db, f.id)) {
          const k = `${f.id}|${b.walletId}`;
          expect(b.balanceCents, `${step}: balance vs entries ${k}`).toBe(sums.get(k) ?? 0);
          expect(b.balanceCents, `${step}: balance vs operations ${k}`).toBe(expected.get(k) ?? 0);
        }
      }
      // Each booking's own entries net to minus what it costs while booked (its price, 0 once offered), to zero when not.
      const nets: Array<{ child_id: number; activity_id: number; date: string; status: string; price_cents: number; net: number | null }> = await db('bookings as b')
        .leftJoin('ledger_entries as l', 'l.booking_id', 'b.id')
        .groupBy('b.id', 'b.child_id', 'b.activity_id', 'b.date', 'b.status', 'b.price_cents')
        .select('b.child_id', 'b.activity_id', 'b.date', 'b.status', 'b.price_cents')
        .sum({ net: 'l.amount_cents' });
      for (const n of nets) {
        const k = `${n.child_id}|${n.activity_id}|${n.date}`;
        expect(n.status === 'booked', `${step}: booking status ${k}`).toBe(bookedCost.has(k));
        expect(Number(n.net ?? 0), `${step}: booking net ${k}`).toBe(n.status === 'booked' ? 0 - (bookedCost.get(k) ?? n.price_cents) : 0);
      }
    };
    const attempt = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        if (!(e instanceof DomainError)) throw e; // a refusal must be a DomainError and change nothing (checked next)
        if (e.code === 'INSUFFICIENT_BALANCE') done.refusedBatch++;
      }
    };

    for (const f of families) {
      for (const walletId of credit > 0 ? wallets : []) {
        await adjustWallet(ctx, actors.admin, { familyId: f.id, walletId, amountCents: credit, reason: 'crédit de départ' });
        move(f.id, walletId, credit);
      }
    }
    await check('start');
    for (const [i, op] of ops.entries()) {
      const step = `#${i} ${JSON.stringify(op)}`;
      if (op.type === 'book' || op.type === 'cancel') {
        const family = families[op.family]!;
        // Cancels aim mostly at booked cells, or they would hardly ever do anything.
        const booked = [...bookedCost.keys()].filter((k) => family.children.includes(Number(k.split('|')[0])));
        const changes: BookingChange[] = op.cells.map((c) => {
          if (op.type === 'cancel' && booked.length > 0 && c.child !== 3) {
            const [childId, activityId, date] = booked[(c.day + c.activity * DAYS) % booked.length]!.split('|');
            return { childId: Number(childId), activityId: Number(activityId), date: date!, action: 'cancel' };
          }
          return { childId: family.children[c.child % family.children.length]!, activityId: activities[c.activity]!, date: addDays(FIRST_DAY, c.day), action: op.type };
        });
        await attempt(async () => {
          const r = await applyBookingChanges(ctx, family.actor, { familyId: family.id, changes });
          for (const res of r.results) {
            if (res.outcome !== 'done') continue;
            const a = activities.indexOf(res.activityId);
            const k = `${res.childId}|${res.activityId}|${res.date}`;
            done[res.action]++;
            if (res.action === 'book') {
              const price = PRICE[family.name]![a]!;
              bookedCost.set(k, price);
              move(family.id, walletOfActivity[a]!, -price);
            } else {
              move(family.id, walletOfActivity[a]!, bookedCost.get(k) ?? 0);
              bookedCost.delete(k);
            }
          }
        });
      } else if (op.type === 'sale') {
        const family = families[op.family]!;
        await attempt(async () => {
          const r = await recordCounterSale(ctx, actors.secretariat, {
            familyId: family.id, walletId: wallets[op.wallet]!, amountCents: op.amount, method: op.method,
            ...(op.method === 'cheque' ? { chequeNumber: String(1000 + i), chequeBank: 'Banque Test' } : {}),
          });
          receipts.push({ id: r.id, familyId: family.id, walletId: r.walletId, amount: op.amount, cancelled: false });
          done.sale++;
          move(family.id, r.walletId, op.amount);
        });
      } else if (op.type === 'cancelSale') {
        const receipt = receipts[op.pick % Math.max(1, receipts.length)];
        if (!receipt) continue;
        await attempt(async () => {
          await cancelCounterSale(ctx, actors.secretariat, { receiptId: receipt.id, reason: 'test aléatoire' });
          expect(receipt.cancelled, `${step}: a receipt was cancelled twice`).toBe(false);
          receipt.cancelled = true;
          done.cancelSale++;
          move(receipt.familyId, receipt.walletId, -receipt.amount);
        });
      } else if (op.type === 'attendance') {
        const { childId, family } = allChildren[op.child % allChildren.length]!;
        const activityId = activities[op.activity]!;
        const date = addDays(FIRST_DAY, op.day);
        const k = `${childId}|${activityId}|${date}`;
        await attempt(async () => {
          await recordAttendance(ctx, actors.restauration, { activityId, date, marks: [{ childId, present: op.present, justified: op.justified }] });
          const cost = bookedCost.get(k);
          const before = pointedNet.get(k) ?? 0;
          let target: number;
          if (cost != null) target = !op.present && op.justified ? cost : 0;
          else target = op.present ? (before < 0 ? before : -(PRICE[family.name]![op.activity]! + SURCHARGE[op.activity]!)) : 0;
          pointedNet.set(k, target);
          if (target !== before) done.attendanceMoney++;
          move(family.id, walletOfActivity[op.activity]!, target - before);
        });
      } else if (op.type === 'adjust') {
        const family = families[op.family]!;
        await attempt(async () => {
          await adjustWallet(ctx, actors.admin, { familyId: family.id, walletId: wallets[op.wallet]!, amountCents: op.amount, reason: 'test aléatoire' });
          move(family.id, wallets[op.wallet]!, op.amount);
          done.adjust++;
        });
      } else if (op.type === 'time') {
        clock.advanceMinutes(op.hours * 60);
      } else if (op.type === 'reverse') {
        // Any booking entry, standing or not: the rules decide, and the model says what they must.
        const entries: Array<{ id: number; kind: string; family_id: number; wallet_id: number; amount_cents: number; child_id: number; activity_id: number; service_date: string }> =
          await db('ledger_entries').whereIn('kind', ['booking_debit', 'cancellation_refund']).orderBy('id');
        const entry = entries[op.pick % Math.max(1, entries.length)];
        if (!entry) continue;
        const k = `${entry.child_id}|${entry.activity_id}|${entry.service_date}`;
        const cost = bookedCost.get(k);
        const allowed = entry.kind === 'booking_debit' && cost != null && cost > 0 && !pointedNet.has(k);
        let ok = false;
        await attempt(async () => {
          await reverseLedgerEntry(ctx, actors.secretariat, { entryId: entry.id, reason: 'repas offert' });
          ok = true;
        });
        expect(ok, `${step}: reversal of ${entry.kind} ${k} (model: ${allowed ? 'allowed' : 'refused'})`).toBe(allowed);
        if (ok) {
          bookedCost.set(k, 0);
          move(entry.family_id, entry.wallet_id, -entry.amount_cents);
          done.reverse++;
        } else done.refusedReverse++;
      } else if (op.type === 'closure') {
        // Closures aim mostly at a booked day, or they would hardly ever cancel anything.
        const booked = [...bookedCost.keys()];
        const aimed = booked.length > 0 ? booked[op.day % booked.length]!.split('|') : null;
        const date = aimed ? aimed[2]! : addDays(FIRST_DAY, op.day);
        const activityId = op.activity == null ? null : aimed && op.activity % 2 === 0 ? Number(aimed[1]) : activities[op.activity]!;
        await attempt(async () => {
          await addClosure(ctx, actors.admin, { kind: 'mairie', label: 'Grève', dateFrom: date, dateTo: date, activityId, schoolId: null });
          // Every booking it covers from today on, unless pointed, is cancelled and refunded what it cost.
          if (date < parisToday(clock.now())) return;
          for (const [k, cost] of [...bookedCost]) {
            const [childId, cellActivity, cellDate] = k.split('|');
            if (cellDate !== date || (activityId != null && Number(cellActivity) !== activityId) || pointedNet.has(k)) continue;
            const { family } = allChildren.find((c) => c.childId === Number(childId))!;
            move(family.id, walletOfActivity[activities.indexOf(Number(cellActivity))]!, cost);
            bookedCost.delete(k);
            done.closureCancel++;
          }
        });
      }
      await check(step);
    }
  } finally {
    await t.db.destroy();
  }
}

// A fixed seed for both properties: with ten kinds of operation, a random draw of 60 runs sometimes held no attendance
// change at all, and the coverage check below failed at random. Change the seed to explore anew
// (the coverage check says when a draw misses an operation).
const LEDGER_PROPERTY_SEED = 20261201;

describe('ledger property', () => {
  it('no cent appears or disappears, and the ledger is append-only', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => run(ops)), { numRuns: 60, seed: LEDGER_PROPERTY_SEED });
    for (const what of ['book', 'cancel', 'sale', 'cancelSale', 'attendanceMoney', 'adjust', 'refusedBatch'] as const) {
      expect(done[what], `no ${what} happened in any run`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('every booking’s entries sum to what it costs while booked and to zero when not, whatever the route or order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(bookingOpArb, { minLength: 5, maxLength: 40 }), (ops) => run(ops, 20_000)), { numRuns: 40, seed: LEDGER_PROPERTY_SEED });
    for (const what of ['book', 'cancel', 'reverse', 'refusedReverse', 'closureCancel'] as const) {
      expect(done[what], `no ${what} happened in any run`).toBeGreaterThan(0);
    }
  }, 180_000);
});
