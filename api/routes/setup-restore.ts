import { defineRoutes, json, publicRoute } from '../contract.js';
import { setupRestoreApplyInput, setupRestoreNumberingInput, type RestorePendingView, type StagedRestore } from '../restore.js';

/** Far more than any commune's backup; the archive is streamed to disk, never held in memory. */
export const MAX_SETUP_ARCHIVE_BYTES = 16 * 1024 ** 3;

/**
 * "Restaurer une sauvegarde" on the setup page of a fresh install, under the setup's own rules
 * (api/routes/setup.ts): "Voir le contenu", "Restaurer", then the numbering, confirmed once with
 * the token the restore answered, since nobody is signed in yet.
 */
export const setupRestoreRoutes = defineRoutes({
  'setup.restorePreview': {
    method: 'POST',
    path: '/api/setup/restore/preview',
    access: publicRoute,
    upload: { maxBytes: MAX_SETUP_ARCHIVE_BYTES, tooLarge: 'Ce fichier est trop gros pour une sauvegarde eTicket.' },
    reply: json<StagedRestore>(),
  },
  'setup.restoreApply': { method: 'POST', path: '/api/setup/restore/apply', access: publicRoute, body: setupRestoreApplyInput, reply: json<RestorePendingView>() },
  'setup.restoreNumbering': { method: 'POST', path: '/api/setup/restore/numbering', access: publicRoute, body: setupRestoreNumberingInput, reply: json<{ note: string }>() },
});
