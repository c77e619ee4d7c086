import { describe, expect, it } from 'vitest';
import { archivesToDelete, parseArchiveName } from './retention.js';

const name = (day: string, hm = '0200', n = '') => `eticket-port-sainte-foy-${day}-${hm}${n}.etkbackup`;

function everyDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T12:00:00Z`); t <= Date.parse(`${to}T12:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

describe('backup retention 7 daily, 5 weekly, 12 monthly', () => {
  it('reads only eTicket names', () => {
    expect(parseArchiveName(name('2026-12-02'))?.day).toBe('2026-12-02');
    expect(parseArchiveName('eticket-x-2026-12-02-0200-2.etkbackup')?.stamp).toBe('2026-12-02 02:00 002');
    for (const other of ['notes.txt', 'eticket-x-2026-13-02-0200.etkbackup', 'eticket-2026-12-02-0200.etkbackup', 'copie eticket-x-2026-12-02-0200.etkbackup', '.eticket-x-2026-12-02-0200.etkbackup.ab12.partial']) {
      expect(parseArchiveName(other)).toBeNull();
    }
  });

  it('keeps a year of nightly backups down to 7 + 5 + 12 at most, the right ones', () => {
    const days = everyDay('2025-11-01', '2026-12-02'); // Wednesday 2 December 2026
    const names = days.map((d) => name(d));
    const deleted = new Set(archivesToDelete([...names, 'notes.txt', 'autre.etkbackup'], '2026-12-02'));
    const kept = names.filter((n) => !deleted.has(n)).map((n) => parseArchiveName(n)!.day);
    // Daily: 26 Nov … 2 Dec.
    for (const d of everyDay('2026-11-26', '2026-12-02')) expect(kept).toContain(d);
    expect(kept).not.toContain('2026-11-25');
    // Weekly (ISO weeks end on Sunday): the newest of each of the 5 weeks, this one included.
    // This week (30 Nov – 6 Dec) and the one before are covered by the daily keeps.
    for (const sunday of ['2026-11-22', '2026-11-15', '2026-11-08']) expect(kept).toContain(sunday);
    expect(kept).not.toContain('2026-11-01');
    expect(kept).not.toContain('2026-11-07');
    // Monthly: the last day of each of the 11 previous months, from January 2026.
    for (const d of ['2026-10-31', '2026-09-30', '2026-02-28', '2026-01-31']) expect(kept).toContain(d);
    expect(kept).not.toContain('2025-12-31');
    expect(kept).not.toContain('2025-11-30');
    expect(kept.length).toBeLessThanOrEqual(7 + 5 + 12);
    // 7 days, 3 more weeks, 10 more months (January to October; November and December are in the days).
    expect(kept.length).toBe(7 + 3 + 10);
    expect(deleted.has('notes.txt')).toBe(false);
    expect(deleted.has('autre.etkbackup')).toBe(false);
  });

  it('keeps the newest of a day with several backups, and never deletes the only one', () => {
    const names = [name('2026-12-02', '0200'), name('2026-12-02', '1035'), name('2026-12-02', '1035', '-2')];
    expect(archivesToDelete(names, '2026-12-02').sort()).toEqual([name('2026-12-02', '0200'), name('2026-12-02', '1035')]);
    expect(archivesToDelete([name('2024-01-01')], '2026-12-02')).toEqual([]);
    expect(archivesToDelete([], '2026-12-02')).toEqual([]);
  });

  it('counts ISO weeks across the new year', () => {
    // Thursday 31 Dec 2026 and Friday 1 Jan 2027 share ISO week 2026-W53.
    const names = [name('2026-12-31'), name('2027-01-01')];
    const deleted = archivesToDelete([...names, name('2026-11-01')], '2027-02-20');
    expect(deleted).not.toContain(name('2027-01-01'));
  });
});
