/**
 * "Tableau de bord", the console's home for the desk: today's bookings per activity and school,
 * tomorrow's meals, the day's cash, what waits (documents, messages, parents' changes, online
 * payments), the last backup and the balance alerts. A fixed number of grouped queries, whatever
 * the size of the city (20,000 children make no more queries than 20).
 */
import type { DashboardBookingCount, DashboardMealCount, DashboardView } from '../api/dashboard.js';
import type { MethodTotals } from '../api/staff-counter.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, parisInstant, parisToday } from './dates.js';
import { authorizeStaff } from './policy.js';
import { balanceAlerts } from './balances.js';

/** The schools' order of the console, children without a school last. */
const NO_SCHOOL = 'Sans école';

interface BookingRow {
  date: string;
  activity_id: number;
  activity_name: string;
  meal: number | boolean;
  school_id: number | null;
  school_name: string | null;
  n: number | string;
}

const num = (v: unknown) => Number(v ?? 0);

export async function dashboard(ctx: CoreContext, actor: Actor): Promise<DashboardView> {
  authorizeStaff(actor, 'dashboard.read');
  const db = ctx.db;
  const now = ctx.clock.now();
  const today = parisToday(now);
  const tomorrow = addDays(today, 1);
  const todayStart = parisInstant(today, '00:00').toISOString();

  const [bookings, cash, closed, docs, changes, unread, online, lastRun, lastGood, alerts] = await Promise.all([
    db('bookings as b')
      .join('children as c', 'c.id', 'b.child_id')
      .join('activities as a', 'a.id', 'b.activity_id')
      .leftJoin('schools as s', 's.id', 'c.school_id')
      .whereIn('b.date', [today, tomorrow])
      .where('b.status', 'booked')
      .groupBy('b.date', 'a.id', 'a.name', 'a.meal', 'a.position', 'c.school_id', 's.name', 's.position')
      .orderBy([{ column: 'a.position' }, { column: 'a.id' }, { column: 's.position' }, { column: 's.name' }])
      .select('b.date', 'a.id as activity_id', 'a.name as activity_name', 'a.meal', 'c.school_id', 's.name as school_name')
      .count({ n: '*' }) as Promise<BookingRow[]>,
    db('receipts').where('business_date', today).groupBy('method').select('method').sum({ cents: 'amount_cents' }).count({ n: '*' }) as Promise<
      Array<{ method: keyof MethodTotals; cents: number | string | null; n: number | string }>
    >,
    db('cash_closures').where('business_date', today).count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
    db('documents').where({ status: 'pending' }).count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
    // The same counts as the menu's badges (staff.overview).
    db('audit_log').where({ needs_review: true, actor_kind: 'parent' }).count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
    db('messages').where('author_kind', 'parent').whereNull('read_at').count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
    db('online_payments')
      .where('status', 'pending')
      .orWhere((q) => q.where('status', 'error').where('created_at', '>=', todayStart))
      .groupBy('status')
      .select('status')
      .count({ n: '*' }) as Promise<Array<{ status: string; n: number | string }>>,
    db('backup_runs').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first('started_at', 'ok', 'error') as Promise<
      { started_at: string; ok: number | boolean; error: string | null } | undefined
    >,
    db('backup_runs').where('ok', true).max({ at: 'started_at' }).first() as Promise<{ at: string | null } | undefined>,
    balanceAlerts(db),
  ]);

  const bookingsToday: DashboardBookingCount[] = [];
  const meals = new Map<string, DashboardMealCount>();
  for (const r of bookings) {
    const count = num(r.n);
    const schoolId = r.school_id == null ? null : Number(r.school_id);
    const schoolName = r.school_name ?? NO_SCHOOL;
    if (r.date === today) bookingsToday.push({ activityId: Number(r.activity_id), activityName: r.activity_name, schoolId, schoolName, count });
    else if (r.meal === true || Number(r.meal) === 1) {
      const key = String(schoolId);
      const m = meals.get(key) ?? { schoolId, schoolName, count: 0 };
      m.count += count;
      meals.set(key, m);
    }
  }
  const mealsTomorrow = [...meals.values()];
  const byMethod: MethodTotals = { especes: 0, cheque: 0, carte: 0 };
  let cashCount = 0;
  for (const r of cash) {
    if (r.method in byMethod) byMethod[r.method] += num(r.cents);
    cashCount += num(r.n);
  }
  const onlineBy = new Map(online.map((r) => [r.status, num(r.n)]));
  return {
    today,
    tomorrow,
    bookingsToday,
    bookingsTodayTotal: bookingsToday.reduce((s, r) => s + r.count, 0),
    mealsTomorrow,
    mealsTomorrowTotal: mealsTomorrow.reduce((s, r) => s + r.count, 0),
    cash: { totalCents: byMethod.especes + byMethod.cheque + byMethod.carte, count: cashCount, byMethod, closedSessions: num(closed?.n) },
    pendingDocuments: num(docs?.n),
    unreadMessages: num(unread?.n),
    pendingChanges: num(changes?.n),
    onlinePaymentsPending: onlineBy.get('pending') ?? 0,
    onlinePaymentsError: onlineBy.get('error') ?? 0,
    lastBackup: lastRun ? { startedAt: lastRun.started_at, ok: lastRun.ok === true || Number(lastRun.ok) === 1, error: lastRun.error } : null,
    lastGoodBackupAt: lastGood?.at ?? null,
    negativeBalances: alerts.negative,
    underThreshold: alerts.under,
  };
}
