import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { readSettingJson, writeSettingJson } from '../settings/store.js';
import { writeTransaction } from '../tx.js';
import { deriveArchiveKey } from './crypto-stream.js';
import { readBackupKey, writeBackupKey } from './key-file.js';

/** The "Sauvegardes" settings: the folder (a settings row) and the passphrase's derived key (a file). */
export const BACKUP_SETTINGS_KEY = 'backup';
export const MIN_PASSPHRASE_LENGTH = 12;

export async function getBackupFolder(db: Knex): Promise<string> {
  const v = (await readSettingJson(db, BACKUP_SETTINGS_KEY)).folder;
  return typeof v === 'string' ? v : '';
}

/** The folder as it can be used, or a French reason tied to the field "folder". */
export async function checkBackupFolder(folder: string): Promise<string> {
  const field = { field: 'folder' };
  if (!folder.trim()) throw invalid('Dossier des sauvegardes : indiquez un dossier (second disque, clé USB, partage réseau).', field);
  if (!path.isAbsolute(folder)) throw invalid('Dossier des sauvegardes : un chemin complet est attendu (par exemple /media/cle-usb/eticket ou D:\\Sauvegardes).', field);
  const resolved = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(resolved);
  } catch {
    throw invalid(`Dossier des sauvegardes : « ${resolved} » n’existe pas ou n’est pas accessible (clé USB retirée, partage déconnecté ?).`, field);
  }
  if (!stat.isDirectory()) throw invalid(`Dossier des sauvegardes : « ${resolved} » n’est pas un dossier.`, field);
  try {
    await fs.promises.access(resolved, fs.constants.W_OK);
    const probe = path.join(resolved, `.eticket-essai-${process.pid}-${Date.now()}`);
    await fs.promises.writeFile(probe, 'ok');
    await fs.promises.rm(probe, { force: true });
  } catch {
    throw invalid(`Dossier des sauvegardes : eTicket ne peut pas écrire dans « ${resolved} » (droits, disque en lecture seule ou plein).`, field);
  }
  return resolved;
}

export interface BackupSettingsInput { folder: string; passphrase?: string; passphraseConfirm?: string }

export interface BackupSettingsView { folder: string; hasPassphrase: boolean }

export async function backupSettingsView(db: Knex, dataDir: string): Promise<BackupSettingsView> {
  return { folder: await getBackupFolder(db), hasPassphrase: (await readBackupKey(dataDir)) !== null };
}

/**
 * Saves the folder (checked on the disk) and, when given, a new passphrase: only its scrypt key is
 * kept, in <dataDir>/backup.key. Audited without the passphrase, of course.
 */
export async function saveBackupSettings(ctx: CoreContext, actor: Actor, input: BackupSettingsInput, dataDir: string): Promise<BackupSettingsView> {
  const admin = authorizeStaff(actor, 'backups.manage');
  const folder = await checkBackupFolder(input.folder);
  const pass = input.passphrase ?? '';
  const changingPassphrase = pass !== '' || (input.passphraseConfirm ?? '') !== '';
  const hadKey = (await readBackupKey(dataDir)) !== null;
  if (changingPassphrase) {
    if (pass.length < MIN_PASSPHRASE_LENGTH) throw invalid(`Phrase de passe : ${MIN_PASSPHRASE_LENGTH} caractères au moins (plusieurs mots, par exemple).`, { field: 'passphrase' });
    if (pass !== input.passphraseConfirm) throw invalid('Confirmer la phrase de passe : les deux phrases de passe ne sont pas identiques.', { field: 'passphraseConfirm' });
  } else if (!hadKey) {
    throw invalid('Phrase de passe : choisissez la phrase de passe qui chiffrera les sauvegardes.', { field: 'passphrase' });
  }
  const key = changingPassphrase ? await deriveArchiveKey(pass) : null;
  const now = ctx.clock.now();
  const before = await getBackupFolder(ctx.db);
  await writeTransaction(ctx.db, async (trx) => {
    await writeSettingJson(trx, BACKUP_SETTINGS_KEY, { folder }, now);
    await audit(trx, admin, {
      action: 'settings.backup', entity: 'settings', entityId: BACKUP_SETTINGS_KEY,
      before: { folder: before }, after: { folder, passphraseChanged: changingPassphrase },
    }, now);
    // The key file is written inside the transaction: a failure rolls the folder and the trace back.
    if (key) await writeBackupKey(dataDir, key);
  });
  return { folder, hasPassphrase: true };
}
