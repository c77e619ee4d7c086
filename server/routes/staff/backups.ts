import { Router } from 'express';
import { backupSettingsInput, type BackupRunView, type BackupScreenView, type BackupStatusView } from '../../../api/backup.js';
import { appVersion, backupNow, backupRunning } from '../../../core/backup/run.js';
import { backupSettingsView, saveBackupSettings } from '../../../core/backup/settings.js';
import { backupStatus, listBackupRuns } from '../../../core/backup/status.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly, anyStaff } from './guards.js';

/** Paramètres › Sauvegardes (admin; core checks again) and the backup band's status (any staff). */
export function backupsRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  const screen = async (): Promise<BackupScreenView> => ({
    ...(await backupSettingsView(deps.db, deps.config.dataDir)),
    running: backupRunning(),
    runs: await listBackupRuns(deps.db),
  });

  router.get('/backup-status', anyStaff, async (_req, res) => {
    const body: BackupStatusView = await backupStatus(deps.db, deps.clock.now());
    res.json(body);
  });
  router.get('/settings/backup', adminOnly, async (_req, res) => {
    res.json(await screen());
  });
  router.put('/settings/backup', adminOnly, async (req, res) => {
    await saveBackupSettings(ctx, staffOf(req).actor, validate(backupSettingsInput, req.body), deps.config.dataDir);
    res.json(await screen());
  });
  // A failed backup answers 200 with its recorded run (ok: false and the French reason).
  router.post('/settings/backup/run', adminOnly, async (req, res) => {
    await backupNow(ctx, staffOf(req).actor, { dataDir: deps.config.dataDir, appVersion: appVersion() });
    const runs = await listBackupRuns(deps.db, 1);
    const body: { run: BackupRunView | null; screen: BackupScreenView } = { run: runs[0] ?? null, screen: await screen() };
    res.json(body);
  });
  return router;
}
