import type { BackupScreenView } from '../../../api/backup.js';
import type { staffBackupRoutes } from '../../../api/routes/staff-backups.js';
import { appVersion, backupNow, backupRunning } from '../../../core/backup/run.js';
import { backupSettingsView, saveBackupSettings } from '../../../core/backup/settings.js';
import { backupStatus, listBackupRuns } from '../../../core/backup/status.js';
import { restartNotice } from '../../../core/restart-notice.js';
import { confirmRestoreNumbering, getRestorePending } from '../../../core/restore/numbering.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** The server's restart notice, backups and the numbering after a restore (core checks the role again). */
export function staffBackupHandlers(deps: ServerDeps): Handlers<typeof staffBackupRoutes> {
  const ctx = coreContext(deps);
  const screen = async (): Promise<BackupScreenView> => ({
    ...(await backupSettingsView(deps.db, deps.config.dataDir)),
    running: backupRunning(),
    runs: await listBackupRuns(deps.db),
  });
  return {
    'staff.serverStatus': () => {
      const at = deps.config.restartedAt;
      return { restartedAt: at ? at.toISOString() : null, restartNotice: at ? restartNotice(at) : null };
    },
    'staff.backupStatus': () => backupStatus(deps.db, deps.clock.now()),
    'staff.backupSettings': screen,
    'staff.saveBackupSettings': async ({ me, body }) => {
      await saveBackupSettings(ctx, me.actor, body, deps.config.dataDir);
      return screen();
    },
    'staff.runBackup': async ({ me }) => {
      await backupNow(ctx, me.actor, { dataDir: deps.config.dataDir, appVersion: appVersion() });
      const runs = await listBackupRuns(deps.db, 1);
      return { run: runs[0] ?? null, screen: await screen() };
    },
    'staff.restoreStatus': async () => ({ pending: (await getRestorePending(deps.db)).pending }),
    'staff.restoreSettings': () => getRestorePending(deps.db),
    'staff.confirmRestoreNumbering': async ({ me, body }) => ({ note: (await confirmRestoreNumbering(ctx, me.actor, body)).note }),
  };
}
