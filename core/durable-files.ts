import fs from 'node:fs';
import { DomainError } from './errors.js';

/**
 * Durability and disk failures of stored files. A document's bytes are fsynced, and the rename
 * into documents/ made durable by fsyncing the folder, before its row commits: an upload that
 * answered "ok" survives a power cut. Kept in one object so tests can watch or break it.
 */
export const durableFiles = {
  /** Flushes a file's bytes to the disk. */
  async syncFile(file: string): Promise<void> {
    const handle = await fs.promises.open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  /** Flushes a folder's entries (a rename into it) to the disk. */
  async syncDir(dir: string): Promise<void> {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } catch (err) {
      // Some file systems cannot fsync a folder; the file itself is already synced.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
    } finally {
      await handle.close();
    }
  },
};

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const DISK_CODES = new Set([...FULL_CODES, 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE']);

/** A French error for a disk that refused to store a file, or null for anything else. */
export function storageError(err: unknown): DomainError | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (!code || !DISK_CODES.has(code)) return null;
  return new DomainError(
    'STORAGE_UNAVAILABLE',
    FULL_CODES.has(code)
      ? 'Le fichier n’a pas pu être enregistré : l’espace disque du serveur est plein. Réessayez plus tard ou prévenez la mairie.'
      : 'Le fichier n’a pas pu être enregistré sur le serveur. Réessayez plus tard ou prévenez la mairie.',
  );
}
