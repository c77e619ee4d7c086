import { z } from 'zod';

/**
 * The Ministry's "calendrier scolaire" import (dataset fr-en-calendrier-scolaire, its CSV or
 * JSON export): the commune's zone and académie, and the preview of the "vacances" closures the
 * file adds, changes or leaves for the chosen school years.
 */

export const SCHOOL_YEAR_LABEL = /^(\d{4})-(\d{4})$/;

/** The whole national file is about 1 MB in CSV; 8 MB leaves room for the JSON export. */
export const MAX_CALENDAR_BYTES = 8 * 1024 * 1024;
export const CALENDAR_TOO_LARGE_MESSAGE = 'Ce fichier dépasse 8 Mo : ce n’est pas le calendrier scolaire du ministère.';

/** The multipart fields sent with the file (the file itself is the `file` part). */
export const schoolCalendarFieldsSchema = z.strictObject({
  zone: z.string({ error: 'Choisissez la zone.' }).trim().max(60, { error: 'Zone invalide.' }).default(''),
  academie: z.string().trim().max(60, { error: 'Académie invalide.' }).default(''),
  /** Comma-separated school years ("2025-2026,2026-2027"); empty = this one and the next ones. */
  years: z.string().trim().max(200, { error: 'Années scolaires invalides.' }).default(''),
});
export type SchoolCalendarFields = z.output<typeof schoolCalendarFieldsSchema>;

export interface SchoolCalendarSettingsView {
  zone: string;
  academie: string;
  /** True when nothing was saved yet and the zone comes from the commune's département. */
  proposed: boolean;
  /** Every académie with its zone, for the screen's lists. */
  academies: Array<{ name: string; zone: string }>;
}

export type SchoolCalendarRowStatus = 'add' | 'change' | 'same' | 'left';

export interface SchoolCalendarRow {
  status: SchoolCalendarRowStatus;
  schoolYear: string;
  label: string;
  dateFrom: string;
  dateTo: string;
  /** The recorded dates a 'change' replaces. */
  previousFrom: string | null;
  previousTo: string | null;
  closureId: number | null;
  /** What the closure does to bookings already made ("2 réservations seront annulées…"), or null. */
  impact: string | null;
}

export interface SchoolCalendarPreview {
  zone: string;
  academie: string;
  years: string[];
  /** What the file holds, for the screen's choices. */
  file: { zones: Array<{ zone: string; academies: string[] }>; years: string[]; records: number };
  rows: SchoolCalendarRow[];
  counts: Record<SchoolCalendarRowStatus, number>;
  summary: string;
  applied: boolean;
}
