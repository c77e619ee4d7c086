/**
 * The one parser of numbers typed by a person, shared by the console, the portal and the server
 * (pure, no dependencies). French input: "1 250" or "1250" for a count, "12,50" or "12,50 €"
 * for an amount. Anything else is refused with a French message naming the field, so that a
 * typo never turns silently into "not given" or into another number.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The value, or null when the text did not read (for a form that words its own message). */
export const valueOrNull = <T>(parsed: Parsed<T>): T | null => (parsed.ok ? parsed.value : null);

export interface NumberRule {
  /** The field's name as the form shows it, e.g. "Quotient familial". */
  label: string;
  min?: number;
  max?: number;
  /** Empty text is allowed and gives null (e.g. a QF not given). */
  optional?: boolean;
}

// Spaces people (and French number formatting) put between thousands.
const SPACES = /[ \u00a0\u202f]/;
const GROUPED = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;

/** "1 250" -> "1250"; "12 5" (a misplaced space) -> null. */
function digitsOf(text: string): string | null {
  if (/^\d+$/.test(text)) return text;
  if (GROUPED.test(text)) return text.replace(new RegExp(SPACES.source, 'g'), '');
  return null;
}

const frInteger = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(n).replace(/[\u00a0\u202f]/g, ' ');
const frEuros = (cents: number) => `${new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100).replace(/[\u00a0\u202f]/g, ' ')} €`;

const empty = (rule: NumberRule): Parsed<null> =>
  rule.optional ? { ok: true, value: null } : { ok: false, message: `${rule.label} : ce champ est obligatoire.` };

/** Checks an integer already in hand (a JSON number) against the rule. */
export function checkInteger(value: number, rule: NumberRule): Parsed<number> {
  if (!Number.isSafeInteger(value)) return { ok: false, message: `${rule.label} : nombre entier attendu (par exemple 1 250).` };
  if (rule.min != null && value < rule.min) return { ok: false, message: `${rule.label} : ${frInteger(rule.min)} au minimum.` };
  if (rule.max != null && value > rule.max) return { ok: false, message: `${rule.label} : ${frInteger(rule.max)} au maximum.` };
  return { ok: true, value };
}

/** A whole number typed in French: "1 250" or "1250". */
export function parseInteger(text: string, rule: NumberRule & { optional: true }): Parsed<number | null>;
export function parseInteger(text: string, rule: NumberRule): Parsed<number>;
export function parseInteger(text: string, rule: NumberRule): Parsed<number | null> {
  const trimmed = text.trim();
  if (!trimmed) return empty(rule);
  const digits = digitsOf(trimmed);
  if (digits == null) return { ok: false, message: `${rule.label} : nombre entier attendu (par exemple 1 250).` };
  return checkInteger(Number(digits), rule);
}

/** Checks an amount in cents already in hand against the rule (min and max are cents). */
export function checkCents(value: number, rule: NumberRule): Parsed<number> {
  if (!Number.isSafeInteger(value)) return { ok: false, message: `${rule.label} : montant en centimes entiers attendu.` };
  if (rule.min != null && value < rule.min) return { ok: false, message: `${rule.label} : ${frEuros(rule.min)} au minimum.` };
  if (rule.max != null && value > rule.max) return { ok: false, message: `${rule.label} : ${frEuros(rule.max)} au maximum.` };
  return { ok: true, value };
}

/**
 * An amount in euros typed in French -> integer cents: "12,50", "12,5", "12", "1 250,00 €"
 * (a point is accepted for the decimal comma). A minus sign only where `min` is negative.
 */
export function parseEuroCents(text: string, rule: NumberRule & { optional: true }): Parsed<number | null>;
export function parseEuroCents(text: string, rule: NumberRule): Parsed<number>;
export function parseEuroCents(text: string, rule: NumberRule): Parsed<number | null> {
  let rest = text.trim().replace(/\s*€$/, '');
  if (!rest) return empty(rule);
  const negative = /^[-\u2212]/.test(rest);
  if (negative) rest = rest.slice(1).trim();
  const bad: Parsed<number> = { ok: false, message: `${rule.label} : montant en euros attendu (par exemple 12,50).` };
  const match = /^([\d \u00a0\u202f]+)(?:[,.](\d*))?$/.exec(rest);
  if (!match) return bad;
  const whole = digitsOf(match[1]!.trim());
  const frac = match[2] ?? '';
  if (whole == null) return bad;
  if (frac.length > 2) return { ok: false, message: `${rule.label} : deux chiffres après la virgule au plus.` };
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (negative && (rule.min == null || rule.min >= 0)) return { ok: false, message: `${rule.label} : le montant ne peut pas être négatif.` };
  return checkCents(negative ? -cents : cents, rule);
}

/** Cents -> the text an input shows again ("1250" -> "12,50"), without the € sign. */
export function centsToInput(cents: number | null | undefined): string {
  if (cents == null) return '';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
