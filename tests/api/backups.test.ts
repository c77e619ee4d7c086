import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupRunView, BackupScreenView, BackupStatusView } from '../../api/backup.js';
import { backupKeyFile } from '../../core/backup/key-file.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { Browser, setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';

// Paramètres › Sauvegardes over HTTP: admin only, French field messages, no secret ever answered.

const PASSPHRASE = 'phrase gardée sur papier au coffre';
let t: TestDb;
let h: Harness;
let admin: Browser;
let dataDir: string;
let backupDir: string;
type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-api-backup-'));
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-api-backup-dest-'));
  t = await createTestDb({ filename: path.join(dataDir, 'eticket.sqlite'), now: '2026-12-02T09:00:00Z' });
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock, config: { dataDir } });
  admin = await signedInStaff(h, 'admin');
});
afterEach(async () => {
  await h.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(backupDir, { recursive: true, force: true });
});

const settings = (over: Record<string, unknown> = {}) => ({ folder: backupDir, passphrase: PASSPHRASE, passphraseConfirm: PASSPHRASE, ...over });

describe('Sauvegardes', () => {
  it('lets the admin set folder and passphrase, back up now, and see it listed as verified', async () => {
    const saved = await admin.put<BackupScreenView>('/api/staff/settings/backup', settings());
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ folder: backupDir, hasPassphrase: true, runs: [] });
    const run = await admin.post<{ run: BackupRunView; screen: BackupScreenView }>('/api/staff/settings/backup/run');
    expect(run.status).toBe(200);
    expect(run.body.run).toMatchObject({ ok: true, verified: true, reason: 'manual', error: null });
    expect(fs.readdirSync(backupDir)).toEqual([run.body.run.fileName]);
    expect(fs.statSync(path.join(backupDir, run.body.run.fileName!)).size).toBe(run.body.run.sizeBytes);
    // Audited: the settings change and the manual backup.
    const actions = (await t.db('audit_log').select('action', 'after_json')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['settings.backup', 'backup.manual']));
    const status = await admin.get<BackupStatusView>('/api/staff/backup-status');
    expect(status.body).toMatchObject({ warn: false, daysSinceLastOk: 0 });
  });

  it('never answers the passphrase or the key, nor writes them in the journal', async () => {
    const answers = [await admin.put('/api/staff/settings/backup', settings()), await admin.get('/api/staff/settings/backup'), await admin.post('/api/staff/settings/backup/run')];
    const key = (JSON.parse(fs.readFileSync(backupKeyFile(dataDir), 'utf8')) as { key: string }).key;
    for (const a of answers) {
      expect(JSON.stringify(a.body)).not.toContain(PASSPHRASE);
      expect(JSON.stringify(a.body)).not.toContain(key);
    }
    const journal = JSON.stringify(await t.db('audit_log').select());
    expect(journal).not.toContain(PASSPHRASE);
    expect(journal).not.toContain(key);
    expect(JSON.stringify(await t.db('settings').select())).not.toContain(key);
  });

  it('is the admin’s alone; the status is for every staff member', async () => {
    const secretariat = await signedInStaff(h, 'secretariat');
    const restauration = await signedInStaff(h, 'restauration');
    expect((await secretariat.get('/api/staff/settings/backup')).status).toBe(403);
    expect((await secretariat.put('/api/staff/settings/backup', settings())).status).toBe(403);
    expect((await secretariat.post('/api/staff/settings/backup/run')).status).toBe(403);
    expect(fs.existsSync(backupKeyFile(dataDir))).toBe(false);
    expect((await restauration.get<BackupStatusView>('/api/staff/backup-status')).status).toBe(200);
    expect((await new Browser(h.url).get('/api/staff/backup-status')).status).toBe(401);
  });

  it('refuses a bad folder or passphrase with a French message on the field, changing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ folder: '' }, 'folder', /indiquez un dossier/],
      [{ folder: 'relatif/dossier' }, 'folder', /chemin complet/],
      [{ folder: path.join(backupDir, 'absent') }, 'folder', /n’existe pas/],
      [{ folder: path.join(dataDir, 'eticket.sqlite') }, 'folder', /n’est pas un dossier/],
      [{ passphrase: 'court', passphraseConfirm: 'court' }, 'passphrase', /12 caractères/],
      [{ passphraseConfirm: 'une autre phrase de passe' }, 'passphraseConfirm', /pas identiques/],
      [{ passphrase: '', passphraseConfirm: '' }, 'passphrase', /choisissez la phrase de passe/],
    ];
    for (const [over, field, message] of cases) {
      const res = await admin.put<Err>('/api/staff/settings/backup', settings(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.details?.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    for (const hostile of [{ folder: 42 }, { folder: backupDir, extra: 1 }, { folder: 'x'.repeat(2000) }, 'pas du json']) {
      expect((await admin.put<Err>('/api/staff/settings/backup', hostile)).status).toBe(400);
    }
    expect(await t.db('settings').where('key', 'backup').first()).toBeUndefined();
    expect(fs.existsSync(backupKeyFile(dataDir))).toBe(false);
  });

  it('answers a French failure, never a 500, when the folder went away', async () => {
    const usb = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-usb-'));
    expect((await admin.put('/api/staff/settings/backup', settings({ folder: usb }))).status).toBe(200);
    fs.rmSync(usb, { recursive: true });
    const run = await admin.post<{ run: BackupRunView }>('/api/staff/settings/backup/run');
    expect(run.status).toBe(200);
    expect(run.body.run).toMatchObject({ ok: false, fileName: null });
    expect(run.body.run.error).toMatch(/clé USB retirée/);
    const status = await admin.get<BackupStatusView>('/api/staff/backup-status');
    expect(status.body.lastOkAt).toBeNull();
  });

  it('warns when the last good backup is older than two days', async () => {
    await t.db('backup_runs').insert({ started_at: '2026-11-29T01:00:00.000Z', finished_at: '2026-11-29T01:01:00.000Z', reason: 'nightly', duration_ms: 60_000, ok: true, verified: true });
    const status = await admin.get<BackupStatusView>('/api/staff/backup-status');
    expect(status.body).toMatchObject({ warn: true, daysSinceLastOk: 3, lastOkAt: '2026-11-29T01:00:00.000Z' });
  });
});
