import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';

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
