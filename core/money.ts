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
