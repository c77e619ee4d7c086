import { ARCHIVE_EXTENSION } from './archive.js';

/**
 * Which archives of the backup folder to keep: the newest per day for 7 days, per ISO week for
 * 5 weeks, per month for 12 months (and always the newest of all). Pure, on file names alone:
 * only names eTicket writes are ever candidates for deletion.
 */

// eticket-<commune-slug>-YYYY-MM-DD-HHmm[-n].etkbackup, the time in Europe/Paris.
const NAME = new RegExp(`^eticket-[a-z0-9]+(?:-[a-z0-9]+)*?-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})(\\d{2})(?:-(\\d{1,3}))?${ARCHIVE_EXTENSION.replace('.', '\\.')}$`);

export interface ArchiveName { name: string; /** Local wall time as a sortable key "YYYY-MM-DD HH:mm n". */ stamp: string; day: string }

export function parseArchiveName(name: string): ArchiveName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, n] = m;
  const month = Number(mo);
  const dayOfMonth = Number(d);
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31 || Number(h) > 23 || Number(mi) > 59) return null;
  return { name, stamp: `${y}-${mo}-${d} ${h}:${mi} ${(n ?? '0').padStart(3, '0')}`, day: `${y}-${mo}-${d}` };
}

function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** ISO-8601 week "YYYY-Www" of a YYYY-MM-DD day, and its index for counting back. */
function isoWeek(day: string): { key: string; index: number } {
  const n = dayNumber(day);
  const weekday = ((n + 3) % 7 + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const thursday = n - weekday + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const firstThursday = dayNumber(`${year}-01-04`) - (((dayNumber(`${year}-01-04`) + 3) % 7 + 7) % 7) + 3;
  const week = 1 + Math.round((thursday - firstThursday) / 7);
  return { key: `${year}-W${String(week).padStart(2, '0')}`, index: Math.floor((n - weekday) / 7) };
}

function monthIndex(day: string): number {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

export const RETENTION = { days: 7, weeks: 5, months: 12 } as const;

/**
 * The names to delete among `names` (others than eTicket's are ignored), given today's local
 * date `today` (YYYY-MM-DD, Europe/Paris).
 */
export function archivesToDelete(names: string[], today: string): string[] {
  const archives = names.map(parseArchiveName).filter((a): a is ArchiveName => a !== null);
  if (archives.length === 0) return [];
  archives.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  const keep = new Set<string>([archives[0]!.name]);
  const todayN = dayNumber(today);
  const thisWeek = isoWeek(today).index;
  const thisMonth = monthIndex(today);
  const newestOf = (bucket: (a: ArchiveName) => string | null) => {
    const seen = new Set<string>();
    for (const a of archives) {
      const key = bucket(a);
      if (key === null || seen.has(key)) continue;
      seen.add(key);
      keep.add(a.name);
    }
  };
  newestOf((a) => {
    const age = todayN - dayNumber(a.day);
    return age >= 0 && age < RETENTION.days ? a.day : null;
  });
  newestOf((a) => {
    const w = isoWeek(a.day);
    const age = thisWeek - w.index;
    return age >= 0 && age < RETENTION.weeks ? w.key : null;
  });
  newestOf((a) => {
    const age = thisMonth - monthIndex(a.day);
    return age >= 0 && age < RETENTION.months ? a.day.slice(0, 7) : null;
  });
  return archives.filter((a) => !keep.has(a.name)).map((a) => a.name);
}
