import type { Knex } from 'knex';

/** Key of the PostgreSQL advisory lock that stands for SQLite's single write lock. */
const WRITE_LOCK_KEY = 7_301_2026;

/**
 * Runs `fn` in a transaction that holds the database's write lock from its first statement,
 * so check-then-write rules (capacity, wallet policy, receipt numbers) cannot race.
 *
 * SQLite's deferred BEGIN takes the write lock only at the first write; a transaction that read
 * first and then writes after another process committed fails with SQLITE_BUSY instead of
 * waiting. A no-op write up front makes the transaction wait its turn (busy_timeout) and then
 * see a stable snapshot: what `BEGIN IMMEDIATE` does. PostgreSQL has no database-wide write
 * lock, so there a transaction-scoped advisory lock gives the same one-writer-at-a-time rule.
 */
export async function writeTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK_KEY]);
    else await trx('settings').where('key', '__write_lock__').delete();
    return fn(trx);
  });
}

function isPostgres(db: Knex): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return client === 'pg' || client === 'postgresql';
}

export function nowIso(date: Date): string {
  return date.toISOString();
}
