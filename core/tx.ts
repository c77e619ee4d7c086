import type { Knex } from 'knex';

/** Key of the PostgreSQL advisory lock that stands for SQLite's single write lock. */
const WRITE_LOCK_KEY = 7_301_2026;
/**
 * Two-int4 advisory keys (a key space apart from the single bigint one above): (1, family id)
 * for one family's wallets and bookings, (ACTIVITY_DAY_BASE + activity id, day number) for the
 * places of one activity on one day.
 */
const FAMILY_SPACE = 1;
const ACTIVITY_DAY_BASE = 1_000_000;

/** What a transaction changes, when it is one family's business alone. */
export interface WriteScope {
  familyId: number;
}

/**
 * Runs `fn` in a transaction that holds the database's write lock from its first statement,
 * so check-then-write rules (capacity, wallet policy, receipt numbers) cannot race.
 *
 * SQLite's deferred BEGIN takes the write lock only at the first write; a transaction that read
 * first and then writes after another process committed fails with SQLITE_BUSY instead of
 * waiting. A no-op write up front makes the transaction wait its turn (busy_timeout) and then
 * see a stable snapshot: what `BEGIN IMMEDIATE` does. SQLite has one writer anyway.
 *
 * PostgreSQL has no database-wide write lock. A transaction without a scope takes the global
 * advisory lock exclusively: one at a time, as on SQLite. One with a family scope takes it
 * shared plus that family's lock: two families' bookings and sales go side by side, each family's
 * one after the other, and any unscoped change (a closure, the rentrée) still waits for them all
 * and they for it. Rules shared between families lock what they share (lockActivityDays).
 */
export async function writeTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, scope?: WriteScope): Promise<T> {
  return db.transaction(async (trx) => {
    if (!isPostgres(db)) await trx('settings').where('key', '__write_lock__').delete();
    else if (scope) {
      await trx.raw('SELECT pg_advisory_xact_lock_shared(?)', [WRITE_LOCK_KEY]);
      await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [FAMILY_SPACE, scope.familyId]);
    } else await trx.raw('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK_KEY]);
    return fn(trx);
  });
}

/**
 * Inside a family-scoped transaction, the places of these activity-days (capacity is counted
 * over every family), in one fixed order so that two batches never wait for each other in a
 * circle. Nothing to do on SQLite, whose writer is alone already.
 */
export async function lockActivityDays(trx: Knex, cells: ReadonlyArray<{ activityId: number; date: string }>): Promise<void> {
  if (!isPostgres(trx)) return;
  const keys = new Map<string, [number, number]>();
  for (const c of cells) {
    const key: [number, number] = [ACTIVITY_DAY_BASE + c.activityId, Date.parse(`${c.date}T00:00:00Z`) / 86_400_000];
    keys.set(key.join(':'), key);
  }
  const ordered = [...keys.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [space, day] of ordered) await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [space, day]);
}

function isPostgres(db: Knex): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return client === 'pg' || client === 'postgresql';
}

export function nowIso(date: Date): string {
  return date.toISOString();
}
