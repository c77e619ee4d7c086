import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../clock.js';
import { migrationSource, openDb } from '../../db/index.js';
import { deriveArchiveKey } from './crypto-stream.js';
import { writeBackupKey } from './key-file.js';
import { readBackupManifest } from './archive.js';
import { backupBeforeMigration, nightlyDue } from './schedule.js';

describe('nightly backup schedule (Europe/Paris)', () => {
  it('is due once the clock passes 02:00, or when the last good one is over 24 h old', () => {
    // 2 Dec 2026: Paris is UTC+1, 02:00 Paris = 01:00 UTC.
    const lastNight = '2026-12-01T01:05:00.000Z';
    expect(nightlyDue(new Date('2026-12-02T00:30:00Z'), lastNight, lastNight)).toBe(false);
    expect(nightlyDue(new Date('2026-12-02T01:00:00Z'), lastNight, lastNight)).toBe(true);
    expect(nightlyDue(new Date('2026-12-02T01:30:00Z'), '2026-12-02T01:00:30.000Z', '2026-12-02T01:00:30.000Z')).toBe(false);
    expect(nightlyDue(new Date('2026-12-02T09:00:00Z'), '2026-11-30T09:00:00.000Z', '2026-11-30T09:00:00.000Z')).toBe(true);
    expect(nightlyDue(new Date('2026-12-02T09:00:00Z'), null, null)).toBe(true);
  });

  it('retries a failed attempt after an hour, not at every tick', () => {
    const lastOk = '2026-12-01T01:05:00.000Z';
    expect(nightlyDue(new Date('2026-12-02T01:30:00Z'), lastOk, '2026-12-02T01:00:00.000Z')).toBe(false);
    expect(nightlyDue(new Date('2026-12-02T02:01:00Z'), lastOk, '2026-12-02T01:00:00.000Z')).toBe(true);
  });
});

describe('backup before migration', () => {
  it('backs up a database with data and pending migrations, and stops on a failure', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-premig-'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-premig-dest-'));
    const db = openDb({ dataDir });
    try {
      const clock = new FixedClock('2026-12-02T09:00:00Z');
      // An older version's database: every migration but the last one.
      await db.migrate.up({ migrationSource });
      const all = await migrationSource.getMigrations([]);
      for (let i = 1; i < all.length - 1; i++) await db.migrate.up({ migrationSource });
      // Not configured: nothing to do.
      expect(await backupBeforeMigration({ db, clock }, dataDir, migrationSource)).toBeNull();
      await db('settings').insert({ key: 'backup', value: JSON.stringify({ folder }), updated_at: 'x' });
      await writeBackupKey(dataDir, await deriveArchiveKey('une phrase de passe assez longue'));
      const record = await backupBeforeMigration({ db, clock }, dataDir, migrationSource);
      expect(record).not.toBeNull();
      const [file] = fs.readdirSync(folder);
      const manifest = await readBackupManifest(path.join(folder, file!), 'une phrase de passe assez longue');
      expect(manifest.reason).toBe('before-migration');
      expect(manifest.lastMigration).toBe(all[all.length - 2]);
      await db.migrate.latest({ migrationSource });
      await record!();
      expect(await db('backup_runs').where({ reason: 'before-migration', ok: true }).count({ n: '*' })).toEqual([{ n: 1 }]);
      // Nothing pending any more: no backup.
      expect(await backupBeforeMigration({ db, clock }, dataDir, migrationSource)).toBeNull();

      await db.migrate.down({ migrationSource });
      fs.rmSync(folder, { recursive: true });
      await expect(backupBeforeMigration({ db, clock }, dataDir, migrationSource)).rejects.toThrow(/La base n’a pas été mise à jour/);
    } finally {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
