/**
 * Samples of the Ministry's calendar file (fr-en-calendrier-scolaire) in its two export shapes,
 * built from one table, for the tests: several zones, académies and populations. Dates are the
 * published ones (last day of class, day classes resume); the CSV writes them as Paris
 * instants, the JSON as UTC instants, as the two exports do.
 */
export interface SampleRow {
  description: string;
  population: string;
  start: string;
  end: string;
  zone: string;
  location: string;
  year: string;
}

const ZONE_A_2026: Array<[string, string, string, string]> = [
  ['Vacances de la Toussaint', '-', '2026-10-17', '2026-11-02'],
  ['Vacances de Noël', '-', '2026-12-19', '2027-01-04'],
  ["Vacances d'Hiver", '-', '2027-02-13', '2027-03-01'],
  ['Vacances de Printemps', '-', '2027-04-10', '2027-04-26'],
  ["Pont de l'Ascension", '-', '2027-05-07', '2027-05-07'],
  ["Vacances d'Été", 'Élèves', '2027-07-03', '2027-09-02'],
  ["Vacances d'Été", 'Enseignants', '2027-07-03', '2027-08-31'],
];

/** Zone A (Bordeaux and Lyon), zone B (Lille, other winter dates), Corse, for 2026-2027. */
export function sampleRows(overrides: Partial<Record<string, [string, string]>> = {}): SampleRow[] {
  const rows: SampleRow[] = [];
  for (const location of ['Bordeaux', 'Lyon']) {
    for (const [description, population, start, end] of ZONE_A_2026) {
      const o = location === 'Bordeaux' ? overrides[description] : undefined;
      rows.push({ description, population, start: o?.[0] ?? start, end: o?.[1] ?? end, zone: 'Zone A', location, year: '2026-2027' });
    }
  }
  rows.push({ description: 'Vacances de la Toussaint', population: '-', start: '2026-10-17', end: '2026-11-02', zone: 'Zone B', location: 'Lille', year: '2026-2027' });
  rows.push({ description: "Vacances d'Hiver", population: '-', start: '2027-02-20', end: '2027-03-08', zone: 'Zone B', location: 'Lille', year: '2026-2027' });
  rows.push({ description: 'Vacances de la Toussaint', population: '-', start: '2026-10-17', end: '2026-11-02', zone: 'Corse', location: 'Corse', year: '2026-2027' });
  return rows;
}

/** The Paris offset of a day at midnight (+02:00 in summer time, +01:00 in winter). */
function parisOffset(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(d));
  return hour === 14 ? '+02:00' : '+01:00';
}

export function sampleCsv(rows: SampleRow[]): string {
  const q = (s: string) => (/[;"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['Description;Population;Date de début;Date de fin;Zones;annee_scolaire;Académies'];
  for (const r of rows) lines.push([r.description, r.population, `${r.start}T00:00:00${parisOffset(r.start)}`, `${r.end}T00:00:00${parisOffset(r.end)}`, r.zone, r.year, r.location].map(q).join(';'));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function sampleJson(rows: SampleRow[]): string {
  const utc = (day: string) => new Date(`${day}T00:00:00${parisOffset(day)}`).toISOString().replace('.000Z', '+00:00');
  return JSON.stringify(rows.map((r) => ({ description: r.description, population: r.population, start_date: utc(r.start), end_date: utc(r.end), location: r.location, zones: r.zone, annee_scolaire: r.year })));
}
