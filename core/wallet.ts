import type { Knex } from 'knex';
import type { WalletBalanceView } from '../api/parent.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { assertCents, formatCents } from './money.js';
import { addDays, isValidDate, parisInstant } from './dates.js';
import { writeTransaction } from './tx.js';
import { checkLowBalance } from './mail/low-balance.js';

/**
 * The wallet ledger. A family's balance in a wallet is the sum of its ledger entries; entries
 * are only ever inserted (here, and nowhere else), and a mistake is corrected by a reversing
 * entry that points to the entry it cancels.
 */

export type LedgerKind =
  | 'counter_sale'
  | 'online_payment'
  | 'booking_debit'
  | 'cancellation_refund'
  | 'absence_refund'
  | 'late_charge'
  | 'adjustment'
  | 'refund'
  | 'sale_reversal'
  | 'reversal';

export const LEDGER_KIND_LABELS: Record<LedgerKind, string> = {
  counter_sale: 'Encaissement au guichet',
  online_payment: 'Paiement en ligne',
  booking_debit: 'Réservation',
  cancellation_refund: 'Annulation de réservation',
  absence_refund: 'Absence justifiée',
  late_charge: 'Présence non réservée',
  adjustment: 'Régularisation',
  refund: 'Remboursement',
  sale_reversal: 'Annulation d\'encaissement',
  reversal: 'Contre-passation',
};

export interface LedgerEntryInput {
  familyId: number;
  walletId: number;
  amountCents: number;
  kind: LedgerKind;
  label: string;
  childId?: number | null;
  activityId?: number | null;
  serviceDate?: string | null;
  bookingId?: number | null;
  attendanceId?: number | null;
  receiptId?: number | null;
  onlinePaymentId?: number | null;
  reversesEntryId?: number | null;
  reason?: string | null;
  staffUserId?: number | null;
}

/** knex returns [{id}] on SQLite/PostgreSQL with returning(), a bare number on older drivers. */
export function insertedId(row: unknown): number {
  return typeof row === 'object' && row !== null ? Number((row as { id: number }).id) : Number(row);
}

/** THE only place that inserts into ledger_entries. */
export async function appendLedgerEntry(trx: Knex, entry: LedgerEntryInput, now: Date): Promise<number> {
  assertCents(entry.amountCents);
  if (!entry.label) throw new TypeError('Une écriture doit avoir un libellé.');
  const [row] = await trx('ledger_entries')
    .insert({
      family_id: entry.familyId,
      wallet_id: entry.walletId,
      amount_cents: entry.amountCents,
      kind: entry.kind,
      label: entry.label.slice(0, 200),
      child_id: entry.childId ?? null,
      activity_id: entry.activityId ?? null,
      service_date: entry.serviceDate ?? null,
      booking_id: entry.bookingId ?? null,
      attendance_id: entry.attendanceId ?? null,
      receipt_id: entry.receiptId ?? null,
      online_payment_id: entry.onlinePaymentId ?? null,
      reverses_entry_id: entry.reversesEntryId ?? null,
      reason: entry.reason == null ? null : entry.reason.slice(0, 200),
      staff_user_id: entry.staffUserId ?? null,
      created_at: now.toISOString(),
    })
    .returning('id');
  const id = insertedId(row);
  // Same transaction, after the insert: every movement of money may cross the alert threshold.
  await checkLowBalance(trx, entry, now);
  return id;
}

export type WalletBalance = WalletBalanceView;

/** Every wallet with the family's balance in it (0 when it has no entry), in one query. */
export async function getBalances(db: Knex, familyId: number): Promise<WalletBalance[]> {
  const sums = db('ledger_entries')
    .select('wallet_id')
    .sum({ total: 'amount_cents' })
    .where('family_id', familyId)
    .groupBy('wallet_id')
    .as('s');
  const rows: Array<{ id: number; code: string; label: string; overdraft_limit_cents: number; total: number | string | null }> =
    await db('wallets as w')
      .leftJoin(sums, 's.wallet_id', 'w.id')
      .select('w.id', 'w.code', 'w.label', 'w.overdraft_limit_cents', 's.total')
      .orderBy([{ column: 'w.position' }, { column: 'w.id' }]);
  return rows.map((r) => ({
    walletId: r.id,
    code: r.code,
    label: r.label,
    balanceCents: Number(r.total ?? 0),
    overdraftLimitCents: r.overdraft_limit_cents,
  }));
}

export async function getBalance(db: Knex, familyId: number, walletId: number): Promise<number> {
  const row = await db('ledger_entries')
    .sum({ total: 'amount_cents' })
    .where({ family_id: familyId, wallet_id: walletId })
    .first();
  return Number((row as { total?: number | string | null } | undefined)?.total ?? 0);
}

export interface LedgerHistoryEntry {
  id: number;
  walletId: number;
  walletLabel: string;
  amountCents: number;
  kind: LedgerKind;
  label: string;
  childId: number | null;
  childFirstName: string | null;
  activityId: number | null;
  activityName: string | null;
  serviceDate: string | null;
  bookingId: number | null;
  attendanceId: number | null;
  receiptId: number | null;
  onlinePaymentId: number | null;
  reversesEntryId: number | null;
  /** Set when a later entry reverses this one. */
  reversedByEntryId: number | null;
  reason: string | null;
  staffUserId: number | null;
  staffName: string | null;
  createdAt: string;
}

export interface LedgerHistoryQuery {
  walletId?: number;
  /** Paris dates, both included, on the entry's creation instant. */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** A family's entries, newest first, with the child's first name and the activity's name. */
export async function ledgerHistory(db: Knex, familyId: number, q: LedgerHistoryQuery = {}): Promise<LedgerHistoryEntry[]> {
  const query = db('ledger_entries as l')
    .join('wallets as w', 'w.id', 'l.wallet_id')
    .leftJoin('children as c', 'c.id', 'l.child_id')
    .leftJoin('activities as a', 'a.id', 'l.activity_id')
    .leftJoin('staff_users as s', 's.id', 'l.staff_user_id')
    .leftJoin('ledger_entries as r', 'r.reverses_entry_id', 'l.id')
    .where('l.family_id', familyId)
    .select(
      'l.*',
      'w.label as wallet_label',
      'c.first_name as child_first_name',
      'a.name as activity_name',
      's.display_name as staff_name',
      'r.id as reversed_by_entry_id',
    )
    .orderBy([{ column: 'l.created_at', order: 'desc' }, { column: 'l.id', order: 'desc' }])
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000))
    .offset(Math.max(q.offset ?? 0, 0));
  if (q.walletId != null) query.where('l.wallet_id', q.walletId);
  if (q.from) {
    if (!isValidDate(q.from)) throw invalid('Date de début invalide.');
    query.where('l.created_at', '>=', parisInstant(q.from, '00:00').toISOString());
  }
  if (q.to) {
    if (!isValidDate(q.to)) throw invalid('Date de fin invalide.');
    query.where('l.created_at', '<', parisInstant(addDays(q.to, 1), '00:00').toISOString());
  }
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((r) => ({
    id: r.id as number,
    walletId: r.wallet_id as number,
    walletLabel: r.wallet_label as string,
    amountCents: r.amount_cents as number,
    kind: r.kind as LedgerKind,
    label: r.label as string,
    childId: (r.child_id as number | null) ?? null,
    childFirstName: (r.child_first_name as string | null) ?? null,
    activityId: (r.activity_id as number | null) ?? null,
    activityName: (r.activity_name as string | null) ?? null,
    serviceDate: (r.service_date as string | null) ?? null,
    bookingId: (r.booking_id as number | null) ?? null,
    attendanceId: (r.attendance_id as number | null) ?? null,
    receiptId: (r.receipt_id as number | null) ?? null,
    onlinePaymentId: (r.online_payment_id as number | null) ?? null,
    reversesEntryId: (r.reverses_entry_id as number | null) ?? null,
    reversedByEntryId: (r.reversed_by_entry_id as number | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    staffUserId: (r.staff_user_id as number | null) ?? null,
    staffName: (r.staff_name as string | null) ?? null,
    createdAt: r.created_at as string,
  }));
}

function requireReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text.length < 3) throw invalid('Indiquez le motif (au moins 3 caractères).');
  if (text.length > 200) throw invalid('Le motif ne doit pas dépasser 200 caractères.');
  return text;
}

/** A staff correction of a family's balance (+ credit, - debit), with its reason; audited. */
export async function adjustWallet(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; walletId: number; amountCents: number; reason: string },
): Promise<{ entryId: number; balanceCents: number }> {
  const staff = authorizeStaff(actor, 'wallet.adjust');
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents === 0) {
    throw invalid('Le montant doit être un nombre entier de centimes, différent de zéro.');
  }
  if (Math.abs(input.amountCents) > 99_999_999) throw invalid('Montant trop élevé.');
  const reason = requireReason(input.reason);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const family = await trx('families').where('id', input.familyId).first('id');
    if (!family) throw notFound('Famille');
    const wallet = await trx('wallets').where('id', input.walletId).first('id', 'label');
    if (!wallet) throw notFound('Porte-monnaie');
    const before = await getBalance(trx, input.familyId, input.walletId);
    const entryId = await appendLedgerEntry(
      trx,
      {
        familyId: input.familyId,
        walletId: input.walletId,
        amountCents: input.amountCents,
        kind: 'adjustment',
        label: `Régularisation (${wallet.label}) : ${reason}`,
        reason,
        staffUserId: staff.staffUserId,
      },
      now,
    );
    const after = before + input.amountCents;
    await audit(
      trx,
      actor,
      {
        action: 'wallet.adjust',
        entity: 'ledger_entry',
        entityId: entryId,
        familyId: input.familyId,
        before: { walletId: input.walletId, balanceCents: before },
        after: { walletId: input.walletId, balanceCents: after, amountCents: input.amountCents },
        note: reason,
      },
      now,
    );
    return { entryId, balanceCents: after };
  }, { familyId: input.familyId });
}

/**
 * Cancels one entry by appending its opposite (same wallet, child, activity, day and booking,
 * so per-booking and per-attendance nets stay right). An entry is reversed at most once
 * (reverses_entry_id is unique); a reversal is not itself reversed, and a counter sale is
 * cancelled through its receipt (cancelCounterSale) so the régie's numbering stays whole.
 */
export async function reverseLedgerEntry(
  ctx: CoreContext,
  actor: Actor,
  input: { entryId: number; reason: string },
): Promise<{ entryId: number; balanceCents: number }> {
  const staff = authorizeStaff(actor, 'wallet.adjust');
  const reason = requireReason(input.reason);
  const now = ctx.clock.now();
  // The entry's family, read before the transaction to lock only that family; read again inside.
  const owner = await ctx.db('ledger_entries').where('id', input.entryId).first('family_id');
  if (!owner) throw notFound('Écriture');
  return writeTransaction(ctx.db, async (trx) => {
    const entry = await trx('ledger_entries').where('id', input.entryId).first();
    if (!entry || entry.family_id !== owner.family_id) throw notFound('Écriture');
    if (entry.reverses_entry_id != null) {
      throw new DomainError('CONFLICT', 'Cette écriture est déjà une contre-passation : elle ne peut pas être annulée.');
    }
    if (entry.kind === 'counter_sale' || entry.kind === 'sale_reversal') {
      throw new DomainError('CONFLICT', 'Un encaissement au guichet s\'annule par son reçu (annulation de vente), pas par une contre-passation.');
    }
    const already = await trx('ledger_entries').where('reverses_entry_id', entry.id).first('id');
    if (already) throw new DomainError('CONFLICT', 'Cette écriture a déjà été annulée.');
    await assertReversibleForItsCause(trx, entry);
    const before = await getBalance(trx, entry.family_id, entry.wallet_id);
    const entryId = await appendLedgerEntry(
      trx,
      {
        familyId: entry.family_id,
        walletId: entry.wallet_id,
        amountCents: -entry.amount_cents,
        kind: 'reversal',
        label: `Annulation de l'écriture n° ${entry.id} (${entry.label}) : ${reason}`,
        childId: entry.child_id,
        activityId: entry.activity_id,
        serviceDate: entry.service_date,
        bookingId: entry.booking_id,
        attendanceId: entry.attendance_id,
        reversesEntryId: entry.id,
        reason,
        staffUserId: staff.staffUserId,
      },
      now,
    );
    const after = before - entry.amount_cents;
    await audit(
      trx,
      actor,
      {
        action: 'ledger.reverse',
        entity: 'ledger_entry',
        entityId: entryId,
        familyId: entry.family_id,
        before: { entryId: entry.id, amountCents: entry.amount_cents, kind: entry.kind, balanceCents: before },
        after: { reversalEntryId: entryId, amountCents: -entry.amount_cents, balanceCents: after },
        note: reason,
      },
      now,
    );
    return { entryId, balanceCents: after };
  }, { familyId: Number(owner.family_id) });
}

/**
 * A booking's entries sum to minus its price while booked (zero once its debit is waived) and to
 * zero once cancelled; an attendance's entries to what the pointage rules give. A reversal may
 * not break that: only a standing debit of a booked, unpointed day may be waived ("repas offert").
 */
async function assertReversibleForItsCause(trx: Knex, entry: { attendance_id: number | null; booking_id: number | null; kind: string; amount_cents: number }): Promise<void> {
  if (entry.attendance_id != null) {
    throw new DomainError('CONFLICT', 'Ce montant vient du pointage : corrigez le pointage, il recalcule ce qui est dû.');
  }
  if (entry.booking_id == null) return;
  if (entry.kind !== 'booking_debit') {
    throw new DomainError('CONFLICT', 'Ce remboursement vient de l’annulation d’une réservation : il ne se contre-passe pas. Réservez de nouveau le jour si besoin.');
  }
  const booking = await trx('bookings').where('id', entry.booking_id).first('status', 'child_id', 'activity_id', 'date');
  const sum = (await trx('ledger_entries').where('booking_id', entry.booking_id).sum({ total: 'amount_cents' }).first()) as { total?: number | string | null } | undefined;
  const net = Number(sum?.total ?? 0);
  if (!booking || booking.status !== 'booked') {
    throw new DomainError('CONFLICT', 'Cette réservation a déjà été annulée et remboursée : contre-passer son débit la rembourserait une seconde fois.');
  }
  if (net !== entry.amount_cents) throw new DomainError('CONFLICT', 'Le débit de cette réservation a déjà été contre-passé.');
  const pointed = await trx('attendance').where({ child_id: booking.child_id, activity_id: booking.activity_id, date: booking.date }).first('id');
  if (pointed) throw new DomainError('CONFLICT', 'Ce jour est déjà pointé : corrigez le pointage (absence justifiée) plutôt que le débit.');
}

/** "Solde insuffisant : il manque 3,50 € sur le porte-monnaie Cantine." */
export function insufficientBalanceMessage(missingCents: number, walletLabel: string): string {
  return `Solde insuffisant : il manque ${formatCents(missingCents)} sur le porte-monnaie « ${walletLabel} ». Rechargez le compte puis recommencez.`;
}
