import type { Knex } from 'knex';
import { bookingHorizonSchema, type BookingHorizonAdminView, type BookingHorizonSetting, type BookingHorizonView } from '../api/glance.js';
import { formatDayMonthYearFr } from '../api/format.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, parisToday } from './dates.js';
import { invalid } from './errors.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * The booking horizon: the last day a parent (or the counter) may book, set by the mairie in
 * the `settings` table under 'booking_horizon' as a fixed date, a number of days from today,
 * or by default the end of the current school year, i.e. the day before the next summer
 * holidays recorded in the calendar ("Vacances d'été" closures start the day after the last
 * class). Without a recorded summer, the school year ends on 31 August.
 */

export const BOOKING_HORIZON_KEY = 'booking_horizon';

const DEFAULT_SETTING: BookingHorizonSetting = { mode: 'school_year' };

function parseSetting(raw: string | undefined): BookingHorizonSetting {
  if (!raw) return DEFAULT_SETTING;
  try {
    const parsed = bookingHorizonSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_SETTING;
  } catch {
    return DEFAULT_SETTING;
  }
}

/** The school year's last day when no summer holiday is recorded: 31 August. */
function fallbackSchoolYearEnd(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return `${month >= 9 ? year + 1 : year}-08-31`;
}

export function horizonView(setting: BookingHorizonSetting, lastDay: string): BookingHorizonView {
  return { lastDay, mode: setting.mode, text: `Réservations ouvertes jusqu’au ${formatDayMonthYearFr(lastDay)}` };
}

/** Reads the setting and, for the default, the next summer holidays: two queries, run together. */
export async function loadBookingHorizon(db: Knex, now: Date): Promise<{ setting: BookingHorizonSetting; horizon: BookingHorizonView }> {
  const today = parisToday(now);
  const [row, summer] = await Promise.all([
    db('settings').where('key', BOOKING_HORIZON_KEY).first('value') as Promise<{ value: string } | undefined>,
    db('closures')
      .where('kind', 'vacances')
      .andWhere('label', 'like', '%été%')
      .andWhere('date_from', '>', today)
      .whereNull('activity_id')
      .orderBy('date_from')
      .first('date_from') as Promise<{ date_from: string } | undefined>,
  ]);
  const setting = parseSetting(row?.value);
  let lastDay: string;
  if (setting.mode === 'date') lastDay = setting.date;
  else if (setting.mode === 'days') lastDay = addDays(today, setting.days);
  else lastDay = summer ? addDays(summer.date_from, -1) : fallbackSchoolYearEnd(today);
  return { setting, horizon: horizonView(setting, lastDay) };
}

export async function getBookingHorizonSetting(ctx: CoreContext, actor: Actor): Promise<BookingHorizonAdminView> {
  authorizeStaff(actor, 'service.read');
  return loadBookingHorizon(ctx.db, ctx.clock.now());
}

/** An administrator sets the horizon; audited with the before and after. */
export async function setBookingHorizon(ctx: CoreContext, actor: Actor, input: unknown): Promise<BookingHorizonAdminView> {
  authorizeStaff(actor, 'activities.manage');
  const parsed = bookingHorizonSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.message ?? 'Horizon de réservation invalide.', { field: issue?.path.join('.') || 'mode' });
  }
  const now = ctx.clock.now();
  const setting = parsed.data;
  if (setting.mode === 'date' && setting.date <= parisToday(now)) {
    throw invalid('Horizon : choisissez une date à venir.', { field: 'date' });
  }
  const before = await loadBookingHorizon(ctx.db, now);
  await writeTransaction(ctx.db, async (trx) => {
    const value = JSON.stringify(setting);
    const at = now.toISOString();
    const exists = await trx('settings').where('key', BOOKING_HORIZON_KEY).first('key');
    if (exists) await trx('settings').where('key', BOOKING_HORIZON_KEY).update({ value, updated_at: at });
    else await trx('settings').insert({ key: BOOKING_HORIZON_KEY, value, updated_at: at });
    const after = await loadBookingHorizon(trx, now);
    await audit(trx, actor, {
      action: 'settings.booking_horizon', entity: 'settings', entityId: BOOKING_HORIZON_KEY,
      before: { ...before.setting, lastDay: before.horizon.lastDay }, after: { ...setting, lastDay: after.horizon.lastDay },
      note: after.horizon.text,
    }, now);
  });
  return loadBookingHorizon(ctx.db, now);
}

/** "La semaine type s'arrête au 3 juillet 2027 : au-delà, les réservations ne sont pas encore ouvertes." */
export function horizonNotice(what: string, lastDay: string): string {
  return `${what} s’arrête au ${formatDayMonthYearFr(lastDay)} : au-delà, les réservations ne sont pas encore ouvertes.`;
}
