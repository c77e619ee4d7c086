import type { Knex } from 'knex';
import { parisTimeOf } from './dates.js';
import { DomainError } from './errors.js';
import { writeTransaction } from './tx.js';

/**
 * Per-account sign-in throttling. Failures are counted and the lock decided in one write
 * transaction (which holds the database's write lock), so a burst of parallel wrong passwords
 * cannot interleave and end with the account unlocked.
 *
 * - A parent account locks for 15 minutes after 5 failures; the portal's « Mot de passe oublié »
 *   lets the parent out sooner. A lock that ran out starts a fresh count.
 * - A staff account gets growing delays instead (30 s, 1 min, 2 min… at most 5 min), so that a
 *   stranger typing wrong passwords cannot keep the secretariat out for long; the count carries
 *   over the delays and is cleared by a successful sign-in (or a quiet day).
 */

export type AccountTable = 'parent_accounts' | 'staff_users';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
const STAFF_FIRST_DELAY_MS = 30_000;
const STAFF_MAX_DELAY_MS = 5 * 60_000;
const STAFF_FRESH_START_MS = 24 * 3600_000;

/** How long an account stays locked after its `failures`-th failure in a row (0 = not locked). */
export function lockDurationMs(table: AccountTable, failures: number): number {
  if (failures < MAX_FAILED_LOGINS) return 0;
  if (table === 'parent_accounts') return LOCK_MINUTES * 60_000;
  return Math.min(STAFF_MAX_DELAY_MS, STAFF_FIRST_DELAY_MS * 2 ** Math.min(failures - MAX_FAILED_LOGINS, 10));
}

export function lockedMessage(table: AccountTable, until: Date): string {
  const time = parisTimeOf(until);
  return table === 'parent_accounts'
    ? `Votre compte est bloqué jusqu’à ${time} après ${MAX_FAILED_LOGINS} essais infructueux. ` +
        'Vous pouvez réessayer après cette heure, ou choisir dès maintenant un nouveau mot de passe avec « Mot de passe oublié ».'
    : `Ce compte est bloqué jusqu’à ${time} après plusieurs essais infructueux. ` +
        'Réessayez après cette heure ; en cas de « Mot de passe oublié », un administrateur peut vous donner un mot de passe temporaire.';
}

export function lockedError(table: AccountTable, until: Date): DomainError {
  return new DomainError('TOO_MANY_ATTEMPTS', lockedMessage(table, until), { lockedUntil: until.toISOString() });
}

interface LockRow {
  failed_logins: number;
  locked_until: string | null;
}

/** The lock still running at `now`, if any. */
export function activeLock(row: LockRow, now: Date): Date | null {
  return row.locked_until && row.locked_until > now.toISOString() ? new Date(row.locked_until) : null;
}

/**
 * Counts one wrong password and locks the account when due. Returns the lock's end when the
 * account is locked after this failure (possibly by a parallel attempt), else null.
 */
export async function recordFailedLogin(db: Knex, table: AccountTable, accountId: number, now: Date): Promise<Date | null> {
  return writeTransaction(db, async (trx) => {
    const row: LockRow | undefined = await trx(table).where('id', accountId).first('failed_logins', 'locked_until');
    if (!row) return null;
    const running = activeLock(row, now);
    if (running && table === 'parent_accounts') {
      // Already locked (by a parallel attempt): count it, but the 15 minutes do not restart.
      await trx(table).where('id', accountId).update({ failed_logins: row.failed_logins + 1 });
      return running;
    }
    const lockEnded = row.locked_until !== null && !running;
    const stale = lockEnded && now.getTime() - new Date(row.locked_until!).getTime() > STAFF_FRESH_START_MS;
    const fresh = lockEnded && (table === 'parent_accounts' || stale);
    const failures = (fresh ? 0 : row.failed_logins) + 1;
    const duration = lockDurationMs(table, failures);
    const until = duration > 0 ? new Date(Math.max(now.getTime() + duration, running?.getTime() ?? 0)) : null;
    await trx(table)
      .where('id', accountId)
      .update({ failed_logins: failures, locked_until: until ? until.toISOString() : fresh ? null : row.locked_until });
    return until;
  });
}
