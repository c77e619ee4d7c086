import { SCHOOL_YEAR_LABEL } from '../api/school-calendar.js';
import { plainText } from './academies.js';
import { addDays, isValidDate, parisDateOf } from './dates.js';
import { invalid } from './errors.js';

/**
 * Reads the Ministry's "calendrier scolaire" (data.education.gouv.fr, fr-en-calendrier-scolaire)
 * from its CSV export (';' separated: Description;Population;Date de début;Date de fin;Zones;
 * annee_scolaire;Académies, dates as instants like 2025-10-18T00:00:00+02:00) or its JSON export
 * (an array of records description, population, start_date, end_date, zones, annee_scolaire,
 * location; the API wraps it in {results: […]}). Pure: no database.
 *
 * The file repeats each holiday per académie and per population ("-", "Élèves", "Enseignants").
 * Its start date is the last day of class (holidays begin after class) and its end date the day
 * classes resume, so the closure runs from the day after the first to the day before the last.
 * A one-day record (the Pont de l'Ascension) is that day off.
 */

export interface CalendarRecord {
  description: string;
  population: string;
  start: string;
  end: string;
  zone: string;
  location: string;
  schoolYear: string;
}

export interface WantedHoliday {
  schoolYear: string;
  label: string;
  dateFrom: string;
  dateTo: string;
}

const WRONG_SHAPE =
  'Ce fichier n’est pas le calendrier scolaire du ministère (jeu « fr-en-calendrier-scolaire », export CSV ou JSON) : colonnes Description, Date de début, Date de fin et Zones attendues.';
const wrongShape = (detail?: string) => invalid(detail ? `${WRONG_SHAPE} ${detail}` : WRONG_SHAPE, { field: 'file' });

/** Header (label or field name) → our key. */
const HEADERS: Record<string, keyof CalendarRecord | 'ignored'> = {
  description: 'description',
  population: 'population',
  'date de debut': 'start',
  'start date': 'start',
  'date de fin': 'end',
  'end date': 'end',
  zones: 'zone',
  zone: 'zone',
  'annee scolaire': 'schoolYear',
  academies: 'location',
  academie: 'location',
  location: 'location',
};

/** A day from "2025-10-18T00:00:00+02:00" (its Paris day), "2025-10-18" or "18/10/2025". */
function dayOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isValidDate(s) ? s : null;
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (fr) {
    const d = `${fr[3]}-${fr[2]}-${fr[1]}`;
    return isValidDate(d) ? d : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return null;
  const instant = new Date(s);
  return Number.isNaN(instant.getTime()) ? null : parisDateOf(instant);
}

/** The school year a day belongs to: from August on, the year that starts then. */
export function schoolYearOfDate(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 8 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** Splits CSV text (quotes doubled inside quoted fields), with the separator given. */
function csvRows(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

function recordOf(raw: Partial<Record<keyof CalendarRecord, unknown>>, line: number): CalendarRecord {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
  const start = dayOf(raw.start);
  const end = dayOf(raw.end);
  const where = `(ligne ${line})`;
  if (!start || !end) throw wrongShape(`Date illisible ${where}.`);
  if (end < start) throw wrongShape(`La date de fin précède la date de début ${where}.`);
  const description = text(raw.description);
  const zone = text(raw.zone);
  if (!description || !zone) throw wrongShape(`Description ou zone vide ${where}.`);
  const year = text(raw.schoolYear);
  return {
    description: description.slice(0, 120),
    population: text(raw.population),
    start,
    end,
    zone,
    location: text(raw.location),
    schoolYear: SCHOOL_YEAR_LABEL.test(year) ? year : schoolYearOfDate(start),
  };
}

function parseCsv(text: string): CalendarRecord[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const [header, ...rows] = csvRows(text, sep);
  if (!header) throw wrongShape();
  const keys = header.map((h) => HEADERS[plainText(h)] ?? 'ignored');
  for (const needed of ['description', 'start', 'end', 'zone'] as const) if (!keys.includes(needed)) throw wrongShape();
  return rows.map((cells, i) => {
    const raw: Partial<Record<keyof CalendarRecord, unknown>> = {};
    keys.forEach((k, j) => {
      if (k !== 'ignored' && raw[k] === undefined) raw[k] = cells[j];
    });
    return recordOf(raw, i + 2);
  });
}

function parseJson(text: string): CalendarRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw wrongShape('Le JSON est illisible.');
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { results?: unknown }).results) ? (data as { results: unknown[] }).results : null;
  if (!list) throw wrongShape();
  return list.map((item, i) => {
    if (!item || typeof item !== 'object') throw wrongShape(`(enregistrement ${i + 1})`);
    // The older ODS export nests the record under "fields".
    const r = ('fields' in item && item.fields && typeof item.fields === 'object' ? item.fields : item) as Record<string, unknown>;
    if (!('start_date' in r) || !('description' in r) || !('zones' in r)) throw wrongShape(`(enregistrement ${i + 1})`);
    return recordOf({ description: r.description, population: r.population, start: r.start_date, end: r.end_date, zone: r.zones, location: r.location, schoolYear: r.annee_scolaire }, i + 1);
  });
}

/** The file's records; a file of another shape is refused in French. */
export function parseSchoolCalendarFile(content: string): CalendarRecord[] {
  const text = content.replace(/^\uFEFF/, '').trim();
  if (!text) throw invalid('Le fichier est vide.', { field: 'file' });
  const records = text.startsWith('[') || text.startsWith('{') ? parseJson(text) : parseCsv(text);
  if (records.length === 0) throw wrongShape('Aucune ligne.');
  return records;
}

/** The app's own names for the usual holidays, so that a re-import matches what is recorded. */
export function holidayLabel(description: string): string {
  const d = plainText(description);
  if (/toussaint/.test(d)) return 'Vacances de la Toussaint';
  if (/noel/.test(d)) return 'Vacances de Noël';
  if (/hiver/.test(d)) return 'Vacances d\'hiver';
  if (/printemps/.test(d)) return 'Vacances de printemps';
  if (/\bete\b/.test(d)) return 'Vacances d\'été';
  if (/ascension/.test(d)) return 'Pont de l\'Ascension';
  return description.trim();
}

/** The zones the file holds with their académies, for the screen's choices. */
export function zonesOf(records: CalendarRecord[]): Array<{ zone: string; academies: string[] }> {
  const byZone = new Map<string, Set<string>>();
  for (const r of records) {
    const set = byZone.get(r.zone) ?? new Set<string>();
    if (r.location) set.add(r.location);
    byZone.set(r.zone, set);
  }
  return [...byZone.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'fr'))
    .map(([zone, set]) => ({ zone, academies: [...set].sort((a, b) => a.localeCompare(b, 'fr')) }));
}

/**
 * The pupils' holidays of one zone (and académie when the file names them) for the school years
 * asked, one per holiday and year. Teachers' rows are left out; a pupils' row wins over a "-" one.
 */
export function wantedHolidays(records: CalendarRecord[], input: { zone: string; academie: string; years: readonly string[] }): WantedHoliday[] {
  const zone = plainText(input.zone);
  const academie = plainText(input.academie);
  const inZone = records.filter((r) => plainText(r.zone) === zone && input.years.includes(r.schoolYear) && !/enseignant/.test(plainText(r.population)));
  const hasLocations = inZone.some((r) => r.location);
  const mine = academie && hasLocations ? inZone.filter((r) => plainText(r.location) === academie) : inZone;
  if (academie && hasLocations && mine.length === 0) throw invalid(`Le fichier ne contient pas l’académie de ${input.academie} dans la zone ${input.zone} pour ces années.`, { field: 'academie' });
  const chosen = new Map<string, { rec: CalendarRecord; pupils: boolean }>();
  for (const rec of mine) {
    const key = `${rec.schoolYear}|${holidayLabel(rec.description)}`;
    const pupils = /eleve/.test(plainText(rec.population));
    const had = chosen.get(key);
    if (had && (had.rec.start !== rec.start || had.rec.end !== rec.end) && had.pupils === pupils && !academie) {
      throw invalid(`Les académies de la zone ${input.zone} n’ont pas toutes les mêmes dates (${holidayLabel(rec.description)} ${rec.schoolYear}) : choisissez l’académie.`, { field: 'academie' });
    }
    if (!had || (pupils && !had.pupils)) chosen.set(key, { rec, pupils });
  }
  const out: WantedHoliday[] = [];
  for (const [key, { rec }] of chosen) {
    const label = key.slice(key.indexOf('|') + 1);
    let dateFrom = addDays(rec.start, 1);
    let dateTo = addDays(rec.end, -1);
    if (dateFrom > dateTo) {
      if (rec.start !== rec.end) continue; // nothing closed between the last class and the reprise
      dateFrom = rec.start;
      dateTo = rec.end;
    }
    out.push({ schoolYear: rec.schoolYear, label, dateFrom, dateTo });
  }
  return out.sort((a, b) => (a.dateFrom < b.dateFrom ? -1 : a.dateFrom > b.dateFrom ? 1 : 0));
}
