import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, mondayOf, monthBounds, toUtcMidnight } from './dates.js';

describe('calendar arithmetic of both clients and the server', () => {
  it('adds days across months, years and the daylight-saving change', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('gives ISO weekdays and the Monday of a week, Sunday belonging to the week before', () => {
    expect(isoWeekday('2026-03-09')).toBe(1);
    expect(isoWeekday('2026-03-15')).toBe(7);
    expect(mondayOf('2026-03-15')).toBe('2026-03-09');
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    expect(mondayOf('2026-01-01')).toBe('2025-12-29');
  });

  it('bounds a month, February of a leap year included', () => {
    expect(monthBounds('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('refuses what is not a day', () => {
    expect(() => toUtcMidnight('09/03/2026')).toThrow(RangeError);
    expect(() => addDays('', 1)).toThrow('Date invalide');
  });
});
