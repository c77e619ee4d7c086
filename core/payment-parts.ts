/**
 * One PayFiP payment for several wallets. PayFiP knows one refdet and one montant (the sum); the
 * split is ours, in online_payment_parts, written with the pending payment. Settling credits each
 * part by its own ledger entry, under the ledger's unique (online_payment_id, wallet_id): a part
 * can never be credited twice, whoever settles (notification, return page, checker, staff).
 */
import type { Knex } from 'knex';
import { invalid } from './errors.js';
import { appendLedgerEntry, getBalances } from './wallet.js';
import {
  TOPUP_AMOUNT_MESSAGE,
  TOPUP_CENTS_MESSAGE,
  TOPUP_MAX_CENTS,
  TOPUP_MAX_PARTS,
  TOPUP_MIN_CENTS,
  TOPUP_PART_DUPLICATE_MESSAGE,
  TOPUP_PART_MESSAGE,
  TOPUP_PART_MIN_CENTS,
  TOPUP_TOTAL_MESSAGE,
  type TopUpPart,
  type TopUpPartInput,
} from '../api/payments.js';

/**
 * Checks a split as the core's own rule (the HTTP schema checks it too, but core is called
 * directly by tests and scripts): each part ≥ 1,00 €, one part per wallet, known wallets, and
 * the total within PayFiP's bounds. Answers the parts with their wallet's label, in input order.
 */
export async function checkParts(trx: Knex, parts: readonly TopUpPartInput[]): Promise<TopUpPart[]> {
  if (!Array.isArray(parts) || parts.length === 0) throw invalid('Indiquez un montant pour au moins un porte-monnaie.', { field: 'parts' });
  if (parts.length > TOPUP_MAX_PARTS) throw invalid('Trop de porte-monnaie dans un seul paiement.', { field: 'parts' });
  const seen = new Set<number>();
  parts.forEach((p, i) => {
    const field = `parts.${i}.amountCents`;
    if (!Number.isSafeInteger(p?.walletId) || p.walletId <= 0) throw invalid('Porte-monnaie invalide.', { field: `parts.${i}.walletId` });
    if (seen.has(p.walletId)) throw invalid(TOPUP_PART_DUPLICATE_MESSAGE, { field: `parts.${i}.walletId` });
    seen.add(p.walletId);
    if (typeof p.amountCents !== 'number' || !Number.isSafeInteger(p.amountCents)) throw invalid(TOPUP_CENTS_MESSAGE, { field });
    if (p.amountCents < TOPUP_PART_MIN_CENTS) throw invalid(TOPUP_PART_MESSAGE, { field, walletId: p.walletId });
    if (p.amountCents > TOPUP_MAX_CENTS) throw invalid(TOPUP_AMOUNT_MESSAGE, { field, walletId: p.walletId });
  });
  const total = parts.reduce((s, p) => s + p.amountCents, 0);
  if (total < TOPUP_MIN_CENTS || total > TOPUP_MAX_CENTS) {
    throw invalid(TOPUP_TOTAL_MESSAGE, { field: 'parts', minCents: TOPUP_MIN_CENTS, maxCents: TOPUP_MAX_CENTS, totalCents: total });
  }
  const wallets: Array<{ id: number; label: string }> = await trx('wallets').whereIn('id', [...seen]).select('id', 'label');
  const labels = new Map(wallets.map((w) => [w.id, w.label]));
  return parts.map((p, i) => {
    const walletLabel = labels.get(p.walletId);
    if (walletLabel === undefined) throw invalid('Porte-monnaie introuvable.', { field: `parts.${i}.walletId` });
    return { walletId: p.walletId, walletLabel, amountCents: p.amountCents };
  });
}

/** Writes the split of a pending payment, in the caller's transaction. */
export async function insertParts(trx: Knex, paymentId: number, parts: readonly TopUpPartInput[]): Promise<void> {
  await trx('online_payment_parts').insert(parts.map((p) => ({ payment_id: paymentId, wallet_id: p.walletId, amount_cents: p.amountCents })));
}

type PaymentRef = { id: number; wallet_id: number; amount_cents: number };

/**
 * Each payment's parts, in two queries whatever the number of payments. A payment of before
 * the split (no parts row) is one part: its wallet_id and amount_cents.
 */
export async function partsOf(db: Knex, payments: readonly PaymentRef[]): Promise<Map<number, TopUpPart[]>> {
  const out = new Map<number, TopUpPart[]>();
  if (payments.length === 0) return out;
  const rows: Array<{ payment_id: number; wallet_id: number; amount_cents: number; label: string }> = await db('online_payment_parts as p')
    .join('wallets as w', 'w.id', 'p.wallet_id')
    .whereIn('p.payment_id', payments.map((p) => p.id))
    .orderBy('p.id')
    .select('p.payment_id', 'p.wallet_id', 'p.amount_cents', 'w.label');
  for (const r of rows) {
    const list = out.get(r.payment_id) ?? [];
    list.push({ walletId: r.wallet_id, walletLabel: r.label, amountCents: r.amount_cents });
    out.set(r.payment_id, list);
  }
  const legacy = payments.filter((p) => !out.has(p.id));
  if (legacy.length > 0) {
    const wallets: Array<{ id: number; label: string }> = await db('wallets').whereIn('id', [...new Set(legacy.map((p) => p.wallet_id))]).select('id', 'label');
    const labels = new Map(wallets.map((w) => [w.id, w.label]));
    for (const p of legacy) out.set(p.id, [{ walletId: p.wallet_id, walletLabel: labels.get(p.wallet_id) ?? '', amountCents: p.amount_cents }]);
  }
  return out;
}

export interface CreditedPart extends TopUpPart {
  balanceCents: number;
}

/**
 * Credits each part of a paid payment with its own ledger entry, in the caller's transaction
 * (the one that marks the payment paid). The parts must add up to PayFiP's montant, checked
 * before: a split that does not is refused rather than credited wrongly.
 */
export async function creditParts(
  trx: Knex,
  p: PaymentRef & { family_id: number; refdet: string },
  now: Date,
): Promise<CreditedPart[]> {
  const parts = (await partsOf(trx, [p])).get(p.id) ?? [];
  const sum = parts.reduce((s, x) => s + x.amountCents, 0);
  if (sum !== p.amount_cents) throw new Error(`Paiement ${p.id} : la répartition (${sum}) ne fait pas le montant (${p.amount_cents}).`);
  for (const part of parts) {
    await appendLedgerEntry(
      trx,
      {
        familyId: p.family_id,
        walletId: part.walletId,
        amountCents: part.amountCents,
        kind: 'online_payment',
        label: `Paiement en ligne PayFiP (réf. ${p.refdet})`,
        onlinePaymentId: p.id,
      },
      now,
    );
  }
  const balances = new Map((await getBalances(trx, p.family_id)).map((b) => [b.walletId, b.balanceCents]));
  return parts.map((part) => ({ ...part, balanceCents: balances.get(part.walletId) ?? 0 }));
}
