import type { Knex } from 'knex';
import type { BackupRunView, BackupStatusView } from '../../api/backup.js';
import { isProductionInstall } from '../install.js';

/** The list of the "Sauvegardes" section, newest first. */
export async function listBackupRuns(db: Knex, limit = 50): Promise<BackupRunView[]> {
  const rows = (await db('backup_runs').orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: Number(r.id),
    startedAt: String(r.started_at),
    reason: r.reason as BackupRunView['reason'],
    fileName: (r.file_name as string | null) ?? null,
    sizeBytes: r.size_bytes == null ? null : Number(r.size_bytes),
    durationMs: Number(r.duration_ms),
    ok: Boolean(r.ok),
    verified: Boolean(r.verified),
    error: (r.error as string | null) ?? null,
  }));
}

export async function lastGoodBackupAt(db: Knex): Promise<string | null> {
  const row = (await db('backup_runs').where('ok', true).orderBy('started_at', 'desc').first('started_at')) as { started_at: string } | undefined;
  return row?.started_at ?? null;
}

export const STALE_AFTER_DAYS = 2;

/**
 * The band of every console screen: the last verified backup is older than two days, or (in a
 * production install; the demo is not the mairie's data) there is none.
 */
export async function backupStatus(db: Knex, now: Date): Promise<BackupStatusView> {
  const lastOkAt = await lastGoodBackupAt(db);
  if (!lastOkAt) return { lastOkAt: null, daysSinceLastOk: null, warn: await isProductionInstall(db) };
  const days = Math.floor((now.getTime() - Date.parse(lastOkAt)) / 86_400_000);
  return { lastOkAt, daysSinceLastOk: Math.max(0, days), warn: now.getTime() - Date.parse(lastOkAt) > STALE_AFTER_DAYS * 86_400_000 };
}
