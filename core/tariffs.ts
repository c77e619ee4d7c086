import type { Knex } from 'knex';
import { notFound } from './errors.js';

/**
 * Prices by quotient-familial bracket: qf_min <= QF <= qf_max (qf_max null = no upper bound).
 * A family without a QF on file pays the highest bracket, as does a QF no bracket covers.
 */

export interface TariffRow {
  activity_id: number;
  qf_min: number;
  qf_max: number | null;
  price_cents: number;
}

export function pick(rows: TariffRow[], qf: number | null): TariffRow | undefined {
  if (rows.length === 0) return undefined;
  if (qf != null) {
    const hit = rows.find((r) => r.qf_min <= qf && (r.qf_max == null || qf <= r.qf_max));
    if (hit) return hit;
  }
  return rows.reduce((hi, r) => (r.qf_min > hi.qf_min ? r : hi));
}

export function group(rows: TariffRow[]): Map<number, TariffRow[]> {
  const byActivity = new Map<number, TariffRow[]>();
  for (const r of rows) {
    const list = byActivity.get(r.activity_id) ?? [];
    list.push(r);
    byActivity.set(r.activity_id, list);
  }
  return byActivity;
}

/** The price of each activity for one family, in two queries. Activities without a tariff are absent. */
export async function priceForFamily(trx: Knex, familyId: number, activityIds: readonly number[]): Promise<Map<number, number>> {
  const family = await trx('families').where('id', familyId).first('quotient_familial');
  const qf = (family?.quotient_familial as number | null | undefined) ?? null;
  const out = new Map<number, number>();
  if (activityIds.length === 0) return out;
  const rows: TariffRow[] = await trx('tariffs')
    .select('activity_id', 'qf_min', 'qf_max', 'price_cents')
    .whereIn('activity_id', [...new Set(activityIds)]);
  for (const [activityId, list] of group(rows)) {
    const t = pick(list, qf);
    if (t) out.set(activityId, t.price_cents);
  }
  return out;
}

/** Prices for several families at once (attendance of a whole class), in two queries. */
export async function pricesForFamilies(
  trx: Knex,
  familyIds: readonly number[],
  activityIds: readonly number[],
): Promise<Map<number, Map<number, number>>> {
  const out = new Map<number, Map<number, number>>();
  if (familyIds.length === 0 || activityIds.length === 0) return out;
  const families: Array<{ id: number; quotient_familial: number | null }> = await trx('families')
    .select('id', 'quotient_familial')
    .whereIn('id', [...new Set(familyIds)]);
  const rows: TariffRow[] = await trx('tariffs')
    .select('activity_id', 'qf_min', 'qf_max', 'price_cents')
    .whereIn('activity_id', [...new Set(activityIds)]);
  const byActivity = group(rows);
  for (const f of families) {
    const prices = new Map<number, number>();
    for (const [activityId, list] of byActivity) {
      const t = pick(list, f.quotient_familial ?? null);
      if (t) prices.set(activityId, t.price_cents);
    }
    out.set(f.id, prices);
  }
  return out;
}

/** The family's price of every active activity, for the counter's tickets form (404 for an unknown family). */
export async function familyTicketPrices(db: Knex, familyId: number): Promise<Array<{ activityId: number; priceCents: number }>> {
  if (!(await db('families').where('id', familyId).first('id'))) throw notFound('Famille');
  const ids: Array<{ id: number }> = await db('activities').where('active', true).orderBy(['position', 'id']).select('id');
  const prices = await priceForFamily(db, familyId, ids.map((a) => a.id));
  return [...prices].map(([activityId, priceCents]) => ({ activityId, priceCents }));
}
