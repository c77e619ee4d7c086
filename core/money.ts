import { formatEuros } from '../api/format.js';

/** Money is integer cents everywhere; these are the only places it becomes text. */

/** 1250 -> "12,50 €" (with the narrow no-break spaces of the French locale), the clients' formatter. */
export function formatCents(cents: number): string {
  assertCents(cents);
  return formatEuros(cents);
}

/** Same as formatCents but with plain spaces, for fonts and mail clients that lack U+202F. */
export function formatCentsPlain(cents: number): string {
  return formatCents(cents).replace(/[\u202f\u00a0]/g, ' ');
}

export function assertCents(value: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`Montant non entier en centimes : ${value}`);
}

/** Parses "12,50", "12.5", "12 €" typed by a person into cents; null when it is not an amount. */
export function parseEurosToCents(text: string): number | null {
  const cleaned = text.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ''] = cleaned.replace('-', '').split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return cleaned.startsWith('-') ? -cents : cents;
}
