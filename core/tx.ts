import type { Knex } from 'knex';

/**
 * Runs `fn` in a transaction that holds the database's write lock from its first statement.
 *
 * SQLite's deferred BEGIN takes the write lock only at the first write; a transaction that read
 * first and then writes after another process committed fails with SQLITE_BUSY instead of
 * waiting. A no-op write up front makes the transaction wait its turn (busy_timeout) and then
 * see a stable snapshot: what `BEGIN IMMEDIATE` does, expressed in portable SQL (on
 * PostgreSQL the statement is harmless).
 */
export async function writeTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx('settings').where('key', '__write_lock__').delete();
    return fn(trx);
  });
}

export function nowIso(date: Date): string {
  return date.toISOString();
}
