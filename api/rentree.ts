import { z } from 'zod';
import { SCHOOL_LEVELS } from './school-classes.js';

/** The rentrée: school years, each school's classes in order, the "passage en classe supérieure". */

export interface SchoolClassView {
  id: number;
  name: string;
  level: string | null;
  /** Active children whose class_name is this class: a class in use cannot be removed. */
  children: number;
}

export interface SchoolClassesView {
  id: number;
  name: string;
  kind: string;
  /** For a maternelle: the elementary school its GS go to in CP. */
  nextSchoolId: number | null;
  classes: SchoolClassView[];
  /** Class names children have that are not in the list (typed by hand before). */
  unlisted: Array<{ name: string; children: number }>;
}

const className = z
  .string({ error: 'Nom de classe invalide.' })
  .trim()
  .min(1, { error: 'Donnez un nom à chaque classe.' })
  .max(40, { error: 'Nom de classe trop long (40 caractères au plus).' });

/** The school of `PUT /api/staff/rentree/schools/:id/classes`. */
export const schoolParams = z.object({ id: z.coerce.number().int().positive({ error: 'École invalide.' }) });

export const schoolClassesInputSchema = z.strictObject({
  /** The whole list in its order; a class without id is new, a missing id is removed. */
  classes: z
    .array(
      z.strictObject({
        id: z.number().int().positive().nullable().default(null),
        name: className,
        level: z.enum(SCHOOL_LEVELS, { error: 'Niveau inconnu.' }).nullable().default(null),
      }),
      { error: 'Liste de classes invalide.' },
    )
    .max(60, { error: 'Soixante classes au plus par école.' }),
  nextSchoolId: z.number().int().positive().nullable().default(null),
});
export type SchoolClassesInput = z.output<typeof schoolClassesInputSchema>;

export interface SchoolYearView {
  id: number;
  label: string;
  dateFrom: string;
  dateTo: string;
  current: boolean;
  promotedAt: string | null;
}

export interface SchoolYearsView {
  years: SchoolYearView[];
  /** The year a passage would go into by default ("2027-2028"). */
  proposed: string;
}

export const passageOverrideSchema = z.strictObject({
  childId: z.number().int().positive(),
  action: z.enum(['move', 'leave', 'stay'], { error: 'Choix invalide.' }),
  schoolId: z.number().int().positive().nullable().default(null),
  className: z.string().trim().max(40, { error: 'Nom de classe trop long (40 caractères au plus).' }).default(''),
});
export type PassageOverride = z.output<typeof passageOverrideSchema>;

export const passageRequestSchema = z.strictObject({
  year: z.string({ error: 'Choisissez l’année scolaire.' }).regex(/^\d{4}-\d{4}$/, { error: 'Année scolaire invalide (par exemple 2026-2027).' }),
  overrides: z.array(passageOverrideSchema, { error: 'Choix invalides.' }).max(50_000).default([]),
  /** The preview's token: the apply refuses when the children changed since. */
  token: z.string().max(100).default(''),
});
export type PassageRequest = z.output<typeof passageRequestSchema>;

export type PassageAction = 'move' | 'leave' | 'stay';

export interface PassagePlace {
  schoolId: number | null;
  schoolName: string | null;
  className: string;
}

export interface PassageRow {
  childId: number;
  familyId: number;
  familyName: string;
  firstName: string;
  lastName: string;
  from: PassagePlace;
  /** Null when the child leaves the school (CM2). */
  to: PassagePlace | null;
  action: PassageAction;
  /** Why this child needs a look (double level, no class…), or null. */
  flag: string | null;
  /** Classes proposed for a manual choice (the target school's classes). */
  choices: string[];
  overridden: boolean;
}

export interface PassagePreview {
  year: string;
  /** The day subscriptions of the past year end on. */
  previousYearEnd: string;
  rows: PassageRow[];
  counts: {
    move: number; leave: number; stay: number; flagged: number; subscriptions: number;
    /** Bookings of leaving children after the old year's end: cancelled and refunded by the passage. */
    leaverBookings: number; leaverRefundCents: number;
  };
  token: string;
  confirmLabel: string;
  applied: boolean;
}
