import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';
import { FixedClock } from '../core/clock.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { getBalances } from '../core/wallet.js';
import { getWeekGrid } from '../core/planning.js';
import { verifyPassword } from '../core/auth.js';
import { addDays, mondayOf } from '../core/dates.js';

// The demo a newcomer sees on first start: the guide's family exactly, and history that adds up.
let db: Db;
const clock = new FixedClock('2026-11-30T08:00:00Z'); // a Monday, 09:00 in Paris

beforeAll(async () => {
  db = await openTestDb();
  expect(await seedDemoIfEmpty({ db, clock })).toBe(true);
}, 120_000);
afterAll(async () => {
  await db.destroy();
});

describe('demo seed', () => {
  it('runs once only', async () => {
    expect(await seedDemoIfEmpty({ db, clock })).toBe(false);
  });

  it("creates Chantal DEVRET's card exactly as the guide shows it", async () => {
    const family = await db('families').where({ name: 'DEVRET' }).first();
    const card = await db('contacts').where({ family_id: family.id, first_name: 'Chantal' }).first();
    expect(card).toMatchObject({
      relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', address1: 'Chemin de la lune', address2: '', address3: '',
      postal_code: '45600', city: 'JUMEX', phone: '', mobile: '06 07 89 70 15', work_phone: '04 76 89 10 11',
      work_mobile: '04 76 89 10 11', email: 'pasdemail@qjis.fr', note: '',
    });
    const kids = await db('children').where({ family_id: family.id }).orderBy('birth_date').pluck('first_name');
    expect(kids).toEqual(['Julia', 'Louis', 'Margot']);
    expect(await db('contacts').where({ family_id: family.id }).count({ n: '*' }).first()).toEqual({ n: 2 });
  });

  it('creates the demo logins with the documented password', async () => {
    const parent = await db('parent_accounts').where({ username: 'chantal.devret' }).first();
    expect(await verifyPassword('eticket-demo', parent.password_hash)).toBe(true);
    const staff = await db('staff_users').orderBy('username').select('username', 'role');
    expect(staff).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'restauration', role: 'restauration' },
      { username: 'secretariat', role: 'secretariat' },
    ]);
  });

  it('generates about forty more families with children, logins and a searchable index', async () => {
    const { n } = (await db('families').count({ n: '*' }).first()) as { n: number };
    expect(n).toBeGreaterThanOrEqual(40);
    const { c } = (await db('children').count({ c: '*' }).first()) as { c: number };
    expect(c).toBeGreaterThan(n);
    const unindexed = await db('families').where('search_text', '').count({ n: '*' }).first();
    expect(unindexed).toEqual({ n: 0 });
    const logins = await db('parent_accounts').countDistinct({ n: 'username' }).first();
    expect(logins).toEqual({ n });
  });

  it('has a history whose balances are the sums of their ledger entries, below the policy only through attendance charges', async () => {
    const sums: Array<{ family_id: number; wallet_id: number; total: number }> = await db('ledger_entries')
      .groupBy('family_id', 'wallet_id')
      .select('family_id', 'wallet_id')
      .sum({ total: 'amount_cents' });
    expect(sums.length).toBeGreaterThan(80);
    const familyIds = [...new Set(sums.map((s) => s.family_id))];
    for (const familyId of familyIds) {
      for (const b of await getBalances(db, familyId)) {
        const expected = sums.find((s) => s.family_id === familyId && s.wallet_id === b.walletId)?.total ?? 0;
        expect(b.balanceCents).toBe(Number(expected));
        if (b.balanceCents < -b.overdraftLimitCents) {
          // Only attendance (a child present without a booking) may charge past the policy.
          const late = await db('ledger_entries').where({ family_id: familyId, wallet_id: b.walletId, kind: 'late_charge' }).first();
          expect(late, `famille ${familyId} sous la limite sans présence non réservée`).toBeTruthy();
        }
      }
    }
    // Every booked day was debited at least once, and attendance exists for past days.
    const bookedWithoutDebit = await db('bookings as b')
      .where('b.status', 'booked')
      .whereNotExists(db('ledger_entries as l').whereRaw('l.booking_id = b.id').where('l.kind', 'booking_debit'))
      .count({ n: '*' })
      .first();
    expect(bookedWithoutDebit).toEqual({ n: 0 });
    const attendance = (await db('attendance').count({ n: '*' }).first()) as { n: number };
    expect(attendance.n).toBeGreaterThan(200);
  });

  it('numbers counter receipts 1..N without a gap', async () => {
    const numbers: number[] = await db('receipts').where({ year: 2026 }).orderBy('number').pluck('number');
    expect(numbers.length).toBeGreaterThan(80);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it("leaves next week open for the guide's example: Julia's Cantine can be booked", async () => {
    const family = await db('families').where({ name: 'DEVRET' }).first();
    const nextMonday = addDays(mondayOf('2026-11-30'), 7);
    const grid = await getWeekGrid({ db, clock }, { kind: 'system' }, { familyId: family.id, weekStart: nextMonday });
    const julia = grid.children.find((c) => c.firstName === 'Julia')!;
    const cantine = julia.periods.flatMap((p) => p.rows).find((r) => r.activityCode === 'CANTINE')!;
    expect(cantine.cells.map((c) => c.state)).toEqual(['open', 'open', 'closed', 'open', 'open', 'closed', 'closed']);
  });
});
