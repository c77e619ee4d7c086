import type { Knex } from 'knex';
import type { WalletBalanceView } from '../api/parent.js';
import { addDays, parisToday } from './dates.js';

/**
 * The low-balance highlight of the portal: each wallet with the family's alert threshold (the
 * one the alert mail uses), whether the balance is under it, and about how many booked days
 * it still pays.
 *
 * Days covered = floor(balance / the family's average cost of a booked day on that wallet),
 * the average taken over the bookings from four weeks back to four weeks ahead (a "day" is
 * a date with at least one booking on the wallet, all children together, at the price
 * charged). Null when nothing is booked in that window: there is no cost to compare with.
 * A wallet at 0 with nothing booked is one the family does not use: never highlighted.
 * Two queries (one when the threshold is known), whatever the number of wallets or children.
 */

export const COVER_WINDOW_DAYS = 28;

export async function withLowBalance(
  db: Knex,
  familyId: number,
  balances: WalletBalanceView[],
  now: Date,
  /** The family's threshold when the caller already read it (saves a query). */
  knownThreshold?: number,
): Promise<WalletBalanceView[]> {
  const today = parisToday(now);
  const [family, perDay] = await Promise.all([
    knownThreshold !== undefined
      ? Promise.resolve({ low_balance_threshold_cents: knownThreshold })
      : (db('families').where('id', familyId).first('low_balance_threshold_cents') as Promise<{ low_balance_threshold_cents: number } | undefined>),
    // By the family's child ids (a subquery), so that SQLite walks the bookings' child index.
    db('bookings as b')
      .join('activities as a', 'a.id', 'b.activity_id')
      .whereIn('b.child_id', db('children').select('id').where('family_id', familyId))
      .andWhere('b.status', 'booked')
      .whereBetween('b.date', [addDays(today, -COVER_WINDOW_DAYS), addDays(today, COVER_WINDOW_DAYS - 1)])
      .groupBy('a.wallet_id')
      .select('a.wallet_id')
      .sum({ cents: 'b.price_cents' })
      .countDistinct({ days: 'b.date' }) as Promise<Array<{ wallet_id: number; cents: number | string | null; days: number | string }>>,
  ]);
  const cost = new Map(perDay.map((r) => [r.wallet_id, { cents: Number(r.cents ?? 0), days: Number(r.days) }]));
  return lowBalanceViews(balances, cost, family?.low_balance_threshold_cents ?? 0);
}

/** Pure: each wallet against the threshold, given the window's cost per wallet (the planning reads it with its bookings). */
export function lowBalanceViews(balances: WalletBalanceView[], cost: ReadonlyMap<number, { cents: number; days: number }>, threshold: number): WalletBalanceView[] {
  return balances.map((b) => {
    const covered = daysCovered(b.balanceCents, cost.get(b.walletId));
    // A wallet the family does not use (nothing booked lately, nothing on it) is not "low".
    const inUse = covered !== null || b.balanceCents !== 0;
    return { ...b, thresholdCents: threshold, low: inUse && b.balanceCents < threshold, daysCovered: covered };
  });
}

/** Pure: the balance over the average cost of a booked day. */
export function daysCovered(balanceCents: number, cost: { cents: number; days: number } | undefined): number | null {
  if (!cost || cost.days === 0 || cost.cents <= 0) return null;
  if (balanceCents <= 0) return 0;
  return Math.floor((balanceCents * cost.days) / cost.cents);
}
