import { z } from 'zod';
import { dateSchema, idSchema } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';

/**
 * "Commande traiteur" (issue 14): for a range of days, the meals to order per school and day
 * from the bookings, by diet, with the allergy and PAI counts, the adults' meals the kitchen
 * enters, and after the day the actual count from the pointage. Every staff role reaches it,
 * the canteen included; it carries no money figure.
 *
 * GET /api/staff/caterer?from=&to=          -> CatererOrderView
 * GET /api/staff/caterer/pdf?from=&to=      -> PDF (one table per week)
 * GET /api/staff/caterer/order.xlsx?from=&to= -> xlsx
 * PUT /api/staff/caterer/adults {schoolId, date, count} -> AdultMealsView
 */

/** About three months: a term's order at most. */
export const CATERER_MAX_DAYS = 93;
export const ADULT_MEALS_MAX = 500;

const dayNumber = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;

export const catererOrderQuery = z
  .object({ from: dateSchema, to: dateSchema })
  .refine((q) => q.from <= q.to, { error: 'La date de fin doit suivre la date de début.', path: ['to'] })
  .refine((q) => q.from > q.to || dayNumber(q.to) - dayNumber(q.from) + 1 <= CATERER_MAX_DAYS, {
    error: `La période est limitée à ${CATERER_MAX_DAYS} jours (environ trois mois).`,
    path: ['to'],
  });
export type CatererOrderQuery = z.infer<typeof catererOrderQuery>;

export const adultMealsSchema = z.object({
  schoolId: idSchema,
  date: dateSchema,
  count: z
    .number({ error: 'Repas adultes : nombre entier attendu.' })
    .int({ error: 'Repas adultes : nombre entier attendu.' })
    .min(0, { error: 'Repas adultes : au moins 0.' })
    .max(ADULT_MEALS_MAX, { error: `Repas adultes : au plus ${ADULT_MEALS_MAX}.` }),
});
export type AdultMealsInput = z.infer<typeof adultMealsSchema>;

/** Meals of one school on one day (or the totals of a day, a week, the range). */
export interface CatererFigures {
  /** Children booked by diet: standard, sans_porc, vegetarien, sans_gluten (always the four, plus any other). */
  byDiet: Record<string, number>;
  /** Children booked on a meal activity (each once, whatever its number of meal activities). */
  children: number;
  /** Of whom with an allergy noted, and with a PAI. */
  allergies: number;
  pai: number;
  /** Adults' meals entered by the kitchen. */
  adults: number;
  /** children + adults: what the caterer delivers. */
  total: number;
  /** Children ticked present at the pointage; null for a day to come or not pointed yet. */
  actual: number | null;
}

export interface CatererCell extends CatererFigures {
  schoolId: number | null;
}

export interface CatererDay {
  date: string;
  /** Whether the day is past or today, so that a pointage may exist. */
  past: boolean;
  cells: CatererCell[];
  totals: CatererFigures;
}

export interface CatererOrderView {
  from: string;
  to: string;
  today: string;
  diets: Array<{ code: string; label: string }>;
  schools: Array<{ id: number | null; name: string }>;
  days: CatererDay[];
  totals: CatererFigures;
}

export interface AdultMealsView {
  schoolId: number;
  date: string;
  count: number;
}

export const staffCatererRoutes = defineRoutes({
  'staff.catererOrder': { method: 'GET', path: '/api/staff/caterer', access: staff('caterer.order'), query: catererOrderQuery, reply: json<CatererOrderView>() },
  'staff.catererOrderPdf': { method: 'GET', path: '/api/staff/caterer/pdf', access: staff('caterer.order'), query: catererOrderQuery, reply: file },
  'staff.catererOrderXlsx': { method: 'GET', path: '/api/staff/caterer/order.xlsx', access: staff('caterer.order'), query: catererOrderQuery, reply: file },
  'staff.setAdultMeals': {
    method: 'PUT',
    path: '/api/staff/caterer/adults',
    access: staff('caterer.order'),
    body: adultMealsSchema,
    reply: json<AdultMealsView>(),
  },
});
