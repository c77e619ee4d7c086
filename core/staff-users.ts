import type { Knex } from 'knex';
import { audit } from './audit.js';
import { generateTemporaryPassword, hashPassword } from './auth.js';
import { STAFF_ROLES, type StaffRole } from '../api/rules.js';
import type { StaffUserView } from '../api/staff.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * Staff accounts (admin only): the mairie's agents sign in to the console with one of three
 * roles. admin = everything; secretariat = counter, families, exports, messages, but neither
 * staff accounts nor activities, tariffs and calendar; restauration = meal lists, attendance
 * and attendance exports only.
 */

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,59}$/;

interface StaffRow {
  id: number;
  username: string;
  display_name: string;
  role: StaffRole;
  email: string | null;
  active: number | boolean;
  must_change_password: number | boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
}

function toView(r: StaffRow, now: Date): StaffUserView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    email: r.email,
    active: !!r.active,
    mustChangePassword: !!r.must_change_password,
    locked: !!r.locked_until && r.locked_until > now.toISOString(),
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
  };
}

const columns = ['id', 'username', 'display_name', 'role', 'email', 'active', 'must_change_password', 'locked_until', 'last_login_at', 'created_at'];

export async function listStaffUsers(ctx: CoreContext, actor: Actor): Promise<StaffUserView[]> {
  authorizeStaff(actor, 'staff-accounts.manage');
  const rows = (await ctx.db('staff_users').select(columns).orderBy([{ column: 'active', order: 'desc' }, 'username'])) as StaffRow[];
  const now = ctx.clock.now();
  return rows.map((r) => toView(r, now));
}

function cleanDisplayName(name: string): string {
  const text = name.trim().replace(/\s+/g, ' ');
  if (text.length < 2 || text.length > 120) throw invalid('Le nom affiché doit compter de 2 à 120 caractères.');
  return text;
}

function cleanEmail(email: string | null | undefined): string | null {
  const text = (email ?? '').trim();
  if (!text) return null;
  if (text.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw invalid('Adresse e-mail invalide.');
  return text;
}

function checkRole(role: string): StaffRole {
  if (!STAFF_ROLES.includes(role as StaffRole)) throw invalid('Rôle inconnu : choisissez administrateur, secrétariat ou restauration.');
  return role as StaffRole;
}

/** Creates an agent's account with a temporary password, to be changed at first sign-in. */
export async function createStaffUser(
  ctx: CoreContext,
  actor: Actor,
  input: { username: string; displayName: string; role: StaffRole; email?: string | null },
): Promise<{ user: StaffUserView; temporaryPassword: string }> {
  const admin = authorizeStaff(actor, 'staff-accounts.manage');
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_RE.test(username)) throw invalid('Identifiant invalide : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.');
  const displayName = cleanDisplayName(input.displayName);
  const role = checkRole(input.role);
  const email = cleanEmail(input.email);
  const temporaryPassword = generateTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = await writeTransaction(ctx.db, async (trx) => {
    const taken = await trx('staff_users').whereRaw('lower(username) = ?', [username]).first('id');
    if (taken) throw new DomainError('CONFLICT', 'Cet identifiant est déjà utilisé.');
    const [row] = await trx('staff_users')
      .insert({ username, display_name: displayName, role, email, password_hash: hash, must_change_password: true, active: true, failed_logins: 0, created_at: at, updated_at: at })
      .returning('id');
    const newId = insertedId(row);
    await audit(trx, admin, { action: 'staff_user.create', entity: 'staff_user', entityId: newId, after: { username, displayName, role, email } }, now);
    return newId;
  });
  const row = (await ctx.db('staff_users').where({ id }).first(columns)) as StaffRow;
  return { user: toView(row, now), temporaryPassword };
}

async function activeAdminCount(trx: Knex, exceptId: number): Promise<number> {
  const row = await trx('staff_users').where({ role: 'admin', active: true }).whereNot({ id: exceptId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Changes an agent's name, role, e-mail or active flag. The last active admin cannot be removed. */
export async function updateStaffUser(
  ctx: CoreContext,
  actor: Actor,
  input: { id: number; displayName?: string; role?: StaffRole; email?: string | null; active?: boolean },
): Promise<StaffUserView> {
  const admin = authorizeStaff(actor, 'staff-accounts.manage');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = (await trx('staff_users').where({ id: input.id }).first(columns)) as StaffRow | undefined;
    if (!before) throw notFound('Compte');
    const patch: Record<string, unknown> = {};
    if (input.displayName !== undefined) patch.display_name = cleanDisplayName(input.displayName);
    if (input.role !== undefined) patch.role = checkRole(input.role);
    if (input.email !== undefined) patch.email = cleanEmail(input.email);
    if (input.active !== undefined) patch.active = input.active;
    const losesAdmin = before.role === 'admin' && !!before.active && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
    if (losesAdmin && (await activeAdminCount(trx, before.id)) === 0) {
      throw new DomainError('CONFLICT', 'Il doit rester au moins un administrateur actif.');
    }
    if (Object.keys(patch).length === 0) return;
    patch.updated_at = now.toISOString();
    await trx('staff_users').where({ id: before.id }).update(patch);
    // A deactivated or re-roled agent signs in again, so the new rights apply at once.
    if (patch.active === false || (patch.role !== undefined && patch.role !== before.role)) {
      await trx('sessions').where({ staff_user_id: before.id }).delete();
    }
    await audit(
      trx,
      admin,
      {
        action: 'staff_user.update',
        entity: 'staff_user',
        entityId: before.id,
        before: { displayName: before.display_name, role: before.role, email: before.email, active: !!before.active },
        after: { displayName: patch.display_name ?? before.display_name, role: patch.role ?? before.role, email: patch.email === undefined ? before.email : patch.email, active: patch.active ?? !!before.active },
      },
      now,
    );
  });
  const row = (await ctx.db('staff_users').where({ id: input.id }).first(columns)) as StaffRow;
  return toView(row, now);
}

/** Gives an agent a new temporary password (forgotten password), unlocking the account. */
export async function resetStaffPassword(ctx: CoreContext, actor: Actor, input: { id: number }): Promise<{ username: string; temporaryPassword: string }> {
  const admin = authorizeStaff(actor, 'staff-accounts.manage');
  const temporaryPassword = generateTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const now = ctx.clock.now();
  const username = await writeTransaction(ctx.db, async (trx) => {
    const row = (await trx('staff_users').where({ id: input.id }).first('id', 'username')) as { id: number; username: string } | undefined;
    if (!row) throw notFound('Compte');
    await trx('staff_users').where({ id: row.id }).update({ password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null, updated_at: now.toISOString() });
    await trx('sessions').where({ staff_user_id: row.id }).delete();
    await audit(trx, admin, { action: 'staff_user.password_reset', entity: 'staff_user', entityId: row.id }, now);
    return row.username;
  });
  return { username, temporaryPassword };
}
