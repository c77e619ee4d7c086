import { z } from 'zod';
import { dateSchema } from './common.js';
import type { PaymentMethod } from './rules.js';

/**
 * The régisseur's documents, part 2: the cash count at a session's closure and the "état de
 * versement" to the comptable public. Money is integer cents; the lists are French.
 */

/** Notes and coins of the euro, in cents, largest first. */
export const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;
export type Denomination = (typeof DENOMINATIONS)[number];
/** 500 € … 5 € are notes, 2 € … 0,01 € coins. */
export const isNote = (d: Denomination): boolean => d >= 500;
export const MAX_PIECES = 1_000_000;
export const MAX_EXPLANATION = 500;
/** The longest period one état covers. */
export const MAX_VERSEMENT_DAYS = 366;

/** Pieces per denomination, keyed by the denomination's cents as text ("50000", …, "1"). */
export type DenominationCounts = Record<`${Denomination}`, number>;

export interface CashCountView {
  id: number;
  closureId: number;
  businessDate: string;
  session: number;
  counts: DenominationCounts;
  countedCents: number;
  expectedCents: number;
  differenceCents: number;
  explanation: string | null;
  staffName: string;
  createdAt: string;
}

/** What the closure screen shows of a closed session's count. */
export interface CashCountState {
  date: string;
  session: number;
  closureId: number | null;
  /** Cash expected in the till: the session's espèces total as closed (null while it is open). */
  expectedCents: number | null;
  count: CashCountView | null;
}

const pieces = z
  .number({ error: 'Nombre de pièces ou de billets invalide.' })
  .int({ error: 'Nombre entier de pièces ou de billets attendu.' })
  .min(0, { error: 'Le nombre de pièces ou de billets ne peut pas être négatif.' })
  .max(MAX_PIECES, { error: 'Nombre de pièces ou de billets trop grand.' });

export const cashCountQuery = z.object({
  session: z.coerce.number({ error: 'Session invalide.' }).int({ error: 'Session invalide.' }).min(1, { error: 'Session invalide.' }).max(99, { error: 'Session invalide.' }),
});

export const cashCountSchema = z.object({
  session: z.number({ error: 'Session invalide.' }).int({ error: 'Session invalide.' }).min(1, { error: 'Session invalide.' }).max(99, { error: 'Session invalide.' }),
  counts: z.object(Object.fromEntries(DENOMINATIONS.map((d) => [String(d), pieces.default(0)])) as Record<`${Denomination}`, z.ZodDefault<typeof pieces>>, {
    error: 'Comptage manquant.',
  }),
  explanation: z.string({ error: 'Explication invalide.' }).trim().max(MAX_EXPLANATION, { error: `L’explication fait au plus ${MAX_EXPLANATION} caractères.` }).optional(),
});
export type CashCountInput = z.input<typeof cashCountSchema>;

/** The counted total of some pieces, in cents. */
export function countedCentsOf(counts: Partial<Record<string, number>>): number {
  let total = 0;
  for (const d of DENOMINATIONS) total += d * (counts[String(d)] ?? 0);
  return total;
}

// ------------------------------------------------------------------------------- versement

export const versementPeriodQuery = z
  .object({ from: dateSchema, to: dateSchema })
  .refine((p) => p.from <= p.to, { error: 'La fin de la période précède son début.', path: ['to'] });
export const versementPeriodSchema = versementPeriodQuery;
export type VersementPeriod = z.input<typeof versementPeriodQuery>;

export interface VersementMethodLine {
  method: PaymentMethod;
  label: string;
  /** Receipts of sale (not reversals). */
  count: number;
  grossCents: number;
  /** Reversal receipts, as a positive amount. */
  cancellationCount: number;
  cancelledCents: number;
  netCents: number;
}

export interface VersementSellerLine {
  staffUserId: number;
  name: string;
  count: number;
  byMethod: Record<PaymentMethod, number>;
  totalCents: number;
}

export interface VersementDayLine {
  date: string;
  receiptCount: number;
  counterCents: number;
  onlineCount: number;
  onlineCents: number;
}

export interface UnclosedDay {
  date: string;
  /** The first session of the day left open. */
  session: number;
  receiptCount: number;
  totalCents: number;
}

/** The figures of one état: frozen as JSON when it is established. */
export interface VersementFigures {
  from: string;
  to: string;
  methods: VersementMethodLine[];
  receiptCount: number;
  cancellationCount: number;
  cancellationsCents: number;
  /** Net of the counter (reversals deducted). */
  counterCents: number;
  onlineCount: number;
  onlineCents: number;
  totalCents: number;
  sellers: VersementSellerLine[];
  days: VersementDayLine[];
  /** Receipts and online payments dated before the period and in no earlier état, counted here. */
  earlier: { receiptCount: number; receiptCents: number; onlineCount: number; onlineCents: number };
  firstReceipt: string | null;
  lastReceipt: string | null;
}

export interface VersementPreview {
  figures: VersementFigures;
  /** Days up to the period's end with receipts in a session not closed: the état waits for them. */
  unclosedDays: UnclosedDay[];
  /** Days of the period already in an état. */
  alreadyCovered: Array<{ date: string; numberLabel: string }>;
}

export interface VersementView {
  id: number;
  year: number;
  number: number;
  numberLabel: string;
  from: string;
  to: string;
  totalCents: number;
  figures: VersementFigures;
  staffName: string;
  createdAt: string;
  sentAt: string | null;
  sentByName: string | null;
}

export interface VersementList {
  versements: Array<Omit<VersementView, 'figures'>>;
  unclosedDays: UnclosedDay[];
}

export const formatVersementNumber = (year: number, number: number): string => `V${year}-${String(number).padStart(3, '0')}`;
