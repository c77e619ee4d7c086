import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { durableFiles } from '../durable-files.js';
import type { ArchiveKey } from './crypto-stream.js';

/**
 * The derived backup key (never the passphrase) lives in <dataDir>/backup.key, mode 0600, outside
 * the database: nightly backups need it without a person, and no database copy may carry it.
 * No screen or route reads it back; they only say whether it exists.
 */
export function backupKeyFile(dataDir: string): string {
  return path.join(dataDir, 'backup.key');
}

export async function readBackupKey(dataDir: string): Promise<ArchiveKey | null> {
  let raw: string;
  try {
    raw = await fs.promises.readFile(backupKeyFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(raw) as { key: string; salt: string; logN: number; r: number; p: number };
    const key = Buffer.from(j.key, 'base64');
    const salt = Buffer.from(j.salt, 'base64');
    if (key.length !== 32 || salt.length !== 16) return null;
    return { key, salt, scrypt: { logN: j.logN, r: j.r, p: j.p } };
  } catch {
    return null;
  }
}

export async function writeBackupKey(dataDir: string, k: ArchiveKey): Promise<void> {
  const file = backupKeyFile(dataDir);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const body = JSON.stringify({ key: k.key.toString('base64'), salt: k.salt.toString('base64'), ...k.scrypt });
  await fs.promises.writeFile(temp, body, { mode: 0o600, flag: 'wx' });
  await durableFiles.syncFile(temp);
  await fs.promises.rename(temp, file);
  await fs.promises.chmod(file, 0o600);
  await durableFiles.syncDir(dataDir);
}
