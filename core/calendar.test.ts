import { afterEach, describe, expect, it } from 'vitest';
import { buildCalendar, easterSunday, frenchPublicHolidays, loadCalendar, publicHolidayOn } from './calendar.js';
import { ZONE_A_SCHOOL_HOLIDAYS } from './school-holidays.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb | undefined;
afterEach(async () => {
  await t?.db.destroy();
  t = undefined;
});

describe('public holidays', () => {
  it('computes Easter (Meeus/Butcher) for known years', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('lists the eleven French public holidays of 2026 with the movable ones', () => {
    const list = frenchPublicHolidays(2026);
    expect(list).toHaveLength(11);
    expect(list).toContainEqual({ date: '2026-04-06', label: 'Lundi de Pâques' });
    expect(list).toContainEqual({ date: '2026-05-14', label: 'Ascension' });
    expect(list).toContainEqual({ date: '2026-05-25', label: 'Lundi de Pentecôte' });
    expect(list).toContainEqual({ date: '2026-07-14', label: 'Fête nationale' });
    expect(list).toContainEqual({ date: '2026-11-11', label: 'Armistice 1918' });
    expect(list.map((h) => h.date)).toEqual([...list.map((h) => h.date)].sort());
    expect(publicHolidayOn('2027-05-06')).toBe('Ascension');
    expect(publicHolidayOn('2026-05-13')).toBeNull();
  });
});

describe('zone A school holidays', () => {
  it('stores holidays as closed days between "fin des cours" and "reprise"', () => {
    const toussaint = ZONE_A_SCHOOL_HOLIDAYS[0]!;
    expect(toussaint).toEqual({ label: 'Vacances de la Toussaint', from: '2025-10-19', to: '2025-11-02' });
    const ascension = ZONE_A_SCHOOL_HOLIDAYS.find((h) => h.label === 'Pont de l\'Ascension');
    expect(ascension).toEqual({ label: 'Pont de l\'Ascension', from: '2026-05-15', to: '2026-05-16' });
    for (const h of ZONE_A_SCHOOL_HOLIDAYS) expect(h.from <= h.to).toBe(true);
    expect(ZONE_A_SCHOOL_HOLIDAYS.map((h) => h.label)).toContain('Vacances d\'été');
  });

  it('closes the holidays but not the day class ends nor the day it resumes', async () => {
    t = await createTestDb();
    const cal = await loadCalendar(t.db, '2025-10-01', '2026-12-31');
    expect(cal.closureFor('2025-10-17')).toBeNull(); // Friday before Toussaint
    expect(cal.closureFor('2025-10-20')).toEqual({ kind: 'vacances', label: 'Vacances de la Toussaint' });
    expect(cal.closureFor('2025-11-03')).toBeNull(); // lessons resume
    expect(cal.closureFor('2026-02-23')).toBeNull();
    expect(cal.closureFor('2026-02-20')?.label).toBe('Vacances d\'hiver');
    expect(cal.closureFor('2026-04-06')).toEqual({ kind: 'ferie', label: 'Lundi de Pâques' }); // a holiday within the holidays
    expect(cal.closureFor('2026-05-15')?.label).toBe('Pont de l\'Ascension');
    expect(cal.closureFor('2026-07-03')).toBeNull();
    expect(cal.closureFor('2026-07-06')?.label).toBe('Vacances d\'été');
    expect(cal.closureFor('2026-09-01')).toBeNull();
    expect(cal.closureFor('2026-11-02')).toBeNull();
    expect(cal.closureFor('2026-12-21')?.label).toBe('Vacances de Noël');
  });

  it('follows the published 2026-2027 calendar: Ascension bridge on 7 May, rentrée on Thursday 2 September 2027', async () => {
    t = await createTestDb();
    const cal = await loadCalendar(t.db, '2027-04-01', '2027-09-30');
    expect(cal.closureFor('2027-05-06')).toEqual({ kind: 'ferie', label: 'Ascension' });
    expect(cal.closureFor('2027-05-07')?.label).toBe('Pont de l\'Ascension');
    expect(cal.closureFor('2027-05-10')).toBeNull();
    expect(cal.closureFor('2027-09-01')?.label).toBe('Vacances d\'été'); // Wednesday, not a school day
    expect(cal.closureFor('2027-09-02')).toBeNull(); // rentrée
  });
});

describe('calendar', () => {
  const rows = [
    { id: 1, kind: 'mairie', label: 'Fermeture de la mairie', dateFrom: '2026-03-06', dateTo: '2026-03-06', activityId: null, schoolId: null },
    { id: 2, kind: 'fermeture', label: 'Sortie scolaire', dateFrom: '2026-03-10', dateTo: '2026-03-10', activityId: 7, schoolId: null },
    { id: 3, kind: 'fermeture', label: 'Grève du personnel (maternelle)', dateFrom: '2026-03-12', dateTo: '2026-03-12', activityId: null, schoolId: 2 },
  ];
  const cal = buildCalendar('2026-03-01', '2026-03-31', rows);

  it('applies closures by activity and by school', () => {
    expect(cal.closureFor('2026-03-06', 1, 1)).toEqual({ kind: 'mairie', label: 'Fermeture de la mairie' });
    expect(cal.closureFor('2026-03-10', 7, 1)?.label).toBe('Sortie scolaire');
    expect(cal.closureFor('2026-03-10', 8, 1)).toBeNull();
    expect(cal.closureFor('2026-03-12', 1, 2)?.label).toBe('Grève du personnel (maternelle)');
    expect(cal.closureFor('2026-03-12', 1, 1)).toBeNull();
    expect(cal.closureFor('2026-03-12', 1, null)).toBeNull();
  });

  it('counts as working days neither weekends, nor public holidays, nor mairie closures', () => {
    expect(cal.isWorkingDay('2026-03-05')).toBe(true);
    expect(cal.isWorkingDay('2026-03-06')).toBe(false); // mairie closed
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(cal.isWorkingDay('2026-03-10')).toBe(true); // an activity closure is not a mairie closure
    expect(cal.isWorkingDay('2026-05-14')).toBe(false); // Ascension
    expect(cal.isWorkingDay('2026-05-15')).toBe(true); // school bridge, but the mairie works
  });

  it('loads in one query the closures touching the range, with a margin for deadlines', async () => {
    t = await createTestDb({ withHolidays: false });
    const at = new Date().toISOString();
    await t.db('closures').insert([
      { kind: 'mairie', label: 'Pont', date_from: '2026-02-20', date_to: '2026-02-20', created_at: at },
      { kind: 'mairie', label: 'Très ancien', date_from: '2025-01-01', date_to: '2025-01-02', created_at: at },
      { kind: 'mairie', label: 'Après', date_from: '2026-04-01', date_to: '2026-04-01', created_at: at },
    ]);
    let queries = 0;
    t.db.on('query', () => queries++);
    const cal = await loadCalendar(t.db, '2026-03-02', '2026-03-08');
    expect(queries).toBe(1);
    expect(cal.closures.map((c) => c.label)).toEqual(['Pont']);
    expect(cal.isWorkingDay('2026-02-20')).toBe(false);
  });
});
