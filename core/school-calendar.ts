import type { Knex } from 'knex';
import {
  SCHOOL_YEAR_LABEL,
  type SchoolCalendarFields,
  type SchoolCalendarPreview,
  type SchoolCalendarRow,
  type SchoolCalendarSettingsView,
} from '../api/school-calendar.js';
import { ACADEMIES, academieOfDepartement } from './academies.js';
import { audit } from './audit.js';
import { cancelBookingsOfClosure, closureImpact } from './closures.js';
import { getCommune } from './commune.js';
import type { Actor, CoreContext } from './context.js';
import { parisToday } from './dates.js';
import { invalid } from './errors.js';
import { authorizeStaff } from './policy.js';
import { parseSchoolCalendarFile, schoolYearOfDate, wantedHolidays, zonesOf, type CalendarRecord } from './school-calendar-file.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * The official school calendar into the `closures` table (kind 'vacances', for every activity
 * and school). A holiday is matched by its name and school year: same dates = left as is, other
 * dates = changed, absent = added; recorded holidays the file does not name are left alone.
 * The preview and the apply run the same plan, so a re-import changes nothing. Public holidays
 * stay computed (core/calendar.ts).
 */

export const SCHOOL_CALENDAR_KEY = 'school_calendar';

export async function getSchoolCalendarSettings(db: Knex): Promise<SchoolCalendarSettingsView> {
  const academies = ACADEMIES.map((a) => ({ name: a.name, zone: a.zone }));
  const row: { value: string } | undefined = await db('settings').where('key', SCHOOL_CALENDAR_KEY).first('value');
  if (row) {
    try {
      const v = JSON.parse(row.value) as { zone?: unknown; academie?: unknown };
      if (typeof v.zone === 'string') return { zone: v.zone, academie: typeof v.academie === 'string' ? v.academie : '', proposed: false, academies };
    } catch {
      // an unreadable setting falls back to the proposal
    }
  }
  const found = academieOfDepartement((await getCommune(db)).department);
  return { zone: found?.zone ?? '', academie: found?.name ?? '', proposed: true, academies };
}

function yearsAsked(fields: SchoolCalendarFields, records: CalendarRecord[], today: string): string[] {
  const inFile = [...new Set(records.map((r) => r.schoolYear))].sort();
  if (!fields.years) return inFile.filter((y) => y >= schoolYearOfDate(today));
  const asked = fields.years.split(',').map((y) => y.trim()).filter(Boolean);
  for (const y of asked) {
    const m = SCHOOL_YEAR_LABEL.exec(y);
    if (!m || Number(m[2]) !== Number(m[1]) + 1) throw invalid(`Année scolaire invalide : « ${y.slice(0, 20)} » (attendu par exemple 2026-2027).`, { field: 'years' });
  }
  return [...new Set(asked)].sort();
}

interface Plan {
  preview: Omit<SchoolCalendarPreview, 'applied'>;
}

async function plan(trx: Knex, fields: SchoolCalendarFields, content: string, now: Date): Promise<Plan> {
  const records = parseSchoolCalendarFile(content);
  const zones = zonesOf(records);
  if (!fields.zone) throw invalid('Choisissez la zone de la commune.', { field: 'zone' });
  const zone = zones.find((z) => z.zone.toLowerCase() === fields.zone.toLowerCase());
  if (!zone) throw invalid(`Le fichier ne contient pas la zone « ${fields.zone} ». Zones du fichier : ${zones.map((z) => z.zone).join(', ')}.`, { field: 'zone' });
  const years = yearsAsked(fields, records, parisToday(now));
  if (years.length === 0) throw invalid('Le fichier ne contient aucune année scolaire à venir : choisissez les années à importer.', { field: 'years' });
  const wanted = wantedHolidays(records, { zone: zone.zone, academie: fields.academie, years });
  if (wanted.length === 0) throw invalid(`Le fichier ne contient pas de vacances pour la zone ${zone.zone} en ${years.join(', ')}.`, { field: 'years' });

  // Recorded school holidays for every activity and school, matched by name and school year.
  const recorded: Array<{ id: number; label: string; date_from: string; date_to: string }> = await trx('closures')
    .where({ kind: 'vacances' })
    .whereNull('activity_id')
    .whereNull('school_id')
    .orderBy('date_from')
    .select('id', 'label', 'date_from', 'date_to');
  const key = (year: string, label: string) => `${year}|${label.toLowerCase().replace(/’/g, '\'')}`;
  const byKey = new Map<string, (typeof recorded)[number]>();
  for (const r of recorded) {
    const year = schoolYearOfDate(r.date_from);
    if (years.includes(year) && !byKey.has(key(year, r.label))) byKey.set(key(year, r.label), r);
  }
  const rows: SchoolCalendarRow[] = [];
  const matched = new Set<number>();
  for (const w of wanted) {
    const had = byKey.get(key(w.schoolYear, w.label));
    if (had) matched.add(had.id);
    const same = had != null && had.date_from === w.dateFrom && had.date_to === w.dateTo;
    const status = !had ? 'add' : same ? 'same' : 'change';
    let impact: string | null = null;
    if (status !== 'same') {
      const i = await closureImpact(trx, { kind: 'vacances', label: w.label, dateFrom: w.dateFrom, dateTo: w.dateTo, activityId: null, schoolId: null }, now);
      impact = i.bookings > 0 || i.pointedKept > 0 ? i.summary : null;
    }
    rows.push({
      status, schoolYear: w.schoolYear, label: w.label, dateFrom: w.dateFrom, dateTo: w.dateTo,
      previousFrom: status === 'change' ? had!.date_from : null, previousTo: status === 'change' ? had!.date_to : null,
      closureId: had?.id ?? null, impact,
    });
  }
  for (const r of recorded) {
    const year = schoolYearOfDate(r.date_from);
    if (!years.includes(year) || matched.has(r.id)) continue;
    rows.push({ status: 'left', schoolYear: year, label: r.label, dateFrom: r.date_from, dateTo: r.date_to, previousFrom: null, previousTo: null, closureId: r.id, impact: null });
  }
  const counts = { add: 0, change: 0, same: 0, left: 0 };
  for (const r of rows) counts[r.status] += 1;
  const n = (k: number, one: string, many: string) => `${k} ${k > 1 ? many : one}`;
  const summary = counts.add + counts.change === 0
    ? 'Le calendrier enregistré est déjà à jour : rien à changer.'
    : `${n(counts.add, 'période ajoutée', 'périodes ajoutées')}, ${n(counts.change, 'modifiée', 'modifiées')}, ${n(counts.same, 'inchangée', 'inchangées')}.`;
  return {
    preview: {
      zone: zone.zone, academie: fields.academie, years,
      file: { zones, years: [...new Set(records.map((r) => r.schoolYear))].sort(), records: records.length },
      rows, counts, summary,
    },
  };
}

/** What importing the file would do; writes nothing. */
export async function previewSchoolCalendar(ctx: CoreContext, actor: Actor, fields: SchoolCalendarFields, content: string): Promise<SchoolCalendarPreview> {
  authorizeStaff(actor, 'calendar.manage');
  const p = await plan(ctx.db, fields, content, ctx.clock.now());
  return { ...p.preview, applied: false };
}

/**
 * Applies exactly the preview in one transaction: closures added or moved (cancelling and
 * refunding the bookings they now cover, as any closure does), the zone saved, one audit row.
 */
export async function applySchoolCalendar(ctx: CoreContext, actor: Actor, fields: SchoolCalendarFields, content: string): Promise<SchoolCalendarPreview> {
  const admin = authorizeStaff(actor, 'calendar.manage');
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const { preview } = await plan(trx, fields, content, now);
    const at = now.toISOString();
    for (const r of preview.rows) {
      if (r.status !== 'add' && r.status !== 'change') continue;
      const v = { kind: 'vacances' as const, label: r.label, dateFrom: r.dateFrom, dateTo: r.dateTo, activityId: null, schoolId: null };
      let id = r.closureId;
      if (r.status === 'add') {
        const [row] = await trx('closures').insert({ kind: 'vacances', label: r.label, date_from: r.dateFrom, date_to: r.dateTo, created_at: at }).returning('id');
        id = insertedId(row);
      } else await trx('closures').where({ id }).update({ date_from: r.dateFrom, date_to: r.dateTo });
      await cancelBookingsOfClosure(trx, admin, id!, v, now);
    }
    const setting = JSON.stringify({ zone: preview.zone, academie: preview.academie });
    const updated = await trx('settings').where('key', SCHOOL_CALENDAR_KEY).update({ value: setting, updated_at: at });
    if (updated === 0) await trx('settings').insert({ key: SCHOOL_CALENDAR_KEY, value: setting, updated_at: at });
    const changed = preview.rows.filter((r) => r.status === 'add' || r.status === 'change');
    await audit(trx, admin, {
      action: 'calendar.import', entity: 'closure',
      after: { zone: preview.zone, academie: preview.academie, years: preview.years, changes: changed.map((r) => ({ label: r.label, schoolYear: r.schoolYear, dateFrom: r.dateFrom, dateTo: r.dateTo, previousFrom: r.previousFrom, previousTo: r.previousTo })) },
      note: `Calendrier scolaire ${preview.zone}${preview.academie ? ` (${preview.academie})` : ''} ${preview.years.join(', ')} : ${preview.summary}`,
    }, now);
    return { ...preview, applied: true };
  });
}
