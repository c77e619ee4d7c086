// Every status and kind column refuses a value outside its list, on the engine of the run
// (CHECK constraints on PostgreSQL, triggers on SQLite), on insert and on update. The demo data
// gives most tables their rows, and shows that none of its values is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../core/clock.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import type { Db } from '../db/index.js';
import { STATUS_CHECKS } from '../db/migrations/0018_status_checks.js';
import { openTestDb } from '../db/test-db.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
  await seedDemoIfEmpty({ db, clock: new FixedClock('2026-11-30T08:00:00Z') });
});
afterAll(async () => db.destroy());

describe('status and kind columns', () => {
  it('refuse an unknown value on update', async () => {
    const checked: string[] = [];
    for (const c of STATUS_CHECKS) {
      if (!(await db(c.table).first())) continue;
      // Every row at once: the refusal comes before any row changes.
      await expect(db(c.table).update({ [c.column]: 'inconnu' }), `${c.table}.${c.column}`).rejects.toThrow(`${c.table}_${c.column}_check`);
      checked.push(`${c.table}.${c.column}`);
    }
    expect(checked.length, checked.join(', ')).toBeGreaterThanOrEqual(STATUS_CHECKS.length - 3);
  });

  it('refuse an unknown value on insert, and take a listed one', async () => {
    const child = await db('children').first('id');
    const activity = await db('activities').first('id');
    const booking = { child_id: child.id, activity_id: activity.id, date: '2027-06-30', price_cents: 0, override: false, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
    await expect(db('bookings').insert({ ...booking, status: 'réservé', source: 'parent' })).rejects.toThrow('bookings_status_check');
    await expect(db('bookings').insert({ ...booking, status: 'booked', source: 'robot' })).rejects.toThrow('bookings_source_check');
    await db('bookings').insert({ ...booking, status: 'booked', source: 'subscription' });
    const school = await db('schools').first('id');
    await expect(db('school_classes').insert({ school_id: school.id, name: 'CM3', level: 'CM3', position: 99 })).rejects.toThrow('school_classes_level_check');
  });
});
