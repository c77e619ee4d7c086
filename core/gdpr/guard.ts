import type { Knex } from 'knex';
import type { FamilyGdprView, GdprBalance } from '../../api/gdpr.js';
import type { Actor, CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { formatCents } from '../money.js';
import { getBalances } from '../wallet.js';

export const pseudonymOf = (familyId: number): string => `Famille anonymisée n° ${familyId}`;

/** The first non-zero wallet's French refusal, or null: money still owed either way blocks erasure. */
export function balanceRefusal(balances: ReadonlyArray<GdprBalance>): string | null {
  const open = balances.find((b) => b.balanceCents !== 0);
  return open ? `Le solde ${open.label} est de ${formatCents(open.balanceCents)} : remboursez ou régularisez avant d’anonymiser.` : null;
}

export async function gdprBalances(db: Knex, familyId: number): Promise<GdprBalance[]> {
  return (await getBalances(db, familyId)).map((b) => ({ walletId: b.walletId, label: b.label, balanceCents: b.balanceCents }));
}

/** GET /families/:id/gdpr: whether "Anonymiser" is possible now, and why not. */
export async function familyGdprView(ctx: CoreContext, actor: Actor, familyId: number): Promise<FamilyGdprView> {
  authorizeStaff(actor, 'gdpr.export');
  const family = (await ctx.db('families').where('id', familyId).first('id', 'anonymised_at')) as { id: number; anonymised_at: string | null } | undefined;
  if (!family) throw notFound('Famille');
  const balances = await gdprBalances(ctx.db, familyId);
  const blockedBy = family.anonymised_at ? 'Cette famille est déjà anonymisée.' : balanceRefusal(balances);
  return { familyId, anonymisedAt: family.anonymised_at, balances, blockedBy };
}
