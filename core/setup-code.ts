/**
 * The one-time "code de mise en service": printed in the server's log at start while the setup
 * is not done, it lets the mairie run the setup from another machine than the server's own
 * (a hosted server). Only its salted hash is stored; wrong codes are counted in the database
 * and lock the setup for a quarter of an hour after five; the setup deletes it.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { DomainError } from './errors.js';
import { writeTransaction } from './tx.js';

export const SETUP_CODE_KEY = 'setup.code';
export const SETUP_CODE_MAX_FAILURES = 5;
export const SETUP_CODE_LOCK_MS = 15 * 60_000;

/** Letters without look-alikes (no I, L, O, Q). */
const LETTERS = 'ABCDEFGHJKMNPRSTUVWXYZ';

interface StoredCode {
  salt: string;
  hash: string;
  failures: number;
  lockedUntil: string | null;
}

const digest = (salt: string, code: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

/** "4821-KXPT": spaces, case and the dash are forgiven when typed back. */
export const normaliseCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** A new code for this start (the previous start's code stops working); returns it in clear once. */
export async function issueSetupCode(db: Knex, now: Date): Promise<string> {
  const digits = String(randomInt(0, 10_000)).padStart(4, '0');
  const letters = Array.from({ length: 4 }, () => LETTERS[randomInt(0, LETTERS.length)]).join('');
  const code = `${digits}-${letters}`;
  const salt = randomBytes(16).toString('hex');
  const previous = await readCode(db);
  // A restart does not lift a lock in progress.
  const stored: StoredCode = { salt, hash: digest(salt, normaliseCode(code)), failures: 0, lockedUntil: previous?.lockedUntil ?? null };
  const value = JSON.stringify(stored);
  const at = now.toISOString();
  const updated = await db('settings').where('key', SETUP_CODE_KEY).update({ value, updated_at: at });
  if (updated === 0) await db('settings').insert({ key: SETUP_CODE_KEY, value, updated_at: at });
  return code;
}

async function readCode(db: Knex): Promise<StoredCode | null> {
  const row = (await db('settings').where('key', SETUP_CODE_KEY).first('value')) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as StoredCode;
  } catch {
    return null;
  }
}

const lockedError = (until: string) =>
  new DomainError('TOO_MANY_ATTEMPTS', `Trop de codes erronés : la mise en service à distance est bloquée jusqu’à ${new Date(until).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' })}. Vous pouvez aussi l’ouvrir sur le serveur lui-même.`);

/**
 * Throws unless `code` is this start's code. A wrong code counts (in its own committed
 * transaction, so a failing setup cannot roll the count back).
 */
export async function checkSetupCode(db: Knex, code: string | undefined, now: Date): Promise<void> {
  const typed = normaliseCode(String(code ?? '').slice(0, 40));
  const failure = await writeTransaction(db, async (trx) => {
    const stored = await readCode(trx);
    if (!stored) return new DomainError('FORBIDDEN', 'Mise en service à distance impossible : relancez le serveur pour obtenir un code.');
    if (stored.lockedUntil && stored.lockedUntil > now.toISOString()) return lockedError(stored.lockedUntil);
    const expected = Buffer.from(stored.hash, 'hex');
    const got = Buffer.from(digest(stored.salt, typed), 'hex');
    if (typed && timingSafeEqual(expected, got)) {
      if (stored.failures > 0 || stored.lockedUntil) await trx('settings').where('key', SETUP_CODE_KEY).update({ value: JSON.stringify({ ...stored, failures: 0, lockedUntil: null }) });
      return null;
    }
    const failures = stored.failures + 1;
    const lock = failures >= SETUP_CODE_MAX_FAILURES ? new Date(now.getTime() + SETUP_CODE_LOCK_MS).toISOString() : null;
    const next: StoredCode = { ...stored, failures: lock ? 0 : failures, lockedUntil: lock };
    await trx('settings').where('key', SETUP_CODE_KEY).update({ value: JSON.stringify(next), updated_at: now.toISOString() });
    if (lock) return lockedError(lock);
    const left = SETUP_CODE_MAX_FAILURES - failures;
    return new DomainError('FORBIDDEN', `Code de mise en service incorrect (encore ${left} essai${left > 1 ? 's' : ''}). Il figure dans le journal du serveur : « Code de mise en service : 1234-ABCD ».`, { field: 'code' });
  });
  if (failure) throw failure;
}

/** The setup is done: the code stops existing. */
export async function deleteSetupCode(trx: Knex): Promise<void> {
  await trx('settings').where('key', SETUP_CODE_KEY).delete();
}
