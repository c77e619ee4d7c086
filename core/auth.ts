import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { audit } from './audit.js';
import type { Actor, CoreContext, StaffRole } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { loadMailCommune } from './mail/commune.js';
import { activeLock, lockedError, recordFailedLogin, type AccountTable } from './login-lock.js';
import { enqueueMail } from './mail/outbox.js';
import { passwordResetMail, type MailCommune } from './mail/templates.js';
import { checkPasswordStrength } from './password-strength.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { DEFAULT_SESSION_POLICY, loadSessionPolicy, SECURITY_SETTINGS_KEY, sessionPolicyFromText } from './settings/security.js';
import { DEMO_PASSWORD, isProductionInstall } from './install.js';
import { writeTransaction } from './tx.js';

/**
 * Accounts and sessions of parents and staff: scrypt password hashes, server-side sessions
 * (the cookie holds a random token, the table its SHA-256), login throttling, password change,
 * and password reset by e-mail link.
 */

// ---------------------------------------------------------------------------------------------
// Passwords (hashing in ./passwords.ts, strength in ./password-strength.ts)

export { hashPassword, verifyPassword } from './passwords.js';

let dummyHash: Promise<string> | undefined;
/** Verifying against a throw-away hash keeps an unknown username as slow as a wrong password. */
async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('compte-inexistant');
  await verifyPassword(password, await dummyHash);
}

// ---------------------------------------------------------------------------------------------
// Tokens

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud at the counter

/** A temporary password for a welcome letter, e.g. "k7mp-9wqa-3hxt" (must be changed at first login). */
export function generateTemporaryPassword(): string {
  const group = () => Array.from({ length: 4 }, () => TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** The defaults; the admin's "Sécurité" settings (core/settings/security.ts) stand over them. */
export const SESSION_POLICY = DEFAULT_SESSION_POLICY;

/** Sliding expiry is written at most once a minute, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export { LOCK_MINUTES, MAX_FAILED_LOGINS } from './login-lock.js';
/** Parents are locked for 15 minutes; staff get growing delays (./login-lock.ts), so each hears its own rule. */
export const LOGIN_FAILED_MESSAGES: Record<AccountTable, string> = {
  parent_accounts: 'Identifiant ou mot de passe incorrect. Après 5 essais infructueux, le compte est bloqué pendant 15 minutes.',
  staff_users: 'Identifiant ou mot de passe incorrect. Après 5 essais infructueux, le compte est bloqué quelques minutes.',
};

export type SessionAuth =
  | { kind: 'parent'; parentAccountId: number; familyId: number; username: string; mustChangePassword: boolean }
  | { kind: 'staff'; staffUserId: number; role: StaffRole; name: string; username: string; mustChangePassword: boolean };

export interface ResolvedSession {
  tokenHash: string;
  csrfToken: string;
  expiresAt: string;
  auth: SessionAuth;
}

export interface LoginResult {
  /** Goes into the cookie; only its hash is stored. */
  token: string;
  session: ResolvedSession;
  /** The session's absolute length, for the cookie's Max-Age. */
  maxAgeMs: number;
}

export function actorOf(auth: SessionAuth): Actor {
  return auth.kind === 'parent'
    ? { kind: 'parent', parentAccountId: auth.parentAccountId, familyId: auth.familyId }
    : { kind: 'staff', staffUserId: auth.staffUserId, role: auth.role, name: auth.name };
}

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  must_change_password: number | boolean;
  active: number | boolean;
  failed_logins: number;
  locked_until: string | null;
}

async function login(ctx: CoreContext, table: AccountTable, input: { username: string; password: string }): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase();
  const account: (AccountRow & { family_id?: number; role?: StaffRole; display_name?: string }) | undefined = await ctx.db(table)
    .whereRaw('lower(username) = ?', [username])
    .first();
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const fail = () => new DomainError('UNAUTHENTICATED', LOGIN_FAILED_MESSAGES[table]);

  if (!account || !account.active) {
    await burnVerifyTime(input.password);
    throw fail();
  }
  // A locked account answers at once, without spending a hash on it.
  const locked = activeLock(account, now);
  if (locked) throw lockedError(table, locked);
  // The demo's public password opens nothing on a commune's own install, even if a hash of it got in.
  const demoPassword = input.password === DEMO_PASSWORD && (await isProductionInstall(ctx.db));
  const ok = !demoPassword && (await verifyPassword(input.password, account.password_hash));
  if (!ok) {
    const lockedNow = await recordFailedLogin(ctx.db, table, account.id, now);
    throw lockedNow ? lockedError(table, lockedNow) : fail();
  }
  // A hash below today's cost is replaced now that the password is known.
  const newHash = needsRehash(account.password_hash) ? await hashPassword(input.password) : null;

  const kind = table === 'parent_accounts' ? 'parent' : 'staff';
  const token = randomToken();
  const tokenHash = hashToken(token);
  const csrfToken = randomToken();
  const policy = (await loadSessionPolicy(ctx.db))[kind];
  const expiresAt = new Date(now.getTime() + Math.min(policy.idleMs, policy.absoluteMs)).toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    // A parallel attempt may have locked the account while this password was being checked.
    const current: Pick<AccountRow, 'failed_logins' | 'locked_until'> | undefined = await trx(table)
      .where('id', account.id)
      .first('failed_logins', 'locked_until');
    const lockedMeanwhile = current && activeLock(current, now);
    if (lockedMeanwhile) throw lockedError(table, lockedMeanwhile);
    await trx(table)
      .where('id', account.id)
      .update({ failed_logins: 0, locked_until: null, last_login_at: nowIso, ...(newHash ? { password_hash: newHash } : {}) });
    await trx('sessions').insert({
      token_hash: tokenHash,
      kind,
      parent_account_id: kind === 'parent' ? account.id : null,
      staff_user_id: kind === 'staff' ? account.id : null,
      csrf_token: csrfToken,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: expiresAt,
    });
  });
  const auth: SessionAuth =
    kind === 'parent'
      ? {
          kind,
          parentAccountId: account.id,
          familyId: account.family_id!,
          username: account.username,
          mustChangePassword: Boolean(account.must_change_password),
        }
      : {
          kind,
          staffUserId: account.id,
          role: account.role!,
          name: account.display_name!,
          username: account.username,
          mustChangePassword: Boolean(account.must_change_password),
        };
  return { token, session: { tokenHash, csrfToken, expiresAt, auth }, maxAgeMs: policy.absoluteMs };
}

/** Signs a parent in. Every failure answers the same message, whether the account exists or not. */
export function loginParent(ctx: CoreContext, input: { username: string; password: string }): Promise<LoginResult> {
  return login(ctx, 'parent_accounts', input);
}

export function loginStaff(ctx: CoreContext, input: { username: string; password: string }): Promise<LoginResult> {
  return login(ctx, 'staff_users', input);
}

/**
 * Finds the live session of a cookie token, or null. Expired sessions (idle or absolute) and
 * sessions of deactivated accounts are deleted on sight. Extends the idle expiry (sliding).
 */
export async function resolveSession(ctx: CoreContext, token: string): Promise<ResolvedSession | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const row:
    | {
        kind: 'parent' | 'staff';
        csrf_token: string;
        created_at: string;
        last_seen_at: string;
        expires_at: string;
        parent_account_id: number | null;
        staff_user_id: number | null;
        p_username: string | null;
        p_family_id: number | null;
        p_must_change: number | boolean | null;
        p_active: number | boolean | null;
        s_username: string | null;
        s_role: StaffRole | null;
        s_name: string | null;
        s_must_change: number | boolean | null;
        s_active: number | boolean | null;
        policy_json: string | null;
      }
    | undefined = await ctx.db('sessions as x')
    .leftJoin('parent_accounts as p', 'p.id', 'x.parent_account_id')
    .leftJoin('staff_users as s', 's.id', 'x.staff_user_id')
    // The session lengths come with the session itself: no second query per request.
    .leftJoin('settings as sp', (j) => j.on('sp.key', '=', ctx.db.raw('?', [SECURITY_SETTINGS_KEY])))
    .where('x.token_hash', tokenHash)
    .first(
      'x.kind',
      'x.csrf_token',
      'x.created_at',
      'x.last_seen_at',
      'x.expires_at',
      'x.parent_account_id',
      'x.staff_user_id',
      'p.username as p_username',
      'p.family_id as p_family_id',
      'p.must_change_password as p_must_change',
      'p.active as p_active',
      's.username as s_username',
      's.role as s_role',
      's.display_name as s_name',
      's.must_change_password as s_must_change',
      's.active as s_active',
      'sp.value as policy_json',
    );
  if (!row) return null;
  const now = ctx.clock.now();
  const nowMs = now.getTime();
  const policy = sessionPolicyFromText(row.policy_json)[row.kind];
  const absoluteEnd = new Date(row.created_at).getTime() + policy.absoluteMs;
  const active = row.kind === 'parent' ? Boolean(row.p_active) : Boolean(row.s_active);
  // The idle limit is checked against today's policy too, so a shorter one set by the admin applies at once.
  const idleEnd = Math.min(new Date(row.expires_at).getTime(), new Date(row.last_seen_at).getTime() + policy.idleMs);
  if (idleEnd <= nowMs || absoluteEnd <= nowMs || !active) {
    await ctx.db('sessions').where('token_hash', tokenHash).delete();
    return null;
  }
  let expiresAt = row.expires_at;
  if (nowMs - new Date(row.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
    expiresAt = new Date(Math.min(nowMs + policy.idleMs, absoluteEnd)).toISOString();
    await ctx.db('sessions').where('token_hash', tokenHash).update({ last_seen_at: now.toISOString(), expires_at: expiresAt });
  }
  const auth: SessionAuth =
    row.kind === 'parent'
      ? {
          kind: 'parent',
          parentAccountId: row.parent_account_id!,
          familyId: row.p_family_id!,
          username: row.p_username!,
          mustChangePassword: Boolean(row.p_must_change),
        }
      : {
          kind: 'staff',
          staffUserId: row.staff_user_id!,
          role: row.s_role!,
          name: row.s_name!,
          username: row.s_username!,
          mustChangePassword: Boolean(row.s_must_change),
        };
  return { tokenHash, csrfToken: row.csrf_token, expiresAt, auth };
}

export async function logout(ctx: CoreContext, tokenHash: string): Promise<void> {
  await ctx.db('sessions').where('token_hash', tokenHash).delete();
}

/** Housekeeping for a background job: sessions past their idle expiry. */
export async function purgeExpiredSessions(ctx: CoreContext): Promise<number> {
  return ctx.db('sessions').where('expires_at', '<=', ctx.clock.now().toISOString()).delete();
}

/** What GET /api/auth/me shows besides the session: the family's name and the parent's own name. */
export async function describeParent(
  db: Knex,
  parentAccountId: number,
): Promise<{ familyName: string; displayName: string } | null> {
  const row: { family_name: string; first_name: string | null; last_name: string | null; username: string } | undefined = await db(
    'parent_accounts as p',
  )
    .join('families as f', 'f.id', 'p.family_id')
    .leftJoin('contacts as c', function () {
      this.on('c.id', '=', 'p.contact_id').andOn('c.family_id', '=', 'p.family_id');
    })
    .where('p.id', parentAccountId)
    .first('f.name as family_name', 'c.first_name', 'c.last_name', 'p.username');
  if (!row) return null;
  const displayName = row.first_name ? `${row.first_name} ${row.last_name ?? ''}`.trim() : row.username;
  return { familyName: row.family_name, displayName };
}

// ---------------------------------------------------------------------------------------------
// Password change

export async function changePassword(
  ctx: CoreContext,
  auth: SessionAuth,
  currentTokenHash: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const table: AccountTable = auth.kind === 'parent' ? 'parent_accounts' : 'staff_users';
  const id = auth.kind === 'parent' ? auth.parentAccountId : auth.staffUserId;
  const account: Pick<AccountRow, 'password_hash' | 'username'> | undefined = await ctx.db(table)
    .where('id', id)
    .first('password_hash', 'username');
  if (!account) throw notFound('Compte');
  if (!(await verifyPassword(input.currentPassword, account.password_hash))) {
    throw invalid('Le mot de passe actuel est incorrect.');
  }
  if (input.newPassword === input.currentPassword) throw invalid('Le nouveau mot de passe doit être différent de l’actuel.', { field: 'newPassword' });
  await checkPasswordStrength(input.newPassword, { username: account.username });
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    await trx(table).where('id', id).update({ password_hash: hash, must_change_password: false, updated_at: now.toISOString() });
    // Other devices signed in with the old password are signed out.
    await trx('sessions')
      .where(auth.kind === 'parent' ? 'parent_account_id' : 'staff_user_id', id)
      .whereNot('token_hash', currentTokenHash)
      .delete();
    await audit(
      trx,
      actorOf(auth),
      {
        action: 'account.password_change',
        entity: auth.kind === 'parent' ? 'parent_account' : 'staff_user',
        entityId: id,
        familyId: auth.kind === 'parent' ? auth.familyId : null,
      },
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Password reset by e-mail

export const RESET_TOKEN_MINUTES = 60;

export interface PasswordResetMail {
  to: string;
  username: string;
  link: string;
  familyId: number | null;
  expiresAt: Date;
  /** Who signs it; read from the settings when not given. */
  commune?: MailCommune;
}

/** Queues the reset mail in the caller's transaction, with the mail engineer's template. */
export async function sendPasswordResetMail(trx: Knex, mail: PasswordResetMail, now: Date): Promise<number> {
  const commune = mail.commune ?? (await loadMailCommune(trx));
  const content = passwordResetMail({ to: mail.to, link: mail.link, expiresAt: mail.expiresAt, username: mail.username, commune });
  return enqueueMail(
    trx,
    { kind: 'password_reset', to: mail.to, subject: content.subject, text: content.text, html: content.html, familyId: mail.familyId },
    now,
  );
}

/**
 * Sends a reset link to each active parent account whose username or e-mail (its own, or its
 * contact card's) matches. Answers nothing either way, so nobody learns whether an account exists.
 * Returns how many mails were queued (for tests).
 */
export async function requestPasswordReset(ctx: CoreContext, input: { identifier: string; publicUrl: string }): Promise<number> {
  const identifier = input.identifier.trim().toLowerCase();
  if (!identifier) return 0;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const accounts: Array<{ id: number; username: string; family_id: number; email: string | null; contact_email: string | null }> =
      await trx('parent_accounts as p')
        .leftJoin('contacts as c', function () {
          this.on('c.id', '=', 'p.contact_id').andOn('c.family_id', '=', 'p.family_id');
        })
        .where('p.active', true)
        .where((q) =>
          q
            .whereRaw('lower(p.username) = ?', [identifier])
            .orWhereRaw('lower(p.email) = ?', [identifier])
            .orWhereRaw("lower(coalesce(c.email, '')) = ?", [identifier]),
        )
        .select('p.id', 'p.username', 'p.family_id', 'p.email', 'c.email as contact_email');
    if (accounts.length === 0) return 0;
    // A link asked less than a minute ago is not sent again: no mail-bombing through this form.
    const recent: Array<{ parent_account_id: number }> = await trx('password_resets')
      .whereIn(
        'parent_account_id',
        accounts.map((a) => a.id),
      )
      .where('created_at', '>', new Date(now.getTime() - 60_000).toISOString())
      .select('parent_account_id');
    const recentIds = new Set(recent.map((r) => r.parent_account_id));
    const commune = await loadMailCommune(trx);
    let sent = 0;
    for (const account of accounts) {
      const to = account.email || account.contact_email;
      if (!to || recentIds.has(account.id)) continue;
      const token = randomToken();
      const expiresAt = new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000);
      await trx('password_resets').insert({
        token_hash: hashToken(token),
        parent_account_id: account.id,
        created_at: nowIso,
        expires_at: expiresAt.toISOString(),
      });
      const link = `${input.publicUrl.replace(/\/$/, '')}/reinitialisation?token=${encodeURIComponent(token)}`;
      await sendPasswordResetMail(trx, { to, username: account.username, link, familyId: account.family_id, expiresAt, commune }, now);
      sent++;
    }
    return sent;
  });
}

export const RESET_LINK_INVALID_MESSAGE = 'Ce lien de réinitialisation n’est plus valable. Demandez-en un nouveau.';

/** Sets a new password from a reset link: once per link, within the hour; signs every device out. */
export async function confirmPasswordReset(ctx: CoreContext, input: { token: string; newPassword: string }): Promise<void> {
  // Strength and hash first, outside the write lock; the transaction checks the link again.
  const pending: { username: string } | undefined = await ctx
    .db('password_resets as r')
    .join('parent_accounts as p', 'p.id', 'r.parent_account_id')
    .where('r.token_hash', hashToken(input.token))
    .first('p.username');
  if (!pending) throw invalid(RESET_LINK_INVALID_MESSAGE);
  await checkPasswordStrength(input.newPassword, { username: pending.username });
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const reset: { id: number; parent_account_id: number; expires_at: string; used_at: string | null } | undefined = await trx(
      'password_resets',
    )
      .where('token_hash', hashToken(input.token))
      .first('id', 'parent_account_id', 'expires_at', 'used_at');
    if (!reset || reset.used_at || reset.expires_at <= nowIso) throw invalid(RESET_LINK_INVALID_MESSAGE);
    const account: { id: number; username: string; family_id: number; active: number | boolean } | undefined = await trx(
      'parent_accounts',
    )
      .where('id', reset.parent_account_id)
      .first('id', 'username', 'family_id', 'active');
    if (!account || !account.active) throw invalid(RESET_LINK_INVALID_MESSAGE);
    // Every outstanding link of this account dies with this one.
    await trx('password_resets').where('parent_account_id', account.id).whereNull('used_at').update({ used_at: nowIso });
    await trx('parent_accounts').where('id', account.id).update({
      password_hash: hash,
      must_change_password: false,
      failed_logins: 0,
      locked_until: null,
      updated_at: nowIso,
    });
    await trx('sessions').where('parent_account_id', account.id).delete();
    await audit(
      trx,
      { kind: 'parent', parentAccountId: account.id, familyId: account.family_id },
      { action: 'account.password_reset', entity: 'parent_account', entityId: account.id, familyId: account.family_id },
      now,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Portal accounts managed by the secretariat (staff console)

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,59}$/;

/**
 * Creates a parent's portal login with a temporary password (to print on the welcome letter;
 * it must be changed at first sign-in). Usernames are stored in lower case.
 */
export async function createParentAccount(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; username: string; email?: string | null; contactId?: number | null },
): Promise<{ parentAccountId: number; username: string; temporaryPassword: string }> {
  const staff = authorizeStaff(actor, 'portal-access.manage');
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_RE.test(username)) {
    throw invalid('Identifiant invalide : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.');
  }
  const temporaryPassword = generateTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const id = await writeTransaction(ctx.db, async (trx) => {
    const family = await trx('families').where('id', input.familyId).first('id');
    if (!family) throw notFound('Famille');
    if (input.contactId != null) {
      const contact = await trx('contacts').where({ id: input.contactId, family_id: input.familyId }).first('id');
      if (!contact) throw notFound('Fiche de contact');
    }
    const taken = await trx('parent_accounts').whereRaw('lower(username) = ?', [username]).first('id');
    if (taken) throw new DomainError('CONFLICT', 'Cet identifiant est déjà utilisé.');
    const [row] = await trx('parent_accounts')
      .insert({
        family_id: input.familyId,
        contact_id: input.contactId ?? null,
        username,
        email: input.email?.trim() || null,
        password_hash: hash,
        must_change_password: true,
        active: true,
        failed_logins: 0,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .returning('id');
    const newId = typeof row === 'object' ? Number((row as { id: number }).id) : Number(row);
    await audit(
      trx,
      staff,
      { action: 'account.create', entity: 'parent_account', entityId: newId, familyId: input.familyId, after: { username } },
      now,
    );
    return newId;
  });
  return { parentAccountId: id, username, temporaryPassword };
}

/** The secretariat gives a parent a new temporary password (lost password at the counter). */
export async function resetParentAccountPassword(
  ctx: CoreContext,
  actor: Actor,
  input: { parentAccountId: number },
): Promise<{ username: string; temporaryPassword: string }> {
  const staff = authorizeStaff(actor, 'portal-access.manage');
  const temporaryPassword = generateTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const now = ctx.clock.now();
  const username = await writeTransaction(ctx.db, async (trx) => {
    const account: { id: number; username: string; family_id: number } | undefined = await trx('parent_accounts')
      .where('id', input.parentAccountId)
      .first('id', 'username', 'family_id');
    if (!account) throw notFound('Compte');
    await trx('parent_accounts').where('id', account.id).update({
      password_hash: hash,
      must_change_password: true,
      failed_logins: 0,
      locked_until: null,
      updated_at: now.toISOString(),
    });
    await trx('sessions').where('parent_account_id', account.id).delete();
    await audit(
      trx,
      staff,
      { action: 'account.password_reset_by_staff', entity: 'parent_account', entityId: account.id, familyId: account.family_id },
      now,
    );
    return account.username;
  });
  return { username, temporaryPassword };
}
