import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { audit } from '../audit.js';
import { getCommune } from '../commune.js';
import type { Actor, CoreContext } from '../context.js';
import { parisDateOf, parisTimeOf } from '../dates.js';
import { documentsDir } from '../documents.js';
import { DomainError } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { ARCHIVE_EXTENSION, extractBackup, writeBackupArchive, type BackupManifest } from './archive.js';
import { readBackupKey } from './key-file.js';
import { archivesToDelete } from './retention.js';
import { checkBackupFolder, getBackupFolder } from './settings.js';
import { inspectDatabase, snapshotDatabase } from './snapshot.js';

export type BackupReason = BackupManifest['reason'];

export interface BackupEnv {
  /** The folder of eticket.sqlite and documents/ (and backup.key). */
  dataDir: string;
  appVersion: string;
}

export interface BackupOutcome {
  ok: boolean;
  file: string | null;
  sizeBytes: number | null;
  durationMs: number;
  /** French reason of a failure. */
  error: string | null;
  manifest: BackupManifest | null;
  deleted: string[];
}

export const BUSY_MESSAGE = 'Une sauvegarde est déjà en cours.';
export const POSTGRES_MESSAGE = 'Avec PostgreSQL, eTicket ne fait pas ses sauvegardes lui-même : utilisez pg_dump sur le serveur de la base (voir le README, « Where data lives »).';

let running = false;

/** True while this process runs a backup (the screen shows its busy state). */
export function backupRunning(): boolean {
  return running;
}

/** The version in package.json, recorded in each manifest. */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'inconnue';
  } catch {
    return 'inconnue';
  }
}

function isPostgres(db: Knex): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return client === 'pg' || client === 'postgresql';
}

/** "Port-Sainte-Foy-et-Ponchapt" → "port-sainte-foy-et-ponchapt". */
export function communeSlug(name: string): string {
  const slug = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return slug || 'commune';
}

function archiveName(slug: string, at: Date, n: number): string {
  const stamp = `${parisDateOf(at)}-${parisTimeOf(at).replace(':', '')}`;
  return `eticket-${slug}-${stamp}${n > 1 ? `-${n}` : ''}${ARCHIVE_EXTENSION}`;
}

/** A French sentence for what went wrong, never a stack. */
export function failureText(err: unknown): string {
  if (err instanceof DomainError) return err.message;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return 'Le disque des sauvegardes est plein : libérez de la place ou choisissez un autre dossier.';
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'EIO' || code === 'ENXIO' || code === 'ESTALE') return 'Le dossier des sauvegardes n’est plus accessible (clé USB retirée, disque ou partage déconnecté ?).';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'eTicket n’a pas le droit d’écrire dans le dossier des sauvegardes.';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'La base de données est restée occupée : la sauvegarde sera retentée.';
  return 'La sauvegarde a échoué pour une raison inattendue ; réessayez, et prévenez le support si cela recommence.';
}

/** Cross-process lock (npm run backup while the server runs): a file in the data folder, taken with O_EXCL. */
async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'backup.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.promises.writeFile(file, String(process.pid), { flag: 'wx' });
      return () => fs.promises.rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(await fs.promises.readFile(file, 'utf8').catch(() => ''));
      let alive = false;
      try {
        if (pid > 0) process.kill(pid, 0);
        alive = pid > 0;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
      if (alive) break;
      // A lock left by a process that died: take it over.
      await fs.promises.rm(file, { force: true });
    }
  }
  throw new DomainError('CONFLICT', BUSY_MESSAGE);
}

async function recordRun(db: Knex, actor: Actor, row: Record<string, unknown>, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const [id] = await trx('backup_runs').insert(row).returning('id');
    const runId = typeof id === 'object' && id !== null ? (id as { id: number }).id : id;
    if (actor.kind === 'staff') {
      await audit(trx, actor, { action: 'backup.manual', entity: 'backup_run', entityId: runId as number, after: { fileName: row.file_name, ok: row.ok, error: row.error } }, now);
    }
  });
}

/** Writes the run into backup_runs (and the journal for a person's backup). */
export async function recordOutcome(db: Knex, actor: Actor, reason: BackupReason, outcome: BackupOutcome, startedAt: Date): Promise<void> {
  await recordRun(db, actor, {
    started_at: startedAt.toISOString(),
    finished_at: new Date(startedAt.getTime() + outcome.durationMs).toISOString(),
    reason,
    file_name: outcome.file ? path.basename(outcome.file) : null,
    folder: outcome.file ? path.dirname(outcome.file) : null,
    size_bytes: outcome.sizeBytes,
    duration_ms: outcome.durationMs,
    ok: outcome.ok,
    verified: outcome.ok,
    error: outcome.error,
    staff_user_id: actor.kind === 'staff' ? actor.staffUserId : null,
  }, startedAt);
}

/** The admin's "Sauvegarder maintenant". */
export async function backupNow(ctx: CoreContext, actor: Actor, env: BackupEnv): Promise<BackupOutcome> {
  authorizeStaff(actor, 'backups.manage');
  return runBackup(ctx, actor, 'manual', env);
}

/**
 * One backup: a consistent copy (VACUUM INTO, in a worker), the documents, one encrypted archive
 * written under a temp name then renamed, then verified (decrypted again, integrity_check, counts,
 * documents' sha256), recorded in backup_runs, and the retention applied. A failure is recorded
 * with its French reason and leaves no archive under an eTicket name; it throws only when
 * another backup runs or for PostgreSQL (nothing to record then).
 */
export async function runBackup(ctx: CoreContext, actor: Actor, reason: BackupReason, env: BackupEnv, options: { record?: boolean; chunkSize?: number } = {}): Promise<BackupOutcome> {
  if (isPostgres(ctx.db)) throw new DomainError('VALIDATION', POSTGRES_MESSAGE);
  if (running) throw new DomainError('CONFLICT', BUSY_MESSAGE);
  running = true;
  let release: (() => Promise<void>) | null = null;
  try {
    release = await takeLock(env.dataDir);
    const startedAt = ctx.clock.now();
    const t0 = Date.now();
    const outcome = await backupOnce(ctx, reason, env, options.chunkSize).catch((err: unknown): BackupOutcome => ({
      ok: false, file: null, sizeBytes: null, durationMs: 0, error: failureText(err), manifest: null, deleted: [],
    }));
    outcome.durationMs = Date.now() - t0;
    if (options.record !== false) await recordOutcome(ctx.db, actor, reason, outcome, startedAt);
    return outcome;
  } finally {
    running = false;
    await release?.();
  }
}

async function backupOnce(ctx: CoreContext, reason: BackupReason, env: BackupEnv, chunkSize?: number): Promise<BackupOutcome> {
  const key = await readBackupKey(env.dataDir);
  const configured = await getBackupFolder(ctx.db);
  if (!configured || !key) throw new DomainError('VALIDATION', 'Les sauvegardes ne sont pas configurées : choisissez le dossier et la phrase de passe dans Paramètres › Sauvegardes.');
  const folder = await checkBackupFolder(configured);
  const work = await fs.promises.mkdtemp(path.join(env.dataDir, '.sauvegarde-'));
  let file: string | null = null;
  try {
    const copy = path.join(work, 'eticket.sqlite');
    const snap = await snapshotDatabase(path.join(env.dataDir, 'eticket.sqlite'), copy);
    const commune = (await getCommune(ctx.db)).name;
    // Named after the injected clock (tests pin it); takenAt is the snapshot's real moment.
    const at = ctx.clock.now();
    for (let n = 1; !file || fs.existsSync(file); n++) file = path.join(folder, archiveName(communeSlug(commune), at, n));
    const written = await writeBackupArchive(file, key, {
      manifest: {
        format: 1, takenAt: snap.takenAt, reason, appVersion: env.appVersion, lastMigration: snap.lastMigration,
        counts: snap.counts, lastReceiptNumbers: snap.lastReceiptNumbers, lastInvoiceNumbers: snap.lastInvoiceNumbers, commune,
      },
      databaseFile: copy,
      documentsDir: documentsDir(env.dataDir),
    }, { chunkSize });
    await fs.promises.rm(copy);
    await verifyArchive(file, key, written.manifest, path.join(work, 'verification'));
    const deleted = await applyRetention(folder, ctx.clock.now());
    return { ok: true, file, sizeBytes: written.size, durationMs: 0, error: null, manifest: written.manifest, deleted };
  } catch (err) {
    // An archive that failed its verification is not a backup: it must not be mistaken for one.
    if (file) await fs.promises.rm(file, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Re-opens the archive just written: every chunk, integrity_check, row counts, documents' sha256. */
export async function verifyArchive(file: string, key: Parameters<typeof extractBackup>[1], manifest: BackupManifest, scratch: string): Promise<void> {
  const out = await extractBackup(file, key, scratch);
  const facts = await inspectDatabase(out.databaseFile);
  if (facts.integrity !== 'ok') throw new DomainError('BACKUP_DAMAGED', `La vérification de la sauvegarde a échoué : la copie de la base n’est pas intègre (${facts.integrity.slice(0, 200)}).`);
  if (JSON.stringify(facts.counts) !== JSON.stringify(manifest.counts)) {
    throw new DomainError('BACKUP_DAMAGED', 'La vérification de la sauvegarde a échoué : les nombres de lignes de la copie ne sont pas ceux attendus.');
  }
}

async function applyRetention(folder: string, now: Date): Promise<string[]> {
  const names = await fs.promises.readdir(folder);
  const doomed = archivesToDelete(names, parisDateOf(now));
  for (const name of doomed) await fs.promises.rm(path.join(folder, name), { force: true });
  return doomed;
}
