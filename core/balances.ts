/**
 * "Soldes et relances": the family wallets by balance. A balance is the sum of the wallet's
 * ledger entries (core/wallet.ts); the list sums them in one grouped query, filters (negative,
 * under the family's threshold, one wallet, one school), sorts and pages it, then decorates the
 * page's rows in a fixed number of queries (addresses, last reminders): never one per family.
 */
import type { Knex } from 'knex';
import { BALANCES_PAGE_SIZE, type BalanceFilter, type BalanceRow, type BalancesPage, type BalanceSort } from '../api/balances.js';
import type { Actor, CoreContext } from './context.js';
import { authorizeStaff } from './policy.js';
import { familiesMailRecipients } from './mail/recipients.js';

export interface BalanceFilters {
  filter?: BalanceFilter;
  walletId?: number;
  schoolId?: number;
}

/** Each (family, wallet) that has ledger entries, with its balance, for the active families. */
export function balanceBase(db: Knex, f: BalanceFilters = {}) {
  const sums = db('ledger_entries').select('family_id', 'wallet_id').sum({ balance: 'amount_cents' }).groupBy('family_id', 'wallet_id');
  if (f.walletId != null) sums.where('wallet_id', f.walletId);
  const q = db
    .from(sums.as('s'))
    .join('families as f', 'f.id', 's.family_id')
    .join('wallets as w', 'w.id', 's.wallet_id')
    .where('f.active', true)
    .whereNull('f.anonymised_at');
  if (f.filter === 'negative') q.where('s.balance', '<', 0);
  else if (f.filter === 'under') q.whereRaw('s.balance < f.low_balance_threshold_cents');
  if (f.schoolId != null) {
    const schoolId = f.schoolId;
    q.whereExists((sub) => sub.from('children as c').whereRaw('c.family_id = f.id').where('c.school_id', schoolId).where('c.active', true).select(db.raw('1')));
  }
  return q;
}

interface Row {
  family_id: number;
  family_code: string;
  family_name: string;
  wallet_id: number;
  wallet_label: string;
  balance: number | string;
  threshold: number;
}

/** One page of family wallets; the count of all that match goes with it. */
export async function listBalances(ctx: CoreContext, actor: Actor, f: BalanceFilters & { sort?: BalanceSort; page?: number }): Promise<BalancesPage> {
  authorizeStaff(actor, 'balances.remind');
  const page = Math.max(1, Math.floor(f.page ?? 1));
  const size = BALANCES_PAGE_SIZE;
  const order =
    f.sort === 'name'
      ? [{ column: 'f.name' }, { column: 'f.id' }, { column: 'w.position' }, { column: 'w.id' }]
      : [{ column: 's.balance' }, { column: 'f.name' }, { column: 'f.id' }, { column: 'w.id' }];
  const [rows, counted] = await Promise.all([
    balanceBase(ctx.db, f)
      .select('s.family_id', 'f.code as family_code', 'f.name as family_name', 's.wallet_id', 'w.label as wallet_label', 's.balance', 'f.low_balance_threshold_cents as threshold')
      .orderBy(order)
      .limit(size)
      .offset((page - 1) * size) as Promise<Row[]>,
    balanceBase(ctx.db, f).count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
  ]);
  const total = Number(counted?.n ?? 0);
  const familyIds = [...new Set(rows.map((r) => Number(r.family_id)))];
  const [recipients, reminders] = await Promise.all([
    familiesMailRecipients(ctx.db, familyIds),
    familyIds.length === 0
      ? Promise.resolve([] as Array<{ family_id: number; wallet_id: number; last: string }>)
      : (ctx.db('family_reminders').whereIn('family_id', familyIds).groupBy('family_id', 'wallet_id').select('family_id', 'wallet_id').max({ last: 'sent_on' }) as Promise<
          Array<{ family_id: number; wallet_id: number; last: string }>
        >),
  ]);
  const lastOf = new Map(reminders.map((r) => [`${r.family_id}:${r.wallet_id}`, r.last]));
  const out: BalanceRow[] = rows.map((r) => ({
    familyId: Number(r.family_id),
    familyCode: r.family_code,
    familyName: r.family_name,
    walletId: Number(r.wallet_id),
    walletLabel: r.wallet_label,
    balanceCents: Number(r.balance),
    thresholdCents: Number(r.threshold),
    hasEmail: (recipients.get(Number(r.family_id)) ?? []).length > 0,
    lastReminderOn: lastOf.get(`${r.family_id}:${r.wallet_id}`) ?? null,
  }));
  return { rows: out, page, pageSize: size, total, hasMore: page * size < total };
}

/** How many family wallets are negative, and under their family's threshold (one query). */
export async function balanceAlerts(db: Knex): Promise<{ negative: number; under: number }> {
  const row = (await balanceBase(db)
    .select(
      db.raw('SUM(CASE WHEN s.balance < 0 THEN 1 ELSE 0 END) as negative_count'),
      db.raw('SUM(CASE WHEN s.balance < f.low_balance_threshold_cents THEN 1 ELSE 0 END) as under_count'),
    )
    .first()) as { negative_count: number | string | null; under_count: number | string | null } | undefined;
  return { negative: Number(row?.negative_count ?? 0), under: Number(row?.under_count ?? 0) };
}
