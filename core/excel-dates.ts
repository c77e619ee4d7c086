/**
 * Dates and times written into xlsx as real Excel dates (sortable, filterable, usable in
 * formulas), never as text. Excel dates carry no time zone: exceljs writes a Date by its UTC
 * fields, so a day is its UTC midnight and an instant is shifted to the Paris wall clock.
 */

export const EXCEL_DAY = 'dd/mm/yyyy';
export const EXCEL_WEEKDAY = 'ddd dd/mm';
export const EXCEL_TIME = 'hh:mm';
export const EXCEL_DATE_TIME = 'dd/mm/yyyy hh:mm';

/** 'YYYY-MM-DD' -> the Date Excel shows as that day. */
export const excelDay = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

const paris = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO instant -> the Date Excel shows as its Paris date and time. */
export function excelParisTime(iso: string | Date): Date {
  const parts = Object.fromEntries(paris.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}
