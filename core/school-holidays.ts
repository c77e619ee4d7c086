/**
 * Zone A school holidays (académie de Bordeaux, the demo commune's zone), school years
 * 2025-2026 and 2026-2027, as closed-day ranges with both bounds inclusive.
 *
 * The official calendar gives "fin des cours" (holidays start after class on that day) and
 * "reprise des cours" (lessons resume that morning). Neither published day is a holiday, so
 * each range here runs from the day after the first date to the day before the last one:
 * Toussaint "18 Oct – 3 Nov 2025" is closed 19 Oct – 2 Nov; Friday 17 Oct and Monday 3 Nov
 * are school days.
 *
 * The demo seed copies these rows into the `closures` table (kind 'vacances'), where staff
 * can correct them; nothing reads this constant at run time.
 * - Summer ends the day before the rentrée: Tuesday 1 Sept 2026, and Thursday 2 Sept 2027 as
 *   published (Wednesday 1 Sept 2027 is not a school day).
 * - Winter and spring 2027 follow the zones' rotation (zone A: 13 Feb – 1 Mar, 10 – 26 Apr
 *   2027).
 * - Pont de l'Ascension 2027: no class on Friday 7 May (Thursday 6 is Ascension, Saturday 8 is
 *   the 8 mai holiday).
 */
export const ZONE_A_SCHOOL_HOLIDAYS: ReadonlyArray<{ label: string; from: string; to: string }> = [
  // 2025-2026
  { label: 'Vacances de la Toussaint', from: '2025-10-19', to: '2025-11-02' },
  { label: 'Vacances de Noël', from: '2025-12-21', to: '2026-01-04' },
  { label: 'Vacances d\'hiver', from: '2026-02-08', to: '2026-02-22' },
  { label: 'Vacances de printemps', from: '2026-04-05', to: '2026-04-19' },
  // No class on Friday 15 and Saturday 16 May 2026 (Thursday 14 is Ascension, a public holiday).
  { label: 'Pont de l\'Ascension', from: '2026-05-15', to: '2026-05-16' },
  { label: 'Vacances d\'été', from: '2026-07-05', to: '2026-08-31' },
  // 2026-2027
  { label: 'Vacances de la Toussaint', from: '2026-10-18', to: '2026-11-01' },
  { label: 'Vacances de Noël', from: '2026-12-20', to: '2027-01-03' },
  { label: 'Vacances d\'hiver', from: '2027-02-14', to: '2027-02-28' },
  { label: 'Vacances de printemps', from: '2027-04-11', to: '2027-04-25' },
  { label: 'Pont de l\'Ascension', from: '2027-05-07', to: '2027-05-07' },
  { label: 'Vacances d\'été', from: '2027-07-04', to: '2027-09-01' },
];
