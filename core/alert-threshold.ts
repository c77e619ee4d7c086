import { alertThresholdSchema, type AlertThresholdResponse } from '../api/glance.js';
import { formatEuros } from '../api/format.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { invalid, notFound } from './errors.js';
import { authorizeParent } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * The family's low-balance alert threshold (families.low_balance_threshold_cents), which the
 * alert mail (core/mail/low-balance.ts) and the portal's highlight both read. A parent sets
 * their own family's; the change is audited with the amount before and after.
 */
export async function setAlertThreshold(ctx: CoreContext, actor: Actor, input: { familyId: number; body: unknown }): Promise<AlertThresholdResponse> {
  // The parents' own setting: the desk does not change it for them.
  authorizeParent(actor, 'family.edit', { familyId: input.familyId });
  const parsed = alertThresholdSchema.safeParse(input.body);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'Seuil d’alerte invalide.', { field: 'threshold' });
  const cents = parsed.data.threshold;
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const family: { low_balance_threshold_cents: number } | undefined = await trx('families').where('id', input.familyId).first('low_balance_threshold_cents');
    if (!family) throw notFound('Famille');
    const before = family.low_balance_threshold_cents;
    if (before !== cents) {
      await trx('families').where('id', input.familyId).update({ low_balance_threshold_cents: cents, updated_at: now.toISOString() });
      await audit(trx, actor, {
        action: 'family.alert_threshold', entity: 'family', entityId: input.familyId, familyId: input.familyId,
        before: { thresholdCents: before }, after: { thresholdCents: cents },
        note: `Seuil d’alerte : ${formatEuros(before)} → ${formatEuros(cents)}`,
      }, now);
    }
    return { thresholdCents: cents };
  });
}
