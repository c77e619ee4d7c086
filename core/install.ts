/**
 * How this database was installed: a demonstration (public passwords, simulated payments) or a
 * commune's own production install. Written once, at the first start, from ETICKET_DEMO; from
 * then on the database decides, so an environment change can neither turn a demo (with its public
 * passwords) into a "production" install nor bring demo data into a commune's database.
 */
import type { Knex } from 'knex';
import type { InstallMode, InstallState } from '../api/setup.js';

export const INSTALL_SETTINGS_KEY = 'install';

/** The public password of every demo account: never accepted on a production install. */
export const DEMO_PASSWORD = 'eticket-demo';

export async function getInstallState(db: Knex): Promise<InstallState | null> {
  const row = (await db('settings').where('key', INSTALL_SETTINGS_KEY).first('value')) as { value: string } | undefined;
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as Partial<InstallState>;
    if (v.mode !== 'demo' && v.mode !== 'production') return null;
    return { mode: v.mode, setupDone: v.setupDone === true };
  } catch {
    return null;
  }
}

export async function writeInstallState(db: Knex, state: InstallState, now: Date): Promise<void> {
  const value = JSON.stringify(state);
  const at = now.toISOString();
  const updated = await db('settings').where('key', INSTALL_SETTINGS_KEY).update({ value, updated_at: at });
  if (updated === 0) await db('settings').insert({ key: INSTALL_SETTINGS_KEY, value, updated_at: at });
}

/** True on a production install (a database without the row, from before this record, is not one). */
export async function isProductionInstall(db: Knex): Promise<boolean> {
  return (await getInstallState(db))?.mode === 'production';
}

/** A production install whose setup ("Mise en service") is not done yet: no admin can sign in. */
export async function setupRequired(db: Knex): Promise<boolean> {
  const state = await getInstallState(db);
  return state?.mode === 'production' && !state.setupDone;
}

/**
 * The mode of the database, and what the configuration asked for. The first start records the
 * asked mode; a database that already holds data without the record (made before it existed) is
 * a demo one when it has the demo's accounts. Returns the stored mode, or the mismatch.
 */
export async function ensureInstallMode(
  db: Knex,
  asked: InstallMode,
  now: Date,
): Promise<{ state: InstallState; mismatch: boolean }> {
  const stored = await getInstallState(db);
  if (stored) return { state: stored, mismatch: stored.mode !== asked };
  const staff = Number((await db('staff_users').count({ n: '*' }).first())?.n ?? 0);
  let state: InstallState;
  if (staff === 0) state = { mode: asked, setupDone: asked === 'demo' };
  else {
    const demoAccounts = await db('staff_users').whereIn('username', ['admin', 'secretariat', 'restauration']).count({ n: '*' }).first();
    const mode: InstallMode = Number(demoAccounts?.n ?? 0) === 3 ? 'demo' : 'production';
    state = { mode, setupDone: true };
  }
  await writeInstallState(db, state, now);
  return { state, mismatch: state.mode !== asked };
}

/** The French sentence the person starting eTicket reads when ETICKET_DEMO contradicts the database. */
export function modeMismatchMessage(stored: InstallMode, dataDir: string): string {
  return stored === 'demo'
    ? `eTicket ne peut pas démarrer : la base de données du dossier « ${dataDir} » est une base de démonstration ` +
        '(données fictives, mots de passe publics) et ne peut pas devenir celle de votre commune (ETICKET_DEMO=0). ' +
        'Choisissez un dossier vide avec ETICKET_DATA_DIR pour mettre eTicket en service, ou relancez sans ETICKET_DEMO=0.'
    : `eTicket ne peut pas démarrer : la base de données du dossier « ${dataDir} » est celle d’une commune (mode production) ` +
        'et n’accueille pas la démonstration. Relancez avec ETICKET_DEMO=0, ou choisissez un autre dossier avec ETICKET_DATA_DIR pour une démonstration.';
}
