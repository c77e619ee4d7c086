/**
 * Online top-up through PayFiP (régie web-service flow), see ../shared/PAYFIP.md.
 *
 * 1. createTopUp records the pending payment (unique refdet) and commits BEFORE anything leaves,
 *    then asks PayFiP for an idOp and answers the payment page's URL.
 * 2. PayFiP posts `idop` to /payfip/notification and sends the browser to /payfip/retour; both
 *    call settlePayment, which never trusts the caller: it asks recupererDetailPaiementSecurise
 *    and acts on that answer only.
 * 3. A paid result marks the payment paid, credits the wallet, issues the paid invoice and queues
 *    the confirmation mail in ONE transaction; ledger_entries.online_payment_id is unique, so the
 *    wallet is credited once per payment however many notifications arrive, even at once.
 * 4. checkPendingPayments asks again for payments whose notification never came, and expires
 *    them after ~20 minutes (an idOp lives 15).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { formatCentsPlain } from './money.js';
import { writeTransaction } from './tx.js';
import { audit } from './audit.js';
import { appendLedgerEntry, getBalance, insertedId } from './wallet.js';
import { parisDateOf, parisYearOf } from './dates.js';
import { priceForFamily } from './tariffs.js';
import { issueInvoice } from './invoices.js';
import { enqueueMail } from './mail/outbox.js';
import { paymentConfirmationMail } from './mail/templates.js';
import { loadMailCommune } from './mail/commune.js';
import { getPayfipSettings, type PayfipSettings } from './payfip/settings.js';
import { createPayfipClient, parisLocalFromPayfip, PayfipFault, type PayfipClient, type PaymentDetail } from './payfip/client.js';
import {
  TOPUP_AMOUNT_MESSAGE,
  TOPUP_CENTS_MESSAGE,
  TOPUP_MAX_CENTS,
  TOPUP_MAX_TICKETS,
  TOPUP_MIN_CENTS,
  TOPUP_STATUS_LABELS,
  type TopUpAnswer,
  type TopUpStatus,
  type TopUpStatusCode,
} from '../api/payments.js';

export type PaymentStatus = TopUpStatusCode;

/** Re-check a pending payment once it is this old (the parent is probably still on the page before). */
export const RECHECK_AFTER_MS = 60_000;
/** A payment still unknown after this long is expired (PayFiP's idOp lives 15 minutes). */
export const EXPIRE_AFTER_MS = 20 * 60_000;
/** At most this many payments started by a family in EXPIRE_AFTER_MS and still pending. */
const MAX_OPEN_PAYMENTS_PER_FAMILY = 5;

export const PAYMENT_UNAVAILABLE_MESSAGE =
  'Le service de paiement en ligne est momentanément indisponible. Réessayez plus tard ou réglez au secrétariat de la Mairie.';

export interface PayfipDeps {
  /** Injected in tests; by default built from the settings. */
  client?: PayfipClient;
  settings?: PayfipSettings;
}

async function resolveDeps(db: Knex, deps: PayfipDeps = {}): Promise<{ client: PayfipClient; settings: PayfipSettings }> {
  const settings = deps.settings ?? (await getPayfipSettings(db));
  const client = deps.client ?? createPayfipClient({ serviceUrl: settings.serviceUrl });
  return { client, settings };
}

interface PaymentRow {
  id: number;
  refdet: string;
  family_id: number;
  wallet_id: number;
  parent_account_id: number | null;
  amount_cents: number;
  email: string;
  objet: string;
  status: PaymentStatus;
  id_op: string | null;
  resultrans: string | null;
  numauto: string | null;
  paid_at_local: string | null;
  check_count: number;
  last_checked_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

// ---------------------------------------------------------------------------------------------
// Small pure helpers

/** PayFiP's objet: ASCII letters, digits and spaces, at most 100. "Crédit « Cantine »" -> "Credit Cantine". */
export function asciiObjet(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trim();
}

const REFDET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new refdet: "ET" + Paris date + 10 random characters (alphanumeric, 20 characters, ≤ 30). */
export function newRefdet(now: Date): string {
  const bytes = crypto.randomBytes(10);
  let suffix = '';
  for (const b of bytes) suffix += REFDET_ALPHABET[b % REFDET_ALPHABET.length];
  return `ET${parisDateOf(now).replace(/-/g, '')}${suffix}`;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkAmount(amountCents: unknown): number {
  if (typeof amountCents !== 'number' || !Number.isSafeInteger(amountCents)) throw invalid(TOPUP_CENTS_MESSAGE);
  if (amountCents < TOPUP_MIN_CENTS || amountCents > TOPUP_MAX_CENTS) {
    throw invalid(TOPUP_AMOUNT_MESSAGE, { minCents: TOPUP_MIN_CENTS, maxCents: TOPUP_MAX_CENTS });
  }
  return amountCents;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505' || /UNIQUE constraint failed/i.test(e.message ?? '');
}

// ---------------------------------------------------------------------------------------------
// Creating a top-up

export interface TopUpInput {
  walletId: number;
  amountCents?: number;
  activityId?: number;
  tickets?: number;
}

/**
 * A parent starts an online top-up. The pending payment is committed before PayFiP is called, so
 * whatever happens next (crash, timeout) leaves a trace that the checker can follow.
 */
export async function createTopUp(ctx: CoreContext, actor: Actor, input: TopUpInput, deps: PayfipDeps = {}): Promise<TopUpAnswer> {
  if (actor.kind !== 'parent') throw new DomainError('FORBIDDEN', 'Le paiement en ligne est réservé aux familles.');
  const familyId = actor.familyId;
  if (!Number.isSafeInteger(input.walletId) || input.walletId <= 0) throw invalid('Choisissez le porte-monnaie à créditer.');
  const byAmount = input.amountCents !== undefined && input.amountCents !== null;
  const byTickets = input.tickets !== undefined && input.tickets !== null;
  if (byAmount === byTickets) throw invalid('Indiquez soit un montant, soit un nombre de tickets.');

  const { client, settings } = await resolveDeps(ctx.db, deps);
  const now = ctx.clock.now();

  const pending = await writeTransaction(ctx.db, async (trx) => {
    const wallet: { id: number; label: string } | undefined = await trx('wallets').where('id', input.walletId).first('id', 'label');
    if (!wallet) throw notFound('Porte-monnaie');

    let amountCents: number;
    let what: string;
    if (byTickets) {
      const tickets = input.tickets as number;
      if (!Number.isSafeInteger(tickets) || tickets < 1 || tickets > TOPUP_MAX_TICKETS) {
        throw invalid(`Le nombre de tickets doit être un entier entre 1 et ${TOPUP_MAX_TICKETS}.`);
      }
      const activity: { id: number; name: string; wallet_id: number; active: number | boolean } | undefined = await trx('activities')
        .where('id', input.activityId ?? 0)
        .first('id', 'name', 'wallet_id', 'active');
      if (!activity || !activity.active) throw notFound('Activité');
      if (activity.wallet_id !== wallet.id) throw invalid(`Les tickets « ${activity.name} » se paient sur un autre porte-monnaie.`);
      const price = (await priceForFamily(trx, familyId, [activity.id])).get(activity.id);
      if (price === undefined || price <= 0) throw invalid(`Aucun tarif n’est défini pour « ${activity.name} ».`);
      amountCents = price * tickets;
      if (amountCents < TOPUP_MIN_CENTS || amountCents > TOPUP_MAX_CENTS) {
        throw invalid(`${tickets} ticket${tickets > 1 ? 's' : ''} « ${activity.name} » font ${formatCentsPlain(amountCents)} : ${TOPUP_AMOUNT_MESSAGE.charAt(0).toLowerCase()}${TOPUP_AMOUNT_MESSAGE.slice(1)}`);
      }
      what = `${tickets} ticket${tickets > 1 ? 's' : ''} ${activity.name}`;
    } else {
      amountCents = checkAmount(input.amountCents);
      what = wallet.label;
    }

    // The payer's address: the account's own, else its contact card's, else a billing contact's.
    const account: { email: string | null; contact_email: string | null } | undefined = await trx('parent_accounts as p')
      .leftJoin('contacts as c', 'c.id', 'p.contact_id')
      .where('p.id', actor.parentAccountId)
      .where('p.family_id', familyId)
      .first('p.email', 'c.email as contact_email');
    if (!account) throw new DomainError('FORBIDDEN', 'Compte inconnu.');
    let email = (account.email || account.contact_email || '').trim();
    if (!email) {
      const billing: { email: string } | undefined = await trx('contacts')
        .where({ family_id: familyId, use_for_billing: true })
        .whereNot('email', '')
        .orderBy('position')
        .first('email');
      email = billing?.email.trim() ?? '';
    }
    if (!EMAIL_RE.test(email) || email.length < 6 || email.length > 80) {
      throw invalid('Pour payer en ligne, indiquez d’abord une adresse e-mail valide dans « Mon dossier ».');
    }

    const open = await trx('online_payments')
      .where({ family_id: familyId, status: 'pending' })
      .where('created_at', '>', new Date(now.getTime() - EXPIRE_AFTER_MS).toISOString())
      .count({ n: '*' })
      .first();
    if (Number(open?.n ?? 0) >= MAX_OPEN_PAYMENTS_PER_FAMILY) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Plusieurs paiements sont déjà en cours : terminez-les ou réessayez dans quelques minutes.');
    }

    const family: { name: string } | undefined = await trx('families').where('id', familyId).first('name');
    const objet = asciiObjet(`Credit eTicket ${what} famille ${family?.name ?? ''}`) || 'Credit eTicket';
    const refdet = newRefdet(now);
    const at = now.toISOString();
    const [row] = await trx('online_payments')
      .insert({
        refdet,
        family_id: familyId,
        wallet_id: wallet.id,
        parent_account_id: actor.parentAccountId,
        amount_cents: amountCents,
        email,
        objet,
        status: 'pending',
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const paymentId = insertedId(row);
    await audit(
      trx,
      actor,
      { action: 'payment.create', entity: 'online_payment', entityId: paymentId, familyId, after: { amountCents, walletId: wallet.id, refdet } },
      now,
    );
    return { paymentId, refdet, amountCents, email, objet };
  });

  let idOp: string;
  try {
    idOp = await client.creerPaiementSecurise({
      exer: parisYearOf(now),
      mel: pending.email,
      montant: pending.amountCents,
      numcli: settings.numcli,
      objet: pending.objet,
      refdet: pending.refdet,
      saisie: settings.saisie,
      urlnotif: `${settings.notificationBaseUrl}/payfip/notification`,
      urlredirect: `${settings.publicBaseUrl}/payfip/retour`,
    });
  } catch (err) {
    await ctx.db('online_payments')
      .where({ id: pending.paymentId, status: 'pending' })
      .update({ status: 'error', last_error: String((err as Error).message).slice(0, 300), updated_at: ctx.clock.now().toISOString() });
    throw new DomainError('PAYMENT_ERROR', PAYMENT_UNAVAILABLE_MESSAGE);
  }
  try {
    await ctx.db('online_payments').where('id', pending.paymentId).update({ id_op: idOp, updated_at: ctx.clock.now().toISOString() });
  } catch (err) {
    // An idOp already attached to another payment: never let two payments share one.
    if (!isUniqueViolation(err)) throw err;
    await ctx.db('online_payments')
      .where({ id: pending.paymentId, status: 'pending' })
      .update({ status: 'error', last_error: `idOp déjà utilisé : ${idOp}`.slice(0, 300), updated_at: ctx.clock.now().toISOString() });
    throw new DomainError('PAYMENT_ERROR', PAYMENT_UNAVAILABLE_MESSAGE);
  }
  return { paymentId: pending.paymentId, redirectUrl: `${settings.paymentPageUrl}?idop=${encodeURIComponent(idOp)}` };
}

// ---------------------------------------------------------------------------------------------
// Reading a top-up

const statusMessages: Record<PaymentStatus, string> = {
  pending: 'Votre paiement est en cours de vérification auprès du Trésor Public. Le solde sera mis à jour dans quelques instants.',
  paid: 'Votre paiement a été accepté : votre compte est crédité.',
  refused: 'Votre paiement a été refusé par la banque. Aucun montant n’a été débité.',
  abandoned: 'Vous avez abandonné le paiement. Aucun montant n’a été débité.',
  expired: 'Le délai de paiement est dépassé. Aucun montant n’a été débité.',
  error: PAYMENT_UNAVAILABLE_MESSAGE,
};

/** One top-up of the actor's family (a parent sees only their own; staff see any). */
export async function getTopUp(ctx: CoreContext, actor: Actor, paymentId: number): Promise<TopUpStatus> {
  if (!Number.isSafeInteger(paymentId) || paymentId <= 0) throw notFound('Paiement');
  const q = ctx.db('online_payments as o')
    .join('wallets as w', 'w.id', 'o.wallet_id')
    .leftJoin('invoices as i', 'i.online_payment_id', 'o.id')
    .where('o.id', paymentId)
    .first('o.*', 'w.label as wallet_label', 'i.id as invoice_id', 'i.number as invoice_number');
  if (actor.kind === 'parent') q.where('o.family_id', actor.familyId);
  else if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', 'Accès refusé.');
  const row = (await q) as (PaymentRow & { wallet_label: string; invoice_id: number | null; invoice_number: string | null }) | undefined;
  if (!row) throw notFound('Paiement');
  return {
    id: row.id,
    status: row.status,
    message: statusMessages[row.status] ?? TOPUP_STATUS_LABELS[row.status],
    amountCents: row.amount_cents,
    walletId: row.wallet_id,
    walletLabel: row.wallet_label,
    refdet: row.refdet,
    createdAt: row.created_at,
    paidAtLocal: row.paid_at_local,
    invoiceId: row.invoice_id ?? null,
    invoiceNumber: row.invoice_number ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Settling a payment from PayFiP's own answer

export type SettleOutcome =
  | 'paid' // credited now
  | 'already_paid' // was credited before: nothing done
  | 'refused'
  | 'abandoned'
  | 'pending' // P5: PayFiP does not know the result yet
  | 'expired'
  | 'unknown' // not one of our payments (forged or foreign idop): nothing done
  | 'error'; // PayFiP unreachable, or its answer did not match the payment: nothing credited

export interface SettleResult {
  outcome: SettleOutcome;
  paymentId: number | null;
}

const IDOP_RE = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Settles a payment by its idOp, acting only on PayFiP's answer to recupererDetailPaiementSecurise.
 * Safe to call any number of times, concurrently: the wallet is credited once.
 */
export async function settlePayment(ctx: CoreContext, idOp: string, deps: PayfipDeps = {}): Promise<SettleResult> {
  if (typeof idOp !== 'string' || !IDOP_RE.test(idOp)) return { outcome: 'unknown', paymentId: null };
  const payment: PaymentRow | undefined = await ctx.db('online_payments').where('id_op', idOp).first();
  if (!payment) return { outcome: 'unknown', paymentId: null };
  if (payment.status === 'paid') return { outcome: 'already_paid', paymentId: payment.id };
  if (payment.status === 'refused' || payment.status === 'abandoned') return { outcome: payment.status, paymentId: payment.id };

  const { client, settings } = await resolveDeps(ctx.db, deps);
  let detail: PaymentDetail;
  try {
    detail = await client.recupererDetailPaiementSecurise(idOp);
  } catch (err) {
    const nowIso = ctx.clock.now().toISOString();
    const stillUnknown = err instanceof PayfipFault && (err.code === 'P5' || err.code === 'P1');
    await ctx.db('online_payments')
      .where('id', payment.id)
      .whereNot('status', 'paid')
      .update({
        check_count: payment.check_count + 1,
        last_checked_at: nowIso,
        last_error: String((err as Error).message).slice(0, 300),
        updated_at: nowIso,
      });
    // P5: in progress. P1 on one of our own idOps: PayFiP forgot it (purged): it can never be paid.
    return { outcome: stillUnknown ? 'pending' : 'error', paymentId: payment.id };
  }

  // The answer must describe this very payment; anything else is refused and left for a human.
  const mismatch =
    detail.idOp !== idOp
      ? 'idOp'
      : detail.refdet !== payment.refdet
        ? 'refdet'
        : detail.montant !== payment.amount_cents
          ? 'montant'
          : detail.numcli !== settings.numcli
            ? 'numcli'
            : null;
  if (mismatch) {
    const nowIso = ctx.clock.now().toISOString();
    await ctx.db('online_payments')
      .where('id', payment.id)
      .whereNot('status', 'paid')
      .update({ last_error: `Réponse PayFiP incohérente (${mismatch})`, last_checked_at: nowIso, check_count: payment.check_count + 1, updated_at: nowIso });
    return { outcome: 'error', paymentId: payment.id };
  }

  const paidAtLocal = parisLocalFromPayfip(detail.dattrans, detail.heurtrans);
  switch (detail.resultrans) {
    case 'P':
    case 'V':
      return creditPayment(ctx, payment.id, detail, paidAtLocal, settings);
    case 'R':
    case 'Z':
      return closePayment(ctx, payment.id, 'refused', detail, paidAtLocal);
    case 'A':
      return closePayment(ctx, payment.id, 'abandoned', detail, paidAtLocal);
    default: {
      const nowIso = ctx.clock.now().toISOString();
      await ctx.db('online_payments')
        .where('id', payment.id)
        .whereNot('status', 'paid')
        .update({ last_error: `Résultat PayFiP inconnu : ${detail.resultrans}`.slice(0, 300), last_checked_at: nowIso, updated_at: nowIso });
      return { outcome: 'error', paymentId: payment.id };
    }
  }
}

async function closePayment(
  ctx: CoreContext,
  paymentId: number,
  status: 'refused' | 'abandoned',
  detail: PaymentDetail,
  paidAtLocal: string | null,
): Promise<SettleResult> {
  const nowIso = ctx.clock.now().toISOString();
  const n = await ctx.db('online_payments')
    .where('id', paymentId)
    .whereIn('status', ['pending', 'expired', 'error'])
    .update({ status, resultrans: detail.resultrans, paid_at_local: paidAtLocal, last_checked_at: nowIso, last_error: null, updated_at: nowIso });
  if (n === 0) {
    const current: { status: PaymentStatus } | undefined = await ctx.db('online_payments').where('id', paymentId).first('status');
    return { outcome: current?.status === 'paid' ? 'already_paid' : status, paymentId };
  }
  return { outcome: status, paymentId };
}

async function creditPayment(
  ctx: CoreContext,
  paymentId: number,
  detail: PaymentDetail,
  paidAtLocal: string | null,
  settings: PayfipSettings,
): Promise<SettleResult> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  try {
    return await writeTransaction(ctx.db, async (trx) => {
      // Re-read under the write lock: a concurrent notification may have credited it meanwhile.
      const marked = await trx('online_payments')
        .where('id', paymentId)
        .whereNot('status', 'paid')
        .update({
          status: 'paid',
          resultrans: detail.resultrans,
          numauto: detail.numauto.slice(0, 20) || null,
          paid_at_local: paidAtLocal,
          last_checked_at: nowIso,
          last_error: null,
          updated_at: nowIso,
        });
      if (marked === 0) return { outcome: 'already_paid' as const, paymentId };
      const p: PaymentRow & { wallet_label: string } = await trx('online_payments as o')
        .join('wallets as w', 'w.id', 'o.wallet_id')
        .where('o.id', paymentId)
        .first('o.*', 'w.label as wallet_label');

      await appendLedgerEntry(
        trx,
        {
          familyId: p.family_id,
          walletId: p.wallet_id,
          amountCents: p.amount_cents,
          kind: 'online_payment',
          label: `Paiement en ligne PayFiP (réf. ${p.refdet})`,
          onlinePaymentId: p.id,
        },
        now,
      );
      const invoice = await issueInvoice(
        trx,
        {
          familyId: p.family_id,
          kind: 'topup',
          status: 'paid',
          onlinePaymentId: p.id,
          issuedOn: paidAtLocal?.slice(0, 10) ?? parisDateOf(now),
          lines: [{ label: `Crédit du porte-monnaie « ${p.wallet_label} » — paiement en ligne (réf. ${p.refdet})`, quantity: 1, unitCents: p.amount_cents }],
        },
        now,
      );
      const balanceCents = await getBalance(trx, p.family_id, p.wallet_id);
      const mail = paymentConfirmationMail({
        amountCents: p.amount_cents,
        walletLabel: p.wallet_label,
        refdet: p.refdet,
        paidAtLocal,
        invoiceNumber: invoice.number,
        balanceCents,
        portalUrl: settings.publicBaseUrl,
        commune: await loadMailCommune(trx),
      });
      await enqueueMail(trx, { kind: 'payment_confirmation', to: p.email, ...mail, familyId: p.family_id }, now);
      await audit(
        trx,
        { kind: 'system' },
        {
          action: 'payment.paid',
          entity: 'online_payment',
          entityId: p.id,
          familyId: p.family_id,
          before: { status: p.status },
          after: { status: 'paid', amountCents: p.amount_cents, resultrans: detail.resultrans, numauto: detail.numauto, invoiceNumber: invoice.number, balanceCents },
        },
        now,
      );
      return { outcome: 'paid' as const, paymentId };
    });
  } catch (err) {
    // Another process credited this payment between our read and our insert (PostgreSQL, or a
    // second server on the same file): the unique online_payment_id refused the second credit.
    if (isUniqueViolation(err)) return { outcome: 'already_paid', paymentId };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The later check

export interface CheckResult {
  checked: number;
  paid: number;
  closed: number;
  expired: number;
  stillPending: number;
}

/**
 * Asks PayFiP again about pending payments older than a minute (their notification may never
 * come), at most once a minute each; a payment still unknown after ~20 minutes is expired, as is
 * one that never got an idOp (PayFiP was unreachable, or the process stopped in between).
 */
export async function checkPendingPayments(ctx: CoreContext, deps: PayfipDeps = {}, limit = 50): Promise<CheckResult> {
  const now = ctx.clock.now();
  const result: CheckResult = { checked: 0, paid: 0, closed: 0, expired: 0, stillPending: 0 };
  const olderThan = new Date(now.getTime() - RECHECK_AFTER_MS).toISOString();
  const expireBefore = new Date(now.getTime() - EXPIRE_AFTER_MS).toISOString();

  const rows: Array<Pick<PaymentRow, 'id' | 'id_op' | 'created_at'>> = await ctx.db('online_payments')
    .where('status', 'pending')
    .where('created_at', '<=', olderThan)
    .where((q) => q.whereNull('last_checked_at').orWhere('last_checked_at', '<=', olderThan))
    .orderBy('created_at')
    .limit(limit)
    .select('id', 'id_op', 'created_at');
  if (rows.length === 0) return result;

  const resolved = await resolveDeps(ctx.db, deps);
  for (const row of rows) {
    let outcome: SettleOutcome = 'pending';
    if (row.id_op) {
      result.checked++;
      outcome = (await settlePayment(ctx, row.id_op, resolved)).outcome;
    }
    if (outcome === 'paid') result.paid++;
    else if (outcome === 'refused' || outcome === 'abandoned') result.closed++;
    else if ((outcome === 'pending' || outcome === 'error') && row.created_at <= expireBefore) {
      const nowIso = ctx.clock.now().toISOString();
      const n = await ctx.db('online_payments').where({ id: row.id, status: 'pending' }).update({ status: 'expired', updated_at: nowIso });
      if (n === 1) result.expired++;
    } else if (outcome === 'pending' || outcome === 'error') result.stillPending++;
  }
  return result;
}
