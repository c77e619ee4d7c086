import type { Knex } from 'knex';

/** Batched statements of the import: SQLite binds at most 32,766 parameters per statement. */

export const CHUNK = 400;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** SELECT … WHERE column IN (…) in chunks: one query per 900 values instead of one per row. */
export async function selectIn<T>(trx: Knex, table: string, column: string, values: readonly (string | number)[], columns: string[]): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks([...new Set(values)], 900)) out.push(...((await trx(table).whereIn(column, part).select(columns)) as T[]));
  return out;
}
