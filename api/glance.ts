import { z } from 'zod';
import { dateSchema, monthSchema } from './common.js';
import { parseEuroCents } from './numbers.js';

/**
 * The week and the month at a glance (issue 9): what the planning's summary and "Mon mois"
 * show, the parent's alert threshold and the mairie's booking horizon. Re-exported from
 * api/parent.ts.
 */

/** What one wallet cost over the week shown: the real charged amounts (ledger), not today's prices. */
export interface WeekWalletTotal {
  walletId: number;
  walletLabel: string;
  /** Booked cells (child × activity × day). */
  bookings: number;
  /** Distinct days with at least one booking. */
  bookedDays: number;
  /** What those bookings cost, positive cents. */
  chargedCents: number;
}

/** A holiday week or a closure, for the banner above the grid. */
export interface PlanningBanner {
  kind: 'vacances' | 'ferie' | 'fermeture';
  /** "Vacances de Noël", "Fermé : grève (Cantine)" */
  text: string;
  from: string;
  to: string;
}

/** "Cantine : réservez avant mercredi 10 h pour vendredi" */
export interface NextDeadline {
  activityId: number;
  activityName: string;
  /** The service day the deadline opens the booking of. */
  date: string;
  /** ISO instant (UTC). */
  deadline: string;
  text: string;
}

export interface BookingHorizonView {
  /** The last bookable day. */
  lastDay: string;
  /** 'school_year' (default: the end of the current school year), 'date' or 'days'. */
  mode: BookingHorizonMode;
  /** "Réservations ouvertes jusqu'au 3 juillet 2027" */
  text: string;
}

export type BookingHorizonMode = 'school_year' | 'date' | 'days';

/** Extra fields of WeekGridResponse. */
export interface WeekGlance {
  weekTotals: WeekWalletTotal[];
  banners: PlanningBanner[];
  nextDeadlines: NextDeadline[];
  horizon: BookingHorizonView;
}

/** Extra, optional fields of WalletBalanceView: the low-balance highlight. */
export interface LowBalanceFields {
  /** The family's alert threshold (the alert mail's). */
  thresholdCents?: number;
  /** Balance strictly under the threshold. */
  low?: boolean;
  /** About how many booked days the balance still pays; null when nothing is booked to compare with. */
  daysCovered?: number | null;
}

// ---------------------------------------------------------------------------------------------
// "Mon mois"

export const monthQuerySchema = z.object({ month: monthSchema.optional() });

export interface MonthBookingLine {
  childId: number;
  childFirstName: string;
  activityId: number;
  activityName: string;
  walletId: number;
  chargedCents: number;
}

export interface MonthDay {
  date: string;
  /** "lundi 2 mars" */
  label: string;
  bookings: MonthBookingLine[];
  totalCents: number;
}

export interface MonthResponse {
  month: string;
  /** "mars 2026" */
  label: string;
  previousMonth: string;
  nextMonth: string;
  /** Only the days with a booking. */
  days: MonthDay[];
  walletTotals: WeekWalletTotal[];
  childTotals: Array<{ childId: number; firstName: string; bookings: number; chargedCents: number }>;
  totalCents: number;
}

// ---------------------------------------------------------------------------------------------
// The alert threshold

export const MAX_ALERT_THRESHOLD_CENTS = 20_000;
const THRESHOLD_MESSAGE = 'Seuil d’alerte : un montant entre 0,00 € et 200,00 € est attendu (par exemple 15,50).';
const THRESHOLD_RULE = { label: 'Seuil d’alerte', min: 0, max: MAX_ALERT_THRESHOLD_CENTS };

/** "15,50" (or "15.50", or the JSON number 15.5, in euros) -> cents, within 0..200 €. */
export const alertThresholdSchema = z.object({
  threshold: z.union([z.string().max(20, { error: THRESHOLD_MESSAGE }), z.number()], { error: THRESHOLD_MESSAGE }).transform((v, ctx) => {
    const parsed = parseEuroCents(typeof v === 'number' ? String(v) : v, THRESHOLD_RULE);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  }),
});

export interface AlertThresholdResponse {
  thresholdCents: number;
}

// ---------------------------------------------------------------------------------------------
// The booking horizon (admin)

export const bookingHorizonSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('school_year') }),
  z.object({ mode: z.literal('date'), date: dateSchema }),
  z.object({
    mode: z.literal('days'),
    days: z.number({ error: 'Horizon : un nombre de jours entre 7 et 730 est attendu.' }).int({ error: 'Horizon : un nombre entier de jours est attendu.' })
      .min(7, { error: 'Horizon : au moins 7 jours.' }).max(730, { error: 'Horizon : au plus 730 jours.' }),
  }),
], { error: 'Horizon de réservation invalide.' });
export type BookingHorizonSetting = z.infer<typeof bookingHorizonSchema>;

export interface BookingHorizonAdminView {
  setting: BookingHorizonSetting;
  horizon: BookingHorizonView;
}
