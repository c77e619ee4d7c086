/**
 * Where a restore reads from: an archive of core/backup/archive.ts (decrypted and checked into a
 * temp folder by its extractBackup), or an already extracted backup folder (eticket.sqlite +
 * documents/), the contract's ExtractedBackup.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RestoreSource } from './apply.js';
import { ARCHIVE_EXTENSION, extractBackup } from '../backup/archive.js';
import { DomainError } from '../errors.js';

export const ARCHIVE_SUFFIX = ARCHIVE_EXTENSION;

export type RestoreSourceFile = RestoreSource;

export function isArchive(p: string): boolean {
  return p.toLowerCase().endsWith(ARCHIVE_SUFFIX);
}

/**
 * Opens the source; `workDir` (empty, the caller removes it) receives an archive's extraction.
 * `archive`: the file is an archive whatever its name (an upload's temp file).
 */
export async function openRestoreSource(p: string, passphrase: string | null, workDir: string, options: { archive?: boolean } = {}): Promise<RestoreSource> {
  const stat = await fs.promises.stat(p).catch(() => null);
  if (!stat) throw new DomainError('NOT_FOUND', `Sauvegarde introuvable : ${p}`);
  if (stat.isDirectory() && !options.archive) return { databaseFile: path.join(p, 'eticket.sqlite'), documentsDir: path.join(p, 'documents') };
  if (!options.archive && !isArchive(p)) throw new DomainError('VALIDATION', `Ce fichier n’est pas une sauvegarde eTicket (${ARCHIVE_SUFFIX}) : ${path.basename(p)}`);
  if (!passphrase) throw new DomainError('VALIDATION', 'Indiquez la phrase de passe de la sauvegarde.', { field: 'passphrase' });
  const extracted = await extractBackup(p, passphrase, workDir);
  return { databaseFile: extracted.databaseFile, documentsDir: extracted.documentsDir, takenAt: extracted.manifest.takenAt };
}
