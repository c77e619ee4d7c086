import { audit } from './audit.js';
import type { PortalAccountView } from '../api/staff.js';
import { createParentAccount, resetParentAccountPassword, verifyPassword } from './auth.js';
import type { Actor, CoreContext } from './context.js';
import { parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { normaliseText } from './family-search.js';
import { getCommune } from './commune.js';
import { welcomeLetterPdf } from './pdf/welcome-letter.js';
import { writeTransaction } from './tx.js';

/**
 * A family's logins to the parents' portal, as the secretariat manages them at the counter:
 * create one for a parent, reset a forgotten password to a temporary one, print the welcome
 * letter with the credentials. Account rules (hashing, audit) live in core/auth.ts.
 */

export type { PortalAccountView };

export async function listPortalAccounts(ctx: CoreContext, actor: Actor, familyId: number): Promise<PortalAccountView[]> {
  authorizeStaff(actor, 'portal-access.manage');
  const rows = (await ctx
    .db('parent_accounts as p')
    .leftJoin('contacts as c', 'c.id', 'p.contact_id')
    .where('p.family_id', familyId)
    .orderBy('p.id')
    .select(
      'p.id',
      'p.username',
      'p.email',
      'p.contact_id',
      'p.active',
      'p.must_change_password',
      'p.locked_until',
      'p.last_login_at',
      'p.created_at',
      'c.first_name',
      'c.last_name',
    )) as Array<Record<string, unknown>>;
  const now = ctx.clock.now().toISOString();
  return rows.map((r) => ({
    id: r.id as number,
    username: r.username as string,
    email: (r.email as string | null) ?? null,
    contactId: (r.contact_id as number | null) ?? null,
    contactName: r.first_name ? `${r.first_name as string} ${r.last_name as string}` : null,
    active: !!r.active,
    mustChangePassword: !!r.must_change_password,
    locked: !!r.locked_until && (r.locked_until as string) > now,
    lastLoginAt: (r.last_login_at as string | null) ?? null,
    createdAt: r.created_at as string,
  }));
}

/** "chantal.devret", then "chantal.devret2"… : readable at the counter, unique. */
export async function suggestUsername(ctx: CoreContext, firstName: string, lastName: string): Promise<string> {
  const part = (s: string) => normaliseText(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  let base = [part(firstName), part(lastName)].filter(Boolean).join('.').slice(0, 50);
  if (base.length < 3) base = `famille.${base || 'eticket'}`;
  const taken = new Set(
    ((await ctx.db('parent_accounts').whereRaw('lower(username) like ?', [`${base}%`]).select('username')) as Array<{ username: string }>).map((r) =>
      r.username.toLowerCase(),
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/**
 * Creates a portal login for a parent of the family (a contact card), with a temporary
 * password returned once, for the welcome letter.
 */
export async function createPortalLogin(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; contactId: number; username?: string | null },
): Promise<{ parentAccountId: number; username: string; temporaryPassword: string }> {
  authorizeStaff(actor, 'portal-access.manage');
  const contact = (await ctx.db('contacts').where({ id: input.contactId, family_id: input.familyId }).first('id', 'first_name', 'last_name', 'email')) as
    | { id: number; first_name: string; last_name: string; email: string }
    | undefined;
  if (!contact) throw notFound('Fiche de contact');
  // The guide: the portal's reset links and notices go by e-mail, so no access without one.
  if (!contact.email?.trim())
    throw invalid(`Adresse e-mail manquante : complétez la fiche de ${contact.first_name} ${contact.last_name} avant d’ouvrir son accès au portail.`, { field: 'contactId' });
  const existing = await ctx.db('parent_accounts').where({ family_id: input.familyId, contact_id: contact.id }).first('username');
  if (existing) throw new DomainError('CONFLICT', `Cette personne a déjà un accès au portail (identifiant ${(existing as { username: string }).username}).`);
  const username = input.username?.trim() || (await suggestUsername(ctx, contact.first_name, contact.last_name));
  return createParentAccount(ctx, actor, { familyId: input.familyId, contactId: contact.id, username, email: contact.email || null });
}

async function accountOfFamily(ctx: CoreContext, familyId: number, parentAccountId: number) {
  const account = (await ctx.db('parent_accounts').where({ id: parentAccountId, family_id: familyId }).first('id', 'username', 'password_hash', 'must_change_password', 'contact_id')) as
    | { id: number; username: string; password_hash: string; must_change_password: number | boolean; contact_id: number | null }
    | undefined;
  if (!account) throw notFound('Compte du portail');
  return account;
}

/** A new temporary password for a parent who lost theirs (sessions closed, audited in core/auth). */
export async function resetPortalPassword(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; parentAccountId: number },
): Promise<{ parentAccountId: number; username: string; temporaryPassword: string }> {
  authorizeStaff(actor, 'portal-access.manage');
  await accountOfFamily(ctx, input.familyId, input.parentAccountId);
  const result = await resetParentAccountPassword(ctx, actor, { parentAccountId: input.parentAccountId });
  return { parentAccountId: input.parentAccountId, ...result };
}

/**
 * Turns a parent's portal login off (a parent who left the household, a login given by mistake)
 * or back on. Off, it cannot sign in (core/auth.ts refuses inactive accounts) and its open
 * sessions are dropped at once; the password is kept, so turning it back on restores the login.
 * Audited with before and after.
 */
export async function setPortalAccountActive(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; parentAccountId: number; active: boolean },
): Promise<PortalAccountView> {
  const staff = authorizeStaff(actor, 'portal-access.manage');
  if (typeof input.active !== 'boolean') throw invalid('État de l’accès invalide : actif ou désactivé.');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const account = (await trx('parent_accounts').where({ id: input.parentAccountId, family_id: input.familyId }).first('id', 'username', 'active')) as
      | { id: number; username: string; active: number | boolean }
      | undefined;
    if (!account) throw notFound('Compte du portail');
    if (!!account.active === input.active) return;
    await trx('parent_accounts')
      .where('id', account.id)
      .update({ active: input.active, ...(input.active ? { failed_logins: 0, locked_until: null } : {}), updated_at: now.toISOString() });
    if (!input.active) await trx('sessions').where('parent_account_id', account.id).delete();
    await audit(
      trx,
      staff,
      {
        action: input.active ? 'account.reactivate' : 'account.deactivate',
        entity: 'parent_account',
        entityId: account.id,
        familyId: input.familyId,
        before: { username: account.username, active: !!account.active },
        after: { username: account.username, active: input.active },
      },
      now,
    );
  });
  const accounts = await listPortalAccounts(ctx, actor, input.familyId);
  return accounts.find((a) => a.id === input.parentAccountId)!;
}

/**
 * The welcome letter PDF. The password is not stored in clear, so the console sends back the
 * temporary password it just received; it is checked against the account, which must still
 * be waiting for its first sign-in. A lost letter means a new reset.
 */
export async function welcomeLetter(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; parentAccountId: number; temporaryPassword: string; portalUrl: string },
): Promise<{ filename: string; pdf: Uint8Array }> {
  authorizeStaff(actor, 'portal-access.manage');
  const account = await accountOfFamily(ctx, input.familyId, input.parentAccountId);
  if (!account.must_change_password || !(await verifyPassword(input.temporaryPassword, account.password_hash))) {
    throw invalid('Ce mot de passe provisoire ne correspond plus au compte : réinitialisez le mot de passe pour imprimer une nouvelle lettre.');
  }
  const family = (await ctx.db('families').where({ id: input.familyId }).first('name', 'code')) as { name: string; code: string };
  const contactQuery = ctx.db('contacts').where({ family_id: input.familyId });
  if (account.contact_id != null) contactQuery.where({ id: account.contact_id });
  else contactQuery.orderBy([{ column: 'use_for_billing', order: 'desc' }, 'position', 'id']);
  const contact = (await contactQuery.first('relationship', 'first_name', 'last_name', 'address1', 'address2', 'address3', 'postal_code', 'city')) as
    | Record<string, string>
    | undefined;
  const commune = await getCommune(ctx.db);
  const civility = contact?.relationship === 'MERE' ? 'Madame' : contact?.relationship === 'PERE' ? 'Monsieur' : 'Madame, Monsieur';
  const now = ctx.clock.now();
  const pdf = await welcomeLetterPdf(
    {
      familyName: family.name,
      familyCode: family.code,
      addressee: contact ? `${civility} ${contact.first_name} ${contact.last_name}` : `Famille ${family.name}`,
      addressLines: contact
        ? [contact.address1, contact.address2, contact.address3, `${contact.postal_code ?? ''} ${contact.city ?? ''}`.trim()].filter((l): l is string => !!l)
        : [],
      username: account.username,
      temporaryPassword: input.temporaryPassword,
      portalUrl: input.portalUrl,
      date: parisToday(now),
      commune,
    },
    now,
  );
  return { filename: `lettre-bienvenue-${account.username}.pdf`, pdf };
}
