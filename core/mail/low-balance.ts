/**
 * Low-balance alert, once per crossing: when a debit takes a family's balance in a wallet under
 * the family's threshold, a row is written in low_balance_alerts and a mail is queued; no other
 * alert goes while that row exists; the row is cleared when the balance is back at or above the
 * threshold, so the next crossing alerts again. Called by appendLedgerEntry, in its transaction.
 */
import type { Knex } from 'knex';
import { enqueueMail } from './outbox.js';
import { lowBalanceMail } from './templates.js';
import { loadMailCommune } from './commune.js';
import { getPayfipSettings } from '../payfip/settings.js';
import { familyMailRecipients } from './recipients.js';

export { familyMailRecipients };

export async function checkLowBalance(
  trx: Knex,
  entry: { familyId: number; walletId: number; amountCents: number },
  now: Date,
): Promise<void> {
  // One read for the family's threshold, the wallet's balance after the entry and its alert:
  // this runs for every ledger entry, a booking toggle's included.
  const family: { name: string; low_balance_threshold_cents: number; total: number | string | null; alerted_at: string | null } | undefined = await trx('families as f')
    .where('f.id', entry.familyId)
    .first(
      'f.name',
      'f.low_balance_threshold_cents',
      trx('ledger_entries').sum('amount_cents').where({ family_id: entry.familyId, wallet_id: entry.walletId }).as('total'),
      trx('low_balance_alerts').select('alerted_at').where({ family_id: entry.familyId, wallet_id: entry.walletId }).limit(1).as('alerted_at'),
    );
  if (!family) return;
  const alert = family.alerted_at != null;
  const balance = Number(family.total ?? 0);
  const threshold = family.low_balance_threshold_cents;

  if (balance >= threshold) {
    if (alert) await trx('low_balance_alerts').where({ family_id: entry.familyId, wallet_id: entry.walletId }).delete();
    return;
  }
  // Under the threshold: only a debit crosses downwards; a credit that still leaves it low says nothing new.
  if (alert || entry.amountCents >= 0) return;

  await trx('low_balance_alerts').insert({ family_id: entry.familyId, wallet_id: entry.walletId, alerted_at: now.toISOString() });
  const recipients = await familyMailRecipients(trx, entry.familyId);
  if (recipients.length === 0) return;
  const wallet: { label: string } | undefined = await trx('wallets').where('id', entry.walletId).first('label');
  const settings = await getPayfipSettings(trx);
  const content = lowBalanceMail({
    familyName: family.name,
    walletLabel: wallet?.label ?? 'Porte-monnaie',
    balanceCents: balance,
    thresholdCents: threshold,
    portalUrl: settings.publicBaseUrl,
    commune: await loadMailCommune(trx),
  });
  for (const to of recipients) {
    await enqueueMail(trx, { kind: 'low_balance', to, ...content, familyId: entry.familyId }, now);
  }
}
