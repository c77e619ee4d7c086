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
  const family: { name: string; low_balance_threshold_cents: number } | undefined = await trx('families')
    .where('id', entry.familyId)
    .first('name', 'low_balance_threshold_cents');
  const sum: { total?: number | string | null } | undefined = await trx('ledger_entries')
    .where({ family_id: entry.familyId, wallet_id: entry.walletId })
    .sum({ total: 'amount_cents' })
    .first();
  const alert = await trx('low_balance_alerts').where({ family_id: entry.familyId, wallet_id: entry.walletId }).first('alerted_at');
  if (!family) return;
  const balance = Number(sum?.total ?? 0);
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
