/**
 * Online top-up through PayFiP (régie web-service flow), see ../shared/PAYFIP.md.
 *
 * 1. createTopUp records the pending payment (unique refdet) and commits BEFORE anything leaves,
 *    then asks PayFiP for an idOp and answers the payment page's URL.
 * 2. PayFiP posts `idop` to /payfip/notification and sends the browser to /payfip/retour; both
 *    call settlePayment (./payment-settle.ts), which never trusts the caller: it asks
 *    recupererDetailPaiementSecurise and acts on that answer only, crediting once per payment.
 * 3. checkPendingPayments asks again for payments whose notification never came; a payment is
 *    expired only on PayFiP's own answer, never because PayFiP could not be reached.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeParent, authorizeStaff } from './policy.js';
import { formatCentsPlain } from './money.js';
import { writeTransaction } from './tx.js';
import { audit } from './audit.js';
import { insertedId } from './wallet.js';
import { parisDateOf, parisYearOf } from './dates.js';
import { priceForFamily } from './tariffs.js';
import { checkParts, insertParts, partsOf } from './payment-parts.js';
import { EXPIRE_AFTER_MS, RECHECK_AFTER_MS, isUniqueViolation, resolveDeps, type PayfipDeps, type PaymentRow, type PaymentStatus } from './payment-settle.js';
import {
  TOPUP_AMOUNT_MESSAGE,
  TOPUP_CENTS_MESSAGE,
  TOPUP_MAX_CENTS,
  TOPUP_MAX_TICKETS,
  TOPUP_MIN_CENTS,
  TOPUP_STATUS_LABELS,
  cleanReturnPath,
  isPortalReturnPath,
  RETURN_PATH_MESSAGE,
  type TopUpAnswer,
  type TopUpPart,
  type TopUpPartInput,
  type TopUpStatus,
} from '../api/payments.js';

export {
  EXPIRE_AFTER_MS,
  RECHECK_AFTER_MS,
  checkPendingPayments,
  settlePayment,
  type CheckResult,
  type PayfipDeps,
  type PaymentStatus,
  type SettleOutcome,
  type SettleResult,
} from './payment-settle.js';

/** At most this many payments started by a family in EXPIRE_AFTER_MS and still pending. */
const MAX_OPEN_PAYMENTS_PER_FAMILY = 5;

export const PAYMENT_UNAVAILABLE_MESSAGE =
  'Le service de paiement en ligne est momentanément indisponible. Réessayez plus tard ou réglez au secrétariat de la Mairie.';

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

// ---------------------------------------------------------------------------------------------
// Creating a top-up

/** The body of before the split: one wallet, an amount or a number of tickets of one of its activities. */
async function singleWalletPart(trx: Knex, familyId: number, input: TopUpInput, byTickets: boolean): Promise<{ parts: TopUpPart[]; what: string }> {
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
  return { parts: [{ walletId: wallet.id, walletLabel: wallet.label, amountCents }], what };
}

export interface TopUpInput {
  /** One wallet (with amountCents or tickets)… */
  walletId?: number;
  amountCents?: number;
  activityId?: number;
  tickets?: number;
  /** …or an amount for each of several wallets, paid in one PayFiP payment. */
  parts?: TopUpPartInput[];
  /** The portal path the parent started from; the return page sends her back there. */
  returnPath?: string;
}

/**
 * A parent starts an online top-up. The pending payment is committed before PayFiP is called, so
 * whatever happens next (crash, timeout) leaves a trace that the checker can follow.
 */
export async function createTopUp(ctx: CoreContext, actor: Actor, input: TopUpInput, deps: PayfipDeps = {}): Promise<TopUpAnswer> {
  const parent = authorizeParent(actor, 'payments.online');
  const familyId = parent.familyId;
  const byParts = input.parts !== undefined && input.parts !== null;
  if (!byParts && (!Number.isSafeInteger(input.walletId) || (input.walletId as number) <= 0)) throw invalid('Choisissez le porte-monnaie à créditer.');
  const byAmount = input.amountCents !== undefined && input.amountCents !== null;
  const byTickets = input.tickets !== undefined && input.tickets !== null;
  if (Number(byAmount) + Number(byTickets) + Number(byParts) !== 1) throw invalid('Indiquez soit un montant, soit un nombre de tickets.');
  if (input.returnPath !== undefined && !isPortalReturnPath(input.returnPath)) throw invalid(RETURN_PATH_MESSAGE, { field: 'returnPath' });
  const returnPath = input.returnPath === undefined ? null : cleanReturnPath(input.returnPath);

  const { client, settings } = await resolveDeps(ctx.db, deps);
  const now = ctx.clock.now();

  const pending = await writeTransaction(ctx.db, async (trx) => {
    let parts: TopUpPart[];
    let what: string;
    if (byParts) {
      parts = await checkParts(trx, input.parts as TopUpPartInput[]);
      what = parts.map((p) => p.walletLabel).join(' et ');
    } else {
      ({ parts, what } = await singleWalletPart(trx, familyId, input, byTickets));
    }
    const amountCents = parts.reduce((sum, p) => sum + p.amountCents, 0);
    const walletId = parts[0]!.walletId;

    // The payer's address: the account's own, else its contact card's, else a billing contact's.
    const account: { email: string | null; contact_email: string | null } | undefined = await trx('parent_accounts as p')
      .leftJoin('contacts as c', 'c.id', 'p.contact_id')
      .where('p.id', parent.parentAccountId)
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
        wallet_id: walletId,
        return_path: returnPath,
        parent_account_id: parent.parentAccountId,
        amount_cents: amountCents,
        email,
        objet,
        status: 'pending',
        next_check_at: new Date(now.getTime() + RECHECK_AFTER_MS).toISOString(),
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const paymentId = insertedId(row);
    await insertParts(trx, paymentId, parts);
    await audit(
      trx,
      actor,
      { action: 'payment.create', entity: 'online_payment', entityId: paymentId, familyId, after: { amountCents, walletId, parts: parts.map((p) => ({ walletId: p.walletId, amountCents: p.amountCents })), refdet } },
      now,
    );
    return { paymentId, refdet, amountCents, email, objet };
  }, { familyId });

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
      .update({ status: 'error', last_error: String((err as Error).message).slice(0, 300), next_check_at: null, updated_at: ctx.clock.now().toISOString() });
    throw new DomainError('PAYMENT_ERROR', PAYMENT_UNAVAILABLE_MESSAGE);
  }
  try {
    await ctx.db('online_payments').where('id', pending.paymentId).update({ id_op: idOp, updated_at: ctx.clock.now().toISOString() });
  } catch (err) {
    // An idOp already attached to another payment: never let two payments share one.
    if (!isUniqueViolation(err)) throw err;
    await ctx.db('online_payments')
      .where({ id: pending.paymentId, status: 'pending' })
      .update({ status: 'error', last_error: `idOp déjà utilisé : ${idOp}`.slice(0, 300), next_check_at: null, updated_at: ctx.clock.now().toISOString() });
    throw new DomainError('PAYMENT_ERROR', PAYMENT_UNAVAILABLE_MESSAGE);
  }
  return { paymentId: pending.paymentId, redirectUrl: `${settings.paymentPageUrl}?idop=${encodeURIComponent(idOp)}` };
}

// ---------------------------------------------------------------------------------------------
// Reading a top-up

// Each says only what is known: "nothing was debited" only where PayFiP said so, or where the
// parent never reached its page.
const statusMessages: Record<PaymentStatus, string> = {
  pending: 'Votre paiement est en cours de vérification auprès du Trésor Public. Votre compte sera crédité dès que le paiement sera confirmé.',
  paid: 'Votre paiement a été accepté : votre compte est crédité.',
  refused: 'Votre paiement a été refusé par la banque. Aucun montant n’a été débité.',
  abandoned: 'Vous avez abandonné le paiement. Aucun montant n’a été débité.',
  expired: 'Le délai de paiement est dépassé : le Trésor Public n’a enregistré aucun paiement. Aucun montant n’a été débité.',
  error: `${PAYMENT_UNAVAILABLE_MESSAGE} Aucun montant n’a été débité.`,
};

/** Pending, PayFiP could not be asked yet. */
const PENDING_UNANSWERED_MESSAGE =
  'Le Trésor Public n’a pas encore pu confirmer votre paiement : nous le vérifions à nouveau automatiquement. Si vous avez payé, votre compte sera crédité dès la confirmation ; ne payez pas une seconde fois.';
/** Pending after an "A" in the first 20 minutes: the payer may still pay on PayFiP's page. */
const PENDING_ABANDONED_MESSAGE =
  'Vous avez quitté la page de paiement sans payer : aucun montant n’a été débité pour l’instant. Si vous avez finalement payé, votre compte sera crédité dès que le Trésor Public le confirmera.';

/** The parent's sentence for a payment's state. */
export function topUpMessage(row: Pick<PaymentRow, 'status' | 'resultrans' | 'unanswered_checks'>): string {
  if (row.status === 'pending' && row.unanswered_checks > 0) return PENDING_UNANSWERED_MESSAGE;
  if (row.status === 'pending' && row.resultrans === 'A') return PENDING_ABANDONED_MESSAGE;
  return statusMessages[row.status] ?? TOPUP_STATUS_LABELS[row.status];
}

/** One top-up of the actor's family (a parent sees only their own; staff see any). */
export async function getTopUp(ctx: CoreContext, actor: Actor, paymentId: number): Promise<TopUpStatus> {
  if (!Number.isSafeInteger(paymentId) || paymentId <= 0) throw notFound('Paiement');
  const q = ctx.db('online_payments as o')
    .join('wallets as w', 'w.id', 'o.wallet_id')
    .leftJoin('invoices as i', 'i.online_payment_id', 'o.id')
    .where('o.id', paymentId)
    .first('o.*', 'w.label as wallet_label', 'i.id as invoice_id', 'i.number as invoice_number');
  // A parent's query is kept to their family (another family's payment is not found).
  if (actor.kind === 'parent') q.where('o.family_id', actor.familyId);
  else authorizeStaff(actor, 'billing.read');
  const row = (await q) as (PaymentRow & { wallet_label: string; invoice_id: number | null; invoice_number: string | null }) | undefined;
  if (!row) throw notFound('Paiement');
  const parts = (await partsOf(ctx.db, [row])).get(row.id) ?? [];
  return {
    id: row.id,
    status: row.status,
    message: topUpMessage(row),
    amountCents: row.amount_cents,
    walletId: row.wallet_id,
    walletLabel: row.wallet_label,
    parts,
    returnPath: row.return_path ?? null,
    refdet: row.refdet,
    createdAt: row.created_at,
    paidAtLocal: row.paid_at_local,
    invoiceId: row.invoice_id ?? null,
    invoiceNumber: row.invoice_number ?? null,
  };
}
