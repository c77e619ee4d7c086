import { describe, expect, it } from 'vitest';
import { bookingDeadline, cancelDeadline, cellState, checkWalletPolicy, parseWeekdays, workingDaysBefore, type ActivityRule } from './booking-rules.js';
import { buildCalendar, type ClosureRow } from './calendar.js';
import { ZONE_A_SCHOOL_HOLIDAYS } from './school-holidays.js';

const holidays: ClosureRow[] = ZONE_A_SCHOOL_HOLIDAYS.map((h, i) => ({
  id: i + 1, kind: 'vacances', label: h.label, dateFrom: h.from, dateTo: h.to, activityId: null, schoolId: null,
}));
const mairie: ClosureRow = { id: 100, kind: 'mairie', label: 'Fermeture exceptionnelle de la mairie', dateFrom: '2026-03-06', dateTo: '2026-03-06', activityId: null, schoolId: null };
const calendar = buildCalendar('2025-09-01', '2027-08-31', [...holidays, mairie]);

// Cantine: book until D-2 at 10:00, cancel until D-1 at 09:00.
const cantine: ActivityRule = {
  id: 1, name: 'Cantine', weekdays: [1, 2, 4, 5], capacity: 3,
  bookDaysBefore: 2, bookUntilTime: '10:00', cancelDaysBefore: 1, cancelUntilTime: '09:00',
};
// Served every day, deadline the same day at 10:00: the DST change days fall on Sundays.
const sameDay: ActivityRule = {
  id: 2, name: 'Accueil', weekdays: [1, 2, 3, 4, 5, 6, 7], capacity: null,
  bookDaysBefore: 0, bookUntilTime: '10:00', cancelDaysBefore: 0, cancelUntilTime: '10:00',
};

// The autumn change day falls in the Toussaint holidays: the DST cases use a calendar without them.
const noHolidays = buildCalendar('2025-09-01', '2027-08-31', []);
const at = (iso: string): Date => new Date(iso);
const state = (activity: ActivityRule, date: string, now: string, booked = false, bookedCount = 0) =>
  cellState({ activity, date, booked, now: at(now), calendar: activity === sameDay ? noHolidays : calendar, bookedCount });

describe('deadlines', () => {
  it('counts back working days, skipping the weekend', () => {
    // Monday 9 March 2026: D-1 Friday 6 is a mairie closure, so D-1 = Thursday 5, D-2 = Wednesday 4.
    expect(workingDaysBefore('2026-03-09', 2, calendar)).toBe('2026-03-04');
    // Monday 16 March: D-1 Friday 13, D-2 Thursday 12.
    expect(bookingDeadline(cantine, '2026-03-16', calendar).toISOString()).toBe('2026-03-12T09:00:00.000Z');
    expect(cancelDeadline(cantine, '2026-03-16', calendar).toISOString()).toBe('2026-03-13T08:00:00.000Z');
  });

  it('skips a mairie closure', () => {
    // Tuesday 10 March: D-1 Monday 9, D-2 would be Friday 6 (mairie closed) -> Thursday 5.
    expect(bookingDeadline(cantine, '2026-03-10', calendar).toISOString()).toBe('2026-03-05T09:00:00.000Z');
  });

  it('skips public holidays: Ascension, Whit Monday, Easter Monday', () => {
    // Monday 18 May 2026: Friday 15 (school bridge, mairie open) is D-1; Thursday 14 Ascension skipped; D-2 = Wednesday 13.
    expect(bookingDeadline(cantine, '2026-05-18', calendar).toISOString()).toBe('2026-05-13T08:00:00.000Z');
    // Tuesday 26 May 2026: Monday 25 Whit Monday, weekend -> D-1 Friday 22, D-2 Thursday 21.
    expect(bookingDeadline(cantine, '2026-05-26', calendar).toISOString()).toBe('2026-05-21T08:00:00.000Z');
    // Tuesday 7 April 2026 (holidays, but the rule does not care): Monday 6 Easter Monday skipped.
    expect(workingDaysBefore('2026-04-07', 1, calendar)).toBe('2026-04-03');
    // Thursday 12 November 2026: Wednesday 11 Armistice -> D-1 Tuesday 10, D-2 Monday 9.
    expect(workingDaysBefore('2026-11-12', 2, calendar)).toBe('2026-11-09');
  });

  it('uses the offset of the deadline day across the DST change', () => {
    // Tuesday 31 March 2026: cancel D-1 = Monday 30 (summer): 09:00 Paris = 07:00Z.
    expect(cancelDeadline(cantine, '2026-03-31', calendar).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Monday 30 March: book D-2 = Thursday 26 (winter): 10:00 Paris = 09:00Z.
    expect(bookingDeadline(cantine, '2026-03-30', calendar).toISOString()).toBe('2026-03-26T09:00:00.000Z');
    // Monday 26 October 2026: book D-2 = Thursday 22 (summer) -> 08:00Z; cancel D-1 Friday 23 -> 07:00Z.
    expect(bookingDeadline(cantine, '2026-10-26', calendar).toISOString()).toBe('2026-10-22T08:00:00.000Z');
  });
});

describe('the five cell states at the exact minute', () => {
  // Monday 16 March 2026: book until Thursday 12 at 10:00 (09:00Z), cancel until Friday 13 at 09:00 (08:00Z).
  it('open until the minute before the booking deadline, locked from the deadline on', () => {
    expect(state(cantine, '2026-03-16', '2026-03-12T08:59:00Z').state).toBe('open');
    expect(state(cantine, '2026-03-16', '2026-03-12T08:59:59.999Z').state).toBe('open');
    const locked = state(cantine, '2026-03-16', '2026-03-12T09:00:00Z');
    expect(locked.state).toBe('locked');
    expect(locked.reason).toBe('réservation close depuis 10 h');
    // Said as a parent says it, relative to today (issue 9).
    expect(state(cantine, '2026-03-16', '2026-03-13T09:00:00Z').reason).toBe('réservation close depuis hier 10 h');
    expect(state(cantine, '2026-03-16', '2026-03-15T09:00:00Z').reason).toBe('réservation close depuis jeudi 10 h');
    expect(state(cantine, '2026-03-16', '2026-03-25T09:00:00Z').reason).toBe('réservation close depuis le jeudi 12 mars');
    expect(state(cantine, '2026-03-16', '2026-03-12T09:01:00Z').state).toBe('locked');
  });

  it('booked until the minute before the cancel deadline, booked_locked from it on', () => {
    expect(state(cantine, '2026-03-16', '2026-03-13T07:59:00Z', true).state).toBe('booked');
    const locked = state(cantine, '2026-03-16', '2026-03-13T08:00:00Z', true);
    expect(locked.state).toBe('booked_locked');
    expect(locked.reason).toBe('annulation close depuis 9 h');
    expect(state(cantine, '2026-03-16', '2026-03-16T10:00:00Z', true).reason).toBe('annulation close depuis vendredi 9 h');
    // After the booking deadline but before the cancel deadline a booked child may still cancel.
    expect(state(cantine, '2026-03-16', '2026-03-12T12:00:00Z', true).state).toBe('booked');
  });

  it('gives the deadlines with the state', () => {
    const s = state(cantine, '2026-03-16', '2026-03-01T12:00:00Z');
    expect(s.bookDeadline?.toISOString()).toBe('2026-03-12T09:00:00.000Z');
    expect(s.cancelDeadline?.toISOString()).toBe('2026-03-13T08:00:00.000Z');
  });

  it('on the spring DST day a 10:00 deadline is 08:00Z', () => {
    expect(state(sameDay, '2026-03-29', '2026-03-29T07:59:00Z').state).toBe('open');
    expect(state(sameDay, '2026-03-29', '2026-03-29T08:00:00Z').state).toBe('locked');
    expect(state(sameDay, '2026-03-29', '2026-03-29T07:59:00Z', true).state).toBe('booked');
    expect(state(sameDay, '2026-03-29', '2026-03-29T08:00:00Z', true).state).toBe('booked_locked');
    // The day before, still winter: 09:00Z.
    expect(state(sameDay, '2026-03-28', '2026-03-28T08:59:00Z').state).toBe('open');
    expect(state(sameDay, '2026-03-28', '2026-03-28T09:00:00Z').state).toBe('locked');
  });

  it('on the autumn DST day a 10:00 deadline is 09:00Z', () => {
    expect(state(sameDay, '2026-10-25', '2026-10-25T08:59:00Z').state).toBe('open');
    expect(state(sameDay, '2026-10-25', '2026-10-25T09:00:00Z').state).toBe('locked');
    expect(state(sameDay, '2026-10-25', '2026-10-25T08:59:00Z', true).state).toBe('booked');
    expect(state(sameDay, '2026-10-25', '2026-10-25T09:00:00Z', true).state).toBe('booked_locked');
    // The day before, still summer: 08:00Z.
    expect(state(sameDay, '2026-10-24', '2026-10-24T07:59:00Z').state).toBe('open');
    expect(state(sameDay, '2026-10-24', '2026-10-24T08:00:00Z').state).toBe('locked');
  });

  it('is closed on weekdays not served, public holidays, school holidays and closures, booked or not', () => {
    const early = '2025-09-01T08:00:00Z';
    expect(state(cantine, '2026-03-18', early)).toEqual({ state: 'closed', reason: 'pas d\'activité le mercredi' });
    expect(state(cantine, '2026-05-14', early)).toEqual({ state: 'closed', reason: 'Ascension' });
    expect(state(cantine, '2026-05-15', early)).toEqual({ state: 'closed', reason: 'Pont de l\'Ascension' });
    expect(state(cantine, '2026-05-25', early)).toEqual({ state: 'closed', reason: 'Lundi de Pentecôte' });
    expect(state(cantine, '2026-04-06', early)).toEqual({ state: 'closed', reason: 'Lundi de Pâques' });
    expect(state(cantine, '2025-11-11', early)).toEqual({ state: 'closed', reason: 'Armistice 1918' });
    expect(cellState({ activity: sameDay, date: '2026-07-14', booked: false, now: at(early), calendar }).reason).toBe('Fête nationale');
    expect(cellState({ activity: sameDay, date: '2026-10-25', booked: false, now: at(early), calendar }).reason).toBe('Vacances de la Toussaint');
    expect(state(cantine, '2025-10-20', early)).toEqual({ state: 'closed', reason: 'Vacances de la Toussaint' });
    expect(state(cantine, '2026-03-06', early)).toEqual({ state: 'closed', reason: 'fermeture exceptionnelle de la mairie' });
    expect(state(cantine, '2026-03-06', early, true).state).toBe('closed');
    expect(state(cantine, '2025-11-03', '2025-10-01T08:00:00Z').state).toBe('open'); // lessons resume
    expect(cellState({ activity: { ...cantine, active: false }, date: '2026-03-16', booked: false, now: at(early), calendar }).state).toBe('closed');
  });

  it('is locked with "complet" when the capacity is reached, for a child not booked only', () => {
    const now = '2026-03-01T12:00:00Z';
    expect(state(cantine, '2026-03-16', now, false, 2).state).toBe('open');
    expect(state(cantine, '2026-03-16', now, false, 3)).toMatchObject({ state: 'locked', reason: 'complet' });
    expect(state(cantine, '2026-03-16', now, true, 3).state).toBe('booked');
    expect(cellState({ activity: cantine, date: '2026-03-16', booked: false, now: at(now), calendar, bookedCount: 3, capacity: null }).state).toBe('open');
  });
});

describe('wallet policy', () => {
  it('never lets the balance go negative with a zero overdraft', () => {
    expect(checkWalletPolicy(1000, 1000, 0)).toEqual({ ok: true });
    expect(checkWalletPolicy(1000, 1001, 0)).toEqual({ ok: false, missingCents: 1 });
    expect(checkWalletPolicy(0, 350, 0)).toEqual({ ok: false, missingCents: 350 });
  });

  it('lets the balance go down to minus the limit', () => {
    expect(checkWalletPolicy(0, 1000, 1000)).toEqual({ ok: true });
    expect(checkWalletPolicy(0, 1001, 1000)).toEqual({ ok: false, missingCents: 1 });
    expect(checkWalletPolicy(-500, 600, 1000)).toEqual({ ok: false, missingCents: 100 });
  });

  it('always accepts a net credit, even on a balance already below the floor', () => {
    expect(checkWalletPolicy(-5000, -300, 0)).toEqual({ ok: true });
    expect(checkWalletPolicy(-5000, 0, 0)).toEqual({ ok: true });
  });
});

it('parses weekday lists', () => {
  expect(parseWeekdays('1,2,4,5')).toEqual([1, 2, 4, 5]);
  expect(parseWeekdays(' 5, 1,1,9')).toEqual([1, 5]);
  expect(parseWeekdays('')).toEqual([]);
});
