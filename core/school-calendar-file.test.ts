import { describe, expect, it } from 'vitest';
import { academieOfDepartement } from './academies.js';
import { holidayLabel, parseSchoolCalendarFile, wantedHolidays, zonesOf } from './school-calendar-file.js';
import { sampleCsv, sampleJson, sampleRows } from '../tests/school-calendar-samples.js';
import { ZONE_A_SCHOOL_HOLIDAYS } from './school-holidays.js';

const zoneA2026 = ZONE_A_SCHOOL_HOLIDAYS.filter((h) => h.from >= '2026-09-01').map((h) => ({ label: h.label, dateFrom: h.from, dateTo: h.to }));

describe('the Ministry’s calendar file', () => {
  for (const [shape, text] of [['CSV', sampleCsv(sampleRows())], ['JSON', sampleJson(sampleRows())]] as const) {
    it(`reads its ${shape} export: pupils’ dates of one zone and académie, closures between last class and reprise`, () => {
      const records = parseSchoolCalendarFile(text);
      expect(records).toHaveLength(17);
      expect(records[0]).toMatchObject({ description: 'Vacances de la Toussaint', start: '2026-10-17', end: '2026-11-02', zone: 'Zone A', location: 'Bordeaux', schoolYear: '2026-2027' });
      expect(zonesOf(records)).toEqual([
        { zone: 'Corse', academies: ['Corse'] },
        { zone: 'Zone A', academies: ['Bordeaux', 'Lyon'] },
        { zone: 'Zone B', academies: ['Lille'] },
      ]);
      const wanted = wantedHolidays(records, { zone: 'Zone A', academie: 'Bordeaux', years: ['2026-2027'] });
      // The shipped zone A holidays are what this file says: summer to 1 Sept (pupils, not teachers), the one-day bridge.
      expect(wanted.map(({ label, dateFrom, dateTo }) => ({ label, dateFrom, dateTo }))).toEqual(zoneA2026);
      expect(wantedHolidays(records, { zone: 'Zone B', academie: '', years: ['2026-2027'] }).find((h) => h.label === 'Vacances d\'hiver')).toMatchObject({ dateFrom: '2027-02-21', dateTo: '2027-03-07' });
      expect(wantedHolidays(records, { zone: 'Zone A', academie: 'Bordeaux', years: ['2025-2026'] })).toEqual([]);
    });
  }

  it('asks for the académie when the zone’s académies disagree, and refuses an académie the file lacks', () => {
    const records = parseSchoolCalendarFile(sampleCsv(sampleRows({ 'Vacances de Printemps': ['2027-04-17', '2027-05-03'] })));
    expect(() => wantedHolidays(records, { zone: 'Zone A', academie: '', years: ['2026-2027'] })).toThrow(/choisissez l’académie/);
    expect(wantedHolidays(records, { zone: 'Zone A', academie: 'Lyon', years: ['2026-2027'] }).find((h) => h.label === 'Vacances de printemps')).toMatchObject({ dateFrom: '2027-04-11' });
    expect(() => wantedHolidays(records, { zone: 'Zone A', academie: 'Lille', years: ['2026-2027'] })).toThrow(/ne contient pas l’académie de Lille/);
  });

  it('refuses a file of another shape in French, naming the file field', () => {
    for (const bad of ['', 'nom;prenom\nDUPONT;Jean', '{"a":1}', '[{"x":1}]', '[1,2]', '{ pas du json', 'Description;Date de début;Date de fin;Zones\nToussaint;hier;demain;Zone A']) {
      try {
        parseSchoolCalendarFile(bad);
        expect.unreachable(bad);
      } catch (err) {
        expect((err as Error).message, bad).toMatch(/calendrier scolaire|vide/);
        expect((err as { details?: { field?: string } }).details?.field).toBe('file');
      }
    }
  });

  it('names holidays as the calendar does, and finds the zone of a département', () => {
    expect(holidayLabel("Vacances d'Été")).toBe('Vacances d\'été');
    expect(holidayLabel('Vacances de Printemps')).toBe('Vacances de printemps');
    expect(holidayLabel('Vacances de Carnaval')).toBe('Vacances de Carnaval');
    expect(academieOfDepartement('Dordogne')).toEqual({ name: 'Bordeaux', zone: 'Zone A' });
    expect(academieOfDepartement('Département de la Haute-Garonne')).toEqual({ name: 'Toulouse', zone: 'Zone C' });
    expect(academieOfDepartement('Côte-d\'Or')).toEqual({ name: 'Dijon', zone: 'Zone A' });
    expect(academieOfDepartement('')).toBeNull();
  });
});
