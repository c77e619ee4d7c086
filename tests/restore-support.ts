import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { deriveArchiveKey, writeBackupArchive } from '../core/backup/archive.js';

/**
 * An extracted backup for the restore tests (the contract's ExtractedBackup shape): a consistent
 * copy by VACUUM INTO, never a file copy, plus the documents folder copied beside it.
 */
export async function extractedCopy(db: Knex, dataDir: string | null): Promise<{ dir: string; databaseFile: string; documentsDir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-extracted-'));
  const databaseFile = path.join(dir, 'eticket.sqlite');
  await db.raw('VACUUM INTO ?', [databaseFile]);
  const documentsDir = path.join(dir, 'documents');
  if (dataDir && fs.existsSync(path.join(dataDir, 'documents'))) fs.cpSync(path.join(dataDir, 'documents'), documentsDir, { recursive: true });
  else fs.mkdirSync(documentsDir);
  return { dir, databaseFile, documentsDir };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An .etkbackup archive of `db` (and its folder's documents) written by the backup helper's writer. */
export async function archiveOf(db: Knex, dataDir: string | null, passphrase: string, destFile: string, takenAt = new Date().toISOString()): Promise<string> {
  const copy = await extractedCopy(db, dataDir);
  try {
    const key = await deriveArchiveKey(passphrase);
    await writeBackupArchive(destFile, key, {
      manifest: {
        format: 1, takenAt, reason: 'manual', appVersion: 'test', lastMigration: '', counts: {},
        lastReceiptNumbers: {}, lastInvoiceNumbers: {}, commune: '',
      },
      databaseFile: copy.databaseFile,
      documentsDir: copy.documentsDir,
    });
    return destFile;
  } finally {
    fs.rmSync(copy.dir, { recursive: true, force: true });
  }
}
