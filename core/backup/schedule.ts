import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Clock } from '../clock.js';
import { parisDateOf, parisInstant } from '../dates.js';
import { readBackupKey } from './key-file.js';
import { appVersion, recordOutcome, runBackup, type BackupOutcome } from './run.js';
import { getBackupFolder } from './settings.js';

/** When the nightly backup is due, and the backup taken before migrating an existing database. */

export const NIGHTLY_TIME = '02:00';
const RETRY_AFTER_MS = 60 * 60_000;

/**
 * Pure: due when the clock has passed today's 02:00 (Paris) since the last good backup, or the
 * last good backup is older than 24 h (a machine switched off at night); a failed attempt is
 * retried after an hour, not at every tick.
 */
export function nightlyDue(now: Date, lastOkAt: string | null, lastAttemptAt: string | null): boolean {
  if (lastAttemptAt && now.getTime() - Date.parse(lastAttemptAt) < RETRY_AFTER_MS && lastAttemptAt !== lastOkAt) return false;
  if (!lastOkAt) return true;
  const last = Date.parse(lastOkAt);
  if (now.getTime() - last >= 24 * 60 * 60_000) return true;
  const todayAt = parisInstant(parisDateOf(now), NIGHTLY_TIME).getTime();
  return now.getTime() >= todayAt && last < todayAt;
}

async function configured(db: Knex, dataDir: string): Promise<boolean> {
  return (await getBackupFolder(db)) !== '' && (await readBackupKey(dataDir)) !== null;
}

/** One tick of the background job: takes the nightly backup when due. Null when nothing was done. */
export async function nightlyBackupTick(ctx: { db: Knex; clock: Clock }, dataDir: string): Promise<BackupOutcome | null> {
  if (!(await configured(ctx.db, dataDir))) return null;
  const lastOk = (await ctx.db('backup_runs').where('ok', true).orderBy('started_at', 'desc').first('started_at')) as { started_at: string } | undefined;
  const lastAny = (await ctx.db('backup_runs').orderBy('started_at', 'desc').first('started_at')) as { started_at: string } | undefined;
  if (!nightlyDue(ctx.clock.now(), lastOk?.started_at ?? null, lastAny?.started_at ?? null)) return null;
  return runBackup(ctx, { kind: 'system' }, 'nightly', { dataDir, appVersion: appVersion() });
}

/**
 * Before migrating: a backup when migrations are pending, the database already holds data and
 * backups are configured. Returns what to record once the migrations made backup_runs exist, or
 * null when none was needed. Throws a French Error when the backup failed: the start stops.
 */
export async function backupBeforeMigration(ctx: { db: Knex; clock: Clock }, dataDir: string, migrationSource: Knex.MigrationSource<unknown>): Promise<(() => Promise<void>) | null> {
  if (!fs.existsSync(path.join(dataDir, 'eticket.sqlite'))) return null;
  if (!(await ctx.db.schema.hasTable('knex_migrations')) || !(await ctx.db.schema.hasTable('settings'))) return null;
  const [, pending] = (await ctx.db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  if (pending.length === 0 || !(await configured(ctx.db, dataDir))) return null;
  const outcome = await runBackup(ctx, { kind: 'system' }, 'before-migration', { dataDir, appVersion: appVersion() }, { record: false });
  if (!outcome.ok) {
    throw new Error(`La base n’a pas été mise à jour : la sauvegarde qui doit précéder la mise à jour a échoué (${outcome.error}). Corrigez le dossier des sauvegardes puis relancez eTicket.`);
  }
  return () => recordOutcome(ctx.db, { kind: 'system' }, 'before-migration', outcome, ctx.clock.now());
}
