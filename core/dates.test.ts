import { describe, expect, it } from 'vitest';
import {
  addDays, daysBetween, eachDate, formatDateFr, formatDateLongFr, formatInstantFr, isoWeekday, isValidDate, mondayOf,
  parisDateOf, parisInstant, parisTimeOf, parisToday, parisYearOf,
} from './dates.js';

describe('Paris dates', () => {
  it('places 10:00 Paris at 09:00Z in winter and 08:00Z in summer, including the change days', () => {
    expect(parisInstant('2026-03-28', '10:00').toISOString()).toBe('2026-03-28T09:00:00.000Z');
    expect(parisInstant('2026-03-29', '10:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(parisInstant('2026-10-24', '10:00').toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect(parisInstant('2026-10-25', '10:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
    expect(parisInstant('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(parisInstant('2026-03-29', '03:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads the Paris day and time of an instant across midnight', () => {
    expect(parisDateOf(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(parisDateOf(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(parisDateOf(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    expect(parisToday(new Date('2025-12-31T23:00:00Z'))).toBe('2026-01-01');
    expect(parisYearOf(new Date('2025-12-31T23:00:00Z'))).toBe(2026);
    expect(parisTimeOf(new Date('2026-03-29T08:00:00Z'))).toBe('10:00');
    expect(parisTimeOf(new Date('2026-10-25T09:00:00Z'))).toBe('10:00');
  });

  it('does day arithmetic on calendar days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(isoWeekday('2026-05-25')).toBe(1);
    expect(isoWeekday('2026-05-24')).toBe(7);
    expect(mondayOf('2026-05-24')).toBe('2026-05-18');
    expect(mondayOf('2026-05-18')).toBe('2026-05-18');
    expect(eachDate('2026-03-28', '2026-03-31')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    expect(eachDate('2026-03-02', '2026-03-01')).toEqual([]);
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
  });

  it('validates dates strictly', () => {
    expect(isValidDate('2026-02-28')).toBe(true);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-2-3')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate(20260101)).toBe(false);
  });

  it('formats in French', () => {
    expect(formatDateFr('2016-05-23')).toBe('lundi 23/05');
    expect(formatDateLongFr('2026-11-11')).toBe('mercredi 11 novembre 2026');
    expect(formatInstantFr(new Date('2025-11-12T09:00:00Z'))).toBe('mercredi 12/11 à 10:00');
  });
});
