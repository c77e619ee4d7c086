import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RestorePreview } from '../../api/restore.js';
import { MAX_SETUP_ARCHIVE_BYTES, type setupRestoreRoutes } from '../../api/routes/setup-restore.js';
import { DomainError, invalid } from '../../core/errors.js';
import { writeInstallState } from '../../core/install.js';
import { restoreIntoDataDir } from '../../core/restore/apply.js';
import { confirmNumberingFromCommandLine, getRestorePending } from '../../core/restore/numbering.js';
import { previewDatabase } from '../../core/restore/preview.js';
import { openRestoreSource, type RestoreSourceFile } from '../../core/restore/source.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';
import { receiveSingleFile, uploadTempDir } from '../uploads.js';
import { setupGuard } from './setup.js';

/**
 * "Restaurer une sauvegarde" on the setup page of a fresh install: upload the archive and its
 * passphrase ("Voir le contenu" → the preview), "Restaurer" (the setup-mode server closes its
 * empty database, puts the restored one in its place, opens it again), then the numbering
 * confirmation, allowed once with the token the restore answered, since nobody is signed in yet.
 */
interface Staged {
  token: string;
  workDir: string;
  source: RestoreSourceFile;
  preview: RestorePreview;
}

export function setupRestoreHandlers(deps: ServerDeps): Handlers<typeof setupRestoreRoutes> {
  const ctx = coreContext(deps);
  const allow = setupGuard(deps);
  let staged: Staged | null = null;
  /** Set by "Restaurer": the token that may confirm the restored numbering. */
  let restoredToken: string | null = null;

  const dropStaged = async () => {
    if (staged) await fs.promises.rm(staged.workDir, { recursive: true, force: true });
    staged = null;
  };

  return {
    'setup.restorePreview': {
      before: [allow],
      handle: async ({ req }) => {
        const upload = await receiveSingleFile(req, { tmpDir: uploadTempDir(deps.config.dataDir), maxBytes: MAX_SETUP_ARCHIVE_BYTES, fieldName: 'archive', maxFieldBytes: 1024 });
        try {
          if (!upload.file || upload.file.sizeBytes === 0) throw invalid('Choisissez le fichier de sauvegarde (.etkbackup).', { field: 'archive' });
          if (upload.file.truncated) throw invalid('Ce fichier est trop gros pour une sauvegarde eTicket.', { field: 'archive' });
          const passphrase = upload.fields.passphrase ?? '';
          if (!passphrase) throw invalid('Indiquez la phrase de passe de la sauvegarde.', { field: 'passphrase' });
          await dropStaged();
          const workDir = await fs.promises.mkdtemp(path.join(deps.config.dataDir, 'restauration-en-cours-'));
          try {
            const source = await openRestoreSource(upload.file.tempPath, passphrase, path.join(workDir, 'extrait'), { archive: true }).catch((err: unknown) => {
              if (err instanceof DomainError && err.code === 'BACKUP_PASSPHRASE') throw new DomainError(err.code, err.message, { field: 'passphrase' });
              if (err instanceof DomainError) throw new DomainError(err.code, err.message, { field: 'archive' });
              throw err;
            });
            const preview = await previewDatabase(source.databaseFile, source.takenAt);
            if (preview.demo) throw invalid('Cette sauvegarde est celle d’une démonstration (mots de passe publics) : elle ne peut pas devenir l’installation de la commune.', { field: 'archive' });
            staged = { token: randomBytes(18).toString('base64url'), workDir, source, preview };
          } catch (err) {
            await fs.promises.rm(workDir, { recursive: true, force: true });
            throw err;
          }
          return { token: staged.token, preview: staged.preview };
        } finally {
          if (upload.file) await fs.promises.rm(upload.file.tempPath, { force: true });
        }
      },
    },

    'setup.restoreApply': {
      before: [allow],
      handle: async ({ body }) => {
        if (!staged || body.token !== staged.token) throw new DomainError('CONFLICT', 'Cette sauvegarde n’est plus prête : choisissez le fichier à nouveau et cliquez « Voir le contenu ».');
        const current = staged;
        staged = null;
        const now = deps.clock.now();
        // The fresh folder's database is empty (no setup done): close it, restore in its place, reopen.
        await deps.db.destroy();
        try {
          await restoreIntoDataDir(deps.config.dataDir, current.source, { replace: true, now });
        } finally {
          deps.db.initialize();
          await fs.promises.rm(current.workDir, { recursive: true, force: true });
        }
        await writeInstallState(deps.db, { mode: 'production', setupDone: true }, now);
        restoredToken = current.token;
        return getRestorePending(deps.db);
      },
    },

    // No setup guard: the restore just ended the setup; the token is the proof.
    'setup.restoreNumbering': async ({ body }) => {
      if (!restoredToken || body.token !== restoredToken) throw new DomainError('NOT_FOUND', 'Aucune restauration de cette page n’attend de confirmation.');
      const done = await confirmNumberingFromCommandLine(ctx, { receipts: body.receipts, invoices: body.invoices });
      restoredToken = null;
      return { note: done.note };
    },
  };
}
