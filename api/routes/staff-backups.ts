import { defineRoutes, json, staff } from '../contract.js';
import { backupSettingsInput, type BackupRunView, type BackupScreenView, type BackupStatusView } from '../backup.js';
import { confirmNumberingInput, type RestorePendingView } from '../restore.js';
import type { ServerStatus } from '../server-status.js';

/** The server's own state (restart, backups, restore) and Paramètres › Sauvegardes / Restauration. */
export const staffBackupRoutes = defineRoutes({
  'staff.serverStatus': { method: 'GET', path: '/api/staff/server-status', access: staff('console.use'), reply: json<ServerStatus>() },
  'staff.backupStatus': { method: 'GET', path: '/api/staff/backup-status', access: staff('console.use'), reply: json<BackupStatusView>() },
  'staff.backupSettings': { method: 'GET', path: '/api/staff/settings/backup', access: staff('backups.manage'), reply: json<BackupScreenView>() },
  'staff.saveBackupSettings': {
    method: 'PUT',
    path: '/api/staff/settings/backup',
    access: staff('backups.manage'),
    body: backupSettingsInput,
    reply: json<BackupScreenView>(),
  },
  /** A failed backup answers 200 with its recorded run (ok: false and the French reason). */
  'staff.runBackup': {
    method: 'POST',
    path: '/api/staff/settings/backup/run',
    access: staff('backups.manage'),
    reply: json<{ run: BackupRunView | null; screen: BackupScreenView }>(),
  },
  'staff.restoreStatus': { method: 'GET', path: '/api/staff/restore/status', access: staff('console.use'), reply: json<{ pending: boolean }>() },
  'staff.restoreSettings': { method: 'GET', path: '/api/staff/settings/restore', access: staff('restore.confirm'), reply: json<RestorePendingView>() },
  'staff.confirmRestoreNumbering': {
    method: 'POST',
    path: '/api/staff/settings/restore/numbering',
    access: staff('restore.confirm'),
    body: confirmNumberingInput,
    reply: json<{ note: string }>(),
  },
});
