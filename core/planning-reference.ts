import type { Knex } from 'knex';
import type { BookingHorizonView } from '../api/glance.js';
import { activityRuleFromRow, cellFacts, type ActivityRow, type ActivityRule, type CellFacts } from './booking-rules.js';
import { loadBookingHorizon } from './booking-horizon.js';
import { loadCalendar, type Calendar } from './calendar.js';
import { parisToday } from './dates.js';
import { group, type TariffRow } from './tariffs.js';

/**
 * What the planning reads that is the same for every family: the activities and their rules,
 * the tariff brackets, the closures, the day's booking horizon, and each activity-day's closure
 * and deadlines (per school). Kept in memory per database and checked on every use against the
 * version that triggers bump on any change of those tables (data_versions, migration 0019), so
 * the week grid and a booking cost one query for all of it while nothing changed.
 */

export interface ReferenceActivity {
  rule: ActivityRule;
  name: string;
  code: string;
  periodLabel: string;
  walletId: number;
  position: number;
}

export interface PlanningReference {
  readonly version: number;
  readonly today: string;
  /** Every activity, inactive ones included (their rule says so). */
  readonly activities: ReadonlyMap<number, ReferenceActivity>;
  /** The active activities, in the grid's order. */
  readonly active: readonly ReferenceActivity[];
  readonly tariffs: ReadonlyMap<number, TariffRow[]>;
  /** Built over every closure: good for any date. */
  readonly calendar: Calendar;
  readonly horizon: BookingHorizonView;
  /** cellFacts, remembered; `activity` must be this reference's rule of that activity. */
  facts(activity: ActivityRule, date: string, schoolId: number | null): CellFacts;
}

const MAX_FACTS = 50_000;
// Keyed by the knex client's config, which a transaction shares with its database.
const cache = new WeakMap<object, PlanningReference>();

/** `knownVersion`: the 'planning' version when the caller has just read it (core/planning-cache.ts). */
export async function planningReference(db: Knex, now: Date, knownVersion?: number): Promise<PlanningReference> {
  const today = parisToday(now);
  const row: { version: number | string } | undefined = knownVersion === undefined
    ? await db('data_versions').where('name', 'planning').first('version')
    : { version: knownVersion };
  const version = Number(row?.version ?? 0);
  const key = db.client.config as object;
  const hit = cache.get(key);
  if (hit && hit.version === version && hit.today === today) return hit;
  const reference = await loadReference(db, now, version, today);
  // A transaction may still roll back what it read (its own changes, with their version):
  // only what is read outside one, hence committed, is kept; inside, the stale entry goes.
  if (!db.isTransaction) cache.set(key, reference);
  else cache.delete(key);
  return reference;
}

/**
 * Reads the reference outside any transaction when none is remembered for today, so that the
 * transactions that follow find it (a booking calls this before its own); no query otherwise.
 */
export async function warmPlanningReference(db: Knex, now: Date): Promise<void> {
  if (cache.get(db.client.config as object)?.today !== parisToday(now)) await planningReference(db, now);
}

async function loadReference(db: Knex, now: Date, version: number, today: string): Promise<PlanningReference> {
  const [rows, tariffRows, calendar, { horizon }] = await Promise.all([
    db('activities')
      .select('id', 'code', 'name', 'period_label', 'wallet_id', 'weekdays', 'capacity', 'book_days_before', 'book_until_time', 'cancel_days_before', 'cancel_until_time', 'active', 'position')
      .orderBy([{ column: 'position' }, { column: 'id' }]) as Promise<Array<ActivityRow & { code: string; period_label: string; wallet_id: number; position: number }>>,
    db('tariffs').select('activity_id', 'qf_min', 'qf_max', 'price_cents') as Promise<TariffRow[]>,
    loadCalendar(db, '1900-01-01', '2999-12-31'),
    loadBookingHorizon(db, now),
  ]);
  const list: ReferenceActivity[] = rows.map((r) => ({
    rule: activityRuleFromRow(r), name: r.name, code: r.code, periodLabel: r.period_label, walletId: r.wallet_id, position: r.position ?? 0,
  }));
  const facts = new Map<string, CellFacts>();
  return {
    version,
    today,
    activities: new Map(list.map((a) => [a.rule.id, a])),
    active: list.filter((a) => a.rule.active),
    tariffs: group(tariffRows),
    calendar,
    horizon,
    facts(activity, date, schoolId) {
      const k = `${activity.id}|${date}|${schoolId ?? ''}`;
      let f = facts.get(k);
      if (!f) {
        if (facts.size >= MAX_FACTS) facts.clear();
        f = cellFacts(activity, date, calendar, schoolId);
        facts.set(k, f);
      }
      return f;
    },
  };
}
