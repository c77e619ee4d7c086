import { z } from 'zod';
import { idSchema } from './common.js';

/**
 * "Soldes et relances" (secretariat and admin, 'balances.remind'): the families by balance, per
 * wallet, with a selection to remind (a mail with the balance and how to pay, or a PDF letter
 * for the families without an e-mail address), each reminder recorded on the family's file.
 *
 * GET  /api/staff/balances?filter=&walletId=&schoolId=&sort=&page=  -> BalancesPage
 * POST /api/staff/balances/reminders  {idempotencyKey, targets}      -> ReminderResult (201)
 * GET  /api/staff/balances/reminders/:batchKey/letters               -> PDF, one page per family
 * GET  /api/staff/families/:id/reminders                             -> FamilyRemindersView
 *
 * A wallet a family never used (no ledger entry) is not listed: its 0 is no debt.
 */

export const BALANCES_PAGE_SIZE = 50;
/** At most this many family wallets per reminder request. */
export const MAX_REMINDER_TARGETS = 500;

export const BALANCE_FILTERS = ['negative', 'under', 'all'] as const;
export type BalanceFilter = (typeof BALANCE_FILTERS)[number];
export const BALANCE_FILTER_LABELS: Record<BalanceFilter, string> = {
  negative: 'Solde négatif',
  under: 'Sous le seuil d’alerte',
  all: 'Tous les soldes',
};

export const BALANCE_SORTS = ['balance', 'name'] as const;
export type BalanceSort = (typeof BALANCE_SORTS)[number];
export const BALANCE_SORT_LABELS: Record<BalanceSort, string> = { balance: 'Solde croissant', name: 'Nom de famille' };

export const REMINDER_CHANNELS = ['mail', 'letter'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];
export const REMINDER_CHANNEL_LABELS: Record<ReminderChannel, string> = { mail: 'E-mail', letter: 'Courrier' };

const optionalId = (message: string) => z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }).max(2_147_483_647, { error: message }).optional());

export const balancesQuery = z.object({
  filter: z.enum(BALANCE_FILTERS, { error: 'Filtre inconnu.' }).default('negative'),
  walletId: optionalId('Porte-monnaie invalide.'),
  schoolId: optionalId('École invalide.'),
  sort: z.enum(BALANCE_SORTS, { error: 'Tri inconnu.' }).default('balance'),
  page: z.coerce.number({ error: 'Page invalide.' }).int({ error: 'Page invalide.' }).min(1, { error: 'Page invalide.' }).max(100_000, { error: 'Page invalide.' }).optional(),
});
export type BalancesQuery = z.infer<typeof balancesQuery>;

export interface BalanceRow {
  familyId: number;
  familyCode: string;
  familyName: string;
  walletId: number;
  walletLabel: string;
  balanceCents: number;
  thresholdCents: number;
  /** A mail can reach the family (else the reminder is a letter). */
  hasEmail: boolean;
  /** Paris day of the last reminder about this wallet. */
  lastReminderOn: string | null;
}

export interface BalancesPage {
  rows: BalanceRow[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

export const reminderKeySchema = z.string({ error: 'Clé de relance invalide.' }).regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'Clé de relance invalide.' });

export const sendRemindersBody = z.object({
  /** The console's key for this click: the same key sends once and answers the first result again. */
  idempotencyKey: reminderKeySchema,
  targets: z
    .array(z.object({ familyId: idSchema, walletId: idSchema }), { error: 'Sélection invalide.' })
    .min(1, { error: 'Sélectionnez au moins une famille.' })
    .max(MAX_REMINDER_TARGETS, { error: `Au plus ${MAX_REMINDER_TARGETS} relances à la fois.` }),
});
export type SendRemindersInput = z.infer<typeof sendRemindersBody>;

export const reminderLettersParams = z.object({ batchKey: reminderKeySchema });

export interface ReminderResult {
  batchKey: string;
  /** Families reminded by mail, and by letter (to print: the letters route). */
  mailed: number;
  letters: number;
  /** Selected wallets no longer negative nor under the threshold: nothing sent. */
  skipped: number;
  /** True when this key had already been sent: nothing new went out. */
  replayed: boolean;
  message: string;
}

export interface FamilyReminderRow {
  id: number;
  sentOn: string;
  sentAt: string;
  channel: ReminderChannel;
  walletLabel: string;
  amountCents: number;
  staffName: string | null;
}

export interface FamilyRemindersView {
  reminders: FamilyReminderRow[];
}
