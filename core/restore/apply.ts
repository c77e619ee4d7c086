/**
 * Restores an extracted backup (the contract's ExtractedBackup: eticket.sqlite + documents/) into
 * a data folder: what was there is moved aside (`avant-restauration-<date>/`), never deleted;
 * stale -wal/-shm files are removed, pending migrations run (an older backup, a newer eTicket),
 * and the restored database records the restore (audit `restore.applied`) and waits for the
 * numbering confirmation (core/restore/numbering.ts). The caller guarantees no server uses the
 * folder's database (the CLI checks the server lock; the setup page closes its own handle).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RestorePreview } from '../../api/restore.js';
import { formatDayMonthYearFr } from '../../api/format.js';
import { databaseFile, migrateLatest, openDb } from '../../db/index.js';
import { audit } from '../audit.js';
import type { Actor } from '../context.js';
import { parisDateOf } from '../dates.js';
import { DomainError } from '../errors.js';
import { markRestorePending } from './numbering.js';
import { previewDatabase } from './preview.js';

export interface RestoreSource {
  /** The extracted database file. */
  databaseFile: string;
  /** The extracted documents folder (may be absent: no document in the backup). */
  documentsDir: string;
  /** The manifest's takenAt; when absent, read from the preview (the last audit row). */
  takenAt?: string;
}

export interface RestoreOptions {
  /** Replace a database already in the folder (it is moved aside, never deleted). */
  replace: boolean;
  now: Date;
  actor?: Actor;
}

export interface RestoreResult {
  preview: RestorePreview;
  /** Where the replaced files were moved, or null when the folder had no database. */
  asideDir: string | null;
}

export const TARGET_HAS_DATABASE =
  'Ce dossier contient déjà une base de données eTicket : relancez avec --remplacer pour la remplacer (elle sera mise de côté dans avant-restauration-…, jamais effacée).';

const SIDE_FILES = ['-wal', '-shm', '-journal'];

function stampOf(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/:/g, '-');
}

async function exists(p: string): Promise<boolean> {
  return fs.promises.access(p).then(() => true, () => false);
}

/** Moves the folder's database (with its WAL) and documents into avant-restauration-<date>/. */
async function moveAside(dataDir: string, now: Date): Promise<string> {
  let dir = path.join(dataDir, `avant-restauration-${stampOf(now)}`);
  for (let i = 2; await exists(dir); i++) dir = path.join(dataDir, `avant-restauration-${stampOf(now)}-${i}`);
  await fs.promises.mkdir(dir);
  const db = databaseFile(dataDir);
  for (const suffix of ['', ...SIDE_FILES]) {
    if (await exists(db + suffix)) await fs.promises.rename(db + suffix, path.join(dir, path.basename(db) + suffix));
  }
  const docs = path.join(dataDir, 'documents');
  if (await exists(docs)) await fs.promises.rename(docs, path.join(dir, 'documents'));
  return dir;
}

export async function restoreIntoDataDir(dataDir: string, source: RestoreSource, options: RestoreOptions): Promise<RestoreResult> {
  const target = databaseFile(dataDir);
  if (!(await exists(source.databaseFile))) throw new DomainError('NOT_FOUND', 'La sauvegarde ne contient pas de base de données.');
  const preview = await previewDatabase(source.databaseFile, source.takenAt);
  await fs.promises.mkdir(dataDir, { recursive: true });
  const hasDatabase = await exists(target);
  if (hasDatabase && !options.replace) throw new DomainError('CONFLICT', TARGET_HAS_DATABASE);
  const asideDir = hasDatabase || (await exists(path.join(dataDir, 'documents'))) ? await moveAside(dataDir, options.now) : null;
  // Stale side files of a database that is gone would be replayed into the restored one.
  for (const suffix of SIDE_FILES) await fs.promises.rm(target + suffix, { force: true });

  const partial = `${target}.restauration`;
  await fs.promises.copyFile(source.databaseFile, partial);
  await fs.promises.rename(partial, target);
  if (await exists(source.documentsDir)) await fs.promises.cp(source.documentsDir, path.join(dataDir, 'documents'), { recursive: true, errorOnExist: true });
  else await fs.promises.mkdir(path.join(dataDir, 'documents'), { recursive: true });

  const db = openDb({ dataDir });
  try {
    await migrateLatest(db);
    await db.transaction(async (trx) => {
      const pending = await markRestorePending(trx, preview.takenAt, options.now);
      const c = preview.counts;
      await audit(trx, options.actor ?? { kind: 'system' }, {
        action: 'restore.applied', entity: 'settings', entityId: 'restore',
        after: { backupDate: preview.takenAt ? parisDateOf(new Date(preview.takenAt)) : null, commune: preview.commune, ...c, restoredReceipts: pending.receipts, restoredInvoices: pending.invoices, asideDir: asideDir ? path.basename(asideDir) : null },
        note: `Restauration de la sauvegarde du ${takenAtFr(preview.takenAt)} : ${c.familles} familles, ${c.recus} reçus, ${c.factures} factures, ${c.documents} documents`,
      }, options.now);
    });
  } finally {
    await db.destroy();
  }
  return { preview, asideDir };
}

export function takenAtFr(takenAt: string): string {
  const d = new Date(takenAt);
  return Number.isNaN(d.getTime()) ? 'date inconnue' : formatDayMonthYearFr(parisDateOf(d));
}
