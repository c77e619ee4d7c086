import { DIETS, RELATIONSHIPS, type Diet, type Relationship } from '../../api/rules.js';
import { isValidDate } from '../dates.js';
import { normaliseText } from '../family-search.js';
import type { Cell } from './read.js';

/**
 * One cell of an import file read as what the column means: a date ("12/09/2016",
 * "2016-09-12", an Excel serial or an Excel date), an amount ("12,50", "12.50", "-3,20 €"),
 * a flag (Oui/Non/X/1/0), a diet or a relationship in the guide's words. Each returns null when
 * the cell cannot be read, so the caller names the line and the column.
 */

/** The cell as the person typed it, for messages and text fields. */
export function text(cell: Cell): string {
  if (cell == null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'boolean') return cell ? 'Oui' : 'Non';
  return String(cell).trim();
}

export const isBlank = (cell: Cell): boolean => text(cell) === '';

// The same few words ("Oui", "Mère", "Sans porc") repeat on every row: normalised once each.
const normalised = new Map<string, string>();
function norm(s: string): string {
  let n = normalised.get(s);
  if (n === undefined) {
    n = normaliseText(s);
    if (normalised.size < 5000) normalised.set(s, n);
  }
  return n;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included). */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' or null. */
export function parseDate(cell: Cell): string | null {
  if (cell == null) return null;
  // exceljs gives a date cell as its UTC midnight (core/excel-dates.ts writes it so).
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return excelSerialToDate(cell);
  const s = String(cell).trim();
  let iso: string | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) iso = `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
  m ??= /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (!iso && m) iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  if (!iso && /^\d{4,5}$/.test(s)) return excelSerialToDate(Number(s));
  return iso && isValidDate(iso) ? iso : null;
}

/** Integer cents or null: "12,50", "12.5", "-3,20 €", "1 234,56", a number cell (euros). */
export function parseAmount(cell: Cell): number | null {
  if (cell == null) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) && Math.abs(cell) < 1e7 ? Math.round(cell * 100) : null;
  const cleaned = String(cell).replace(/[\s\u202f\u00a0€]/g, '').replace(/^\+/, '');
  let m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(cleaned);
  // "1.234,56" (thousands with a dot) and "1,234.56"
  m ??= /^(-?)(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(cleaned) ?? /^(-?)(\d{1,3}(?:,\d{3})+)\.(\d{1,2})$/.exec(cleaned);
  if (!m) return null;
  const whole = Number(m[2]!.replace(/[.,]/g, ''));
  if (whole >= 1e7) return null;
  const cents = whole * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

const TRUE_WORDS = new Set(['oui', 'o', 'x', '1', 'vrai', 'yes', 'y', 'true']);
const FALSE_WORDS = new Set(['non', 'n', '0', 'faux', 'no', 'false', '-']);

/** true, false, or null when the word is not a yes or a no; an empty cell is "no". */
export function parseFlag(cell: Cell): boolean | null {
  if (typeof cell === 'boolean') return cell;
  const s = norm(text(cell));
  if (s === '' || FALSE_WORDS.has(s)) return false;
  if (TRUE_WORDS.has(s)) return true;
  return null;
}

/** Whole euros (a QF of "850" or "850,00"); null when not a number. */
export function parseQf(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) && cell >= 0 && cell <= 100_000 ? Math.round(cell) : null;
  const s = text(cell).replace(/[\s\u202f\u00a0€]/g, '');
  if (!/^\d+([.,]\d+)?$/.test(s)) return null;
  const n = Math.round(Number(s.replace(',', '.')));
  return n <= 100_000 ? n : null;
}

const DIET_WORDS: Record<string, Diet> = {
  '': 'standard',
  standard: 'standard',
  normal: 'standard',
  'repas standard': 'standard',
  aucun: 'standard',
  'sans porc': 'sans_porc',
  sans_porc: 'sans_porc',
  vegetarien: 'vegetarien',
  vegetarienne: 'vegetarien',
  'sans viande': 'vegetarien',
  'sans gluten': 'sans_gluten',
  sans_gluten: 'sans_gluten',
};

export function parseDiet(cell: Cell): Diet | null {
  const s = norm(text(cell)).replace(/-/g, ' ');
  const d = DIET_WORDS[s] ?? DIET_WORDS[s.replace(/ /g, '_')];
  return d && (DIETS as readonly string[]).includes(d) ? d : null;
}

const RELATIONSHIP_WORDS: Record<string, Relationship> = {
  mere: 'MERE',
  maman: 'MERE',
  pere: 'PERE',
  papa: 'PERE',
  tuteur: 'TUTEUR',
  tutrice: 'TUTEUR',
  'tuteur ou tutrice': 'TUTEUR',
  nounou: 'NOUNOU',
  'assistante maternelle': 'NOUNOU',
  'assistant maternel': 'NOUNOU',
  'nounou, assistante maternelle': 'NOUNOU',
  autre: 'AUTRE',
  'autre personne': 'AUTRE',
};

/** An empty relationship is "Autre personne"; null when the word is unknown. */
export function parseRelationship(cell: Cell): Relationship | null {
  const s = norm(text(cell));
  if (s === '') return 'AUTRE';
  const upper = s.toUpperCase();
  if ((RELATIONSHIPS as readonly string[]).includes(upper)) return upper as Relationship;
  return RELATIONSHIP_WORDS[s] ?? null;
}
