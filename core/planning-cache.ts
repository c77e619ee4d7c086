import type { Knex } from 'knex';
import type { WeekGridResponse } from '../api/parent.js';
import { addDays, parisInstant, parisToday } from './dates.js';

/**
 * The week grids last computed, per database, kept while nothing they show can have changed, so
 * that a parent opening and reopening Mon Planning costs two small reads instead of five queries
 * and the grid's construction (issue 12: the grid at a fifth of a bare server's rate).
 *
 * An entry holds while, all at once:
 *   - the 'planning' version (activities, tariffs, closures, horizon, wallets: migrations 0019,
 *     0026) and the family's version (its row, children, bookings, ledger: migration 0026) are
 *     those it was built under — triggers move them in the writing transaction itself;
 *   - the places taken of the week's limited activity-days are the same (other families book);
 *   - no deadline shown has passed, the Paris day has not turned, and a minute has not gone by
 *     (a bound for what time changes that the two first rules might not name).
 * A grid read inside a transaction is never kept: it may see what will roll back.
 */

const MAX_ENTRIES = 2_000;
const MAX_AGE_MS = 60_000;

interface Entry {
  key: string;
  validUntil: number;
  grid: WeekGridResponse;
}

// Keyed by the knex client's config, which a transaction shares with its database.
const caches = new WeakMap<object, Map<string, Entry>>();

export interface GridVersions {
  planning: number;
  family: number;
}

/** The 'planning' and the family's version in one query (a family never changed has version 0). */
export async function gridVersions(db: Knex, familyId: number): Promise<GridVersions> {
  const rows: Array<{ name: string; version: number | string }> = await db
    .select('name', 'version')
    .from('data_versions')
    .where('name', 'planning')
    .unionAll((u) => {
      void u.select(db.raw("'family' as name"), 'version').from('family_versions').where('family_id', familyId);
    });
  const of = (name: string) => Number(rows.find((r) => r.name === name)?.version ?? 0);
  return { planning: of('planning'), family: of('family') };
}

function cacheOf(db: Knex): Map<string, Entry> {
  const config = db.client.config as object;
  let cache = caches.get(config);
  if (!cache) {
    cache = new Map();
    caches.set(config, cache);
  }
  return cache;
}

export function cachedGrid(db: Knex, slot: string, key: string, now: Date): WeekGridResponse | undefined {
  if (db.isTransaction) return undefined;
  const cache = cacheOf(db);
  const entry = cache.get(slot);
  if (!entry) return undefined;
  if (entry.key !== key || now.getTime() >= entry.validUntil) {
    cache.delete(slot);
    return undefined;
  }
  // Most recently used last: the oldest is the first to go.
  cache.delete(slot);
  cache.set(slot, entry);
  return entry.grid;
}

export function keepGrid(db: Knex, slot: string, key: string, now: Date, grid: WeekGridResponse): void {
  if (db.isTransaction) return;
  const cache = cacheOf(db);
  cache.delete(slot);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(slot, { key, validUntil: gridValidUntil(grid, now), grid });
}

/** The first instant the grid could read differently with the same data: a deadline, midnight, or a minute. */
export function gridValidUntil(grid: WeekGridResponse, now: Date): number {
  const nowMs = now.getTime();
  let until = Math.min(nowMs + MAX_AGE_MS, parisInstant(addDays(parisToday(now), 1), '00:00').getTime());
  const consider = (iso: string | undefined) => {
    if (!iso) return;
    const at = Date.parse(iso);
    if (at > nowMs && at < until) until = at;
  };
  for (const child of grid.children) {
    for (const period of child.periods) {
      for (const row of period.rows) {
        for (const cell of row.cells) {
          consider(cell.bookDeadline);
          consider(cell.cancelDeadline);
        }
      }
    }
  }
  for (const d of grid.glance.nextDeadlines) consider(d.deadline);
  return until;
}
