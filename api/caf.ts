import { z } from 'zod';
import { dateSchema } from './common.js';

/**
 * "Statistiques CAF" (issue 14; régie: admin and secretariat, 403 for restauration): for a
 * period, the hours of attendance actually pointed present, by activity, by age band (moins de
 * 6 ans / 6 ans et plus, age on the day attended) and by quotient-familial band, with the
 * number of distinct children. Hours = days pointed present × the activity's "durée comptée
 * par jour" (a setting of the activity, in minutes).
 *
 * GET /api/staff/caf?from=&to=&qfBounds=600,900,1200        -> CafReport
 * GET /api/staff/caf/statistiques-caf.xlsx?from=&to=&qfBounds= -> the same figures in Excel
 */

/** Upper bounds of the QF bands, inclusive: 0–600, 601–900, 901–1200, 1201 et plus. */
export const DEFAULT_QF_BOUNDS = [600, 900, 1200] as const;
export const CAF_MAX_DAYS = 366;

export const CAF_AGE_BANDS = ['under6', 'over6'] as const;
export type CafAgeBand = (typeof CAF_AGE_BANDS)[number];
export const CAF_AGE_BAND_LABELS: Record<CafAgeBand, string> = { under6: 'Moins de 6 ans', over6: '6 ans et plus' };

/** "600,900,1200" -> [600, 900, 1200]: ascending whole euros, 1 to 8 bounds. */
export const qfBoundsSchema = z
  .string({ error: 'Tranches de QF : liste de nombres attendue.' })
  .trim()
  .max(100, { error: 'Tranches de QF : liste trop longue.' })
  .transform((s, ctx) => {
    const parts = s.split(/[\s,;]+/).filter(Boolean);
    const bounds = parts.map((p) => (/^\d{1,6}$/.test(p) ? Number(p) : Number.NaN));
    if (parts.length === 0 || parts.length > 8 || bounds.some((b) => !Number.isSafeInteger(b) || b < 1 || b > 100_000)) {
      ctx.addIssue({ code: 'custom', message: 'Tranches de QF : 1 à 8 nombres entiers entre 1 et 100 000, séparés par des virgules (ex. 600, 900, 1200).' });
      return z.NEVER;
    }
    if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) {
      ctx.addIssue({ code: 'custom', message: 'Tranches de QF : les bornes doivent être croissantes (ex. 600, 900, 1200).' });
      return z.NEVER;
    }
    return bounds;
  });

export const cafQuery = z
  .object({
    from: dateSchema,
    to: dateSchema,
    qfBounds: qfBoundsSchema.optional(),
  })
  .refine((q) => q.to >= q.from, { error: 'La date de fin doit suivre la date de début.', path: ['to'] })
  .refine((q) => q.to < q.from || Date.parse(q.to) - Date.parse(q.from) < CAF_MAX_DAYS * 86_400_000, {
    error: `Période trop longue : ${CAF_MAX_DAYS} jours au plus (une année).`,
    path: ['to'],
  });
export type CafQuery = z.output<typeof cafQuery>;

export interface CafQfBand {
  /** 'qf-0' … in order, then 'unknown' ("QF inconnu"). */
  key: string;
  label: string;
  min: number | null;
  max: number | null;
}

/** One line: an activity × age band × QF band (lines with no attendance are left out). */
export interface CafLine {
  activityId: number;
  ageBand: CafAgeBand;
  qfBand: string;
  days: number;
  minutes: number;
  children: number;
}

export interface CafActivityTotal {
  activityId: number;
  name: string;
  minutesPerDay: number;
  days: number;
  minutes: number;
  /** Distinct children over the whole activity (a child who turns 6 in the period counts once). */
  children: number;
}

export interface CafReport {
  from: string;
  to: string;
  qfBands: CafQfBand[];
  activities: CafActivityTotal[];
  lines: CafLine[];
  total: { days: number; minutes: number; children: number };
}

/** Minutes as decimal hours with 2 decimals: 135 -> 2.25. */
export const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

/** "1 234,50 h". */
export function formatHoursFr(minutes: number): string {
  return `${hoursOf(minutes).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} h`;
}
