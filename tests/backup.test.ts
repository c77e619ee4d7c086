import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/index.js';
import { migrations } from '../db/migrations/index.js';
import { type Browser, type Harness, setPasswords, signedInStaff, startHarness } from './api/harness.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { extractBackup, readBackupManifest } from '../core/backup/archive.js';
import { saveBackupSettings } from '../core/backup/settings.js';
import { backupKeyFile } from '../core/backup/key-file.js';
import { BUSY_MESSAGE, runBackup } from '../core/backup/run.js';
import { DomainError } from '../core/errors.js';

/**
 * A backup taken while four clients sell at the counter, each on its own connection to the
 * same SQLite file (as four desks would be), restored into a fresh folder.
 */

const PASSPHRASE = 'la mairie garde cette phrase au coffre';
let t: TestDb;
let h: Harness | undefined;
let dataDir: string;
let backupDir: string;
const env = () => ({ dataDir, appVersion: 'test' });
const docs: Record<string, Buffer> = {};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-backup-data-'));
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-backup-dest-'));
  t = await createTestDb({ filename: path.join(dataDir, 'eticket.sqlite'), now: '2026-12-02T09:00:00Z' });
  fs.mkdirSync(path.join(dataDir, 'documents'));
  for (const name of ['a1b2c3.pdf', 'd4e5f6.png', 'big.jpg']) {
    docs[name] = randomBytes(name === 'big.jpg' ? 2_500_000 : 5000);
    fs.writeFileSync(path.join(dataDir, 'documents', name), docs[name]);
  }
  await saveBackupSettings(t.ctx, t.actors.admin, { folder: backupDir, passphrase: PASSPHRASE, passphraseConfirm: PASSPHRASE }, dataDir);
});

afterAll(async () => {
  // The harness closes the server and the database.
  if (h) await h.close();
  else await t.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(backupDir, { recursive: true, force: true });
});

describe('a backup while four desks write', () => {
  it('holds every sale acknowledged before it started, and restores intact', async () => {
    // Four desks selling through the real HTTP server (its one knex connection on the file) while
    // the backup's worker copies the same file on its own connection.
    await setPasswords(t.db);
    h = await startHarness({ db: t.db, clock: t.clock, config: { dataDir } });
    const desks: Browser[] = [];
    for (let i = 0; i < 4; i++) desks.push(await signedInStaff(h, 'secretariat'));
    const acked: Array<{ id: number; number: number }> = [];
    let stop = false;
    let failures = 0;
    const loops = desks.map(async (desk, w) => {
      for (let i = 0; !stop; i++) {
        const res = await desk.post<{ id: number; number: number }>('/api/staff/sales', {
          familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100 + w, method: 'especes', idempotencyKey: `bureau-${w}-${i}`,
        });
        if (res.status === 201) acked.push({ id: res.body.id, number: res.body.number });
        else if (++failures > 5) stop = true;
      }
    });
    while (acked.length < 60 && !stop) await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeStart = [...acked];
    const outcome = await runBackup(t.ctx, t.actors.system, 'nightly', env());
    const duringBackup = acked.length - beforeStart.length;
    stop = true;
    await Promise.all(loops);

    expect(outcome.error).toBeNull();
    expect(outcome.ok).toBe(true);
    expect(failures).toBe(0);
    // The desks kept selling while the copy was made (it runs in a worker thread).
    expect(duringBackup).toBeGreaterThan(0);
    expect(path.basename(outcome.file!)).toMatch(/^eticket-[a-z0-9-]+-2026-12-02-1000\.etkbackup$/);

    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-backup-restore-'));
    try {
      const restored = await extractBackup(outcome.file!, PASSPHRASE, dest);
      const copy = openDb({ filename: restored.databaseFile });
      try {
        expect((await copy.raw('PRAGMA integrity_check')) as unknown).toEqual([{ integrity_check: 'ok' }]);
        const ids = new Set((await copy('receipts').select('id')).map((r: { id: number }) => r.id));
        for (const a of beforeStart) expect(ids.has(a.id)).toBe(true);
        // The manifest describes the copy exactly.
        expect(restored.manifest.counts.receipts).toBe(ids.size);
        const counter = await copy('receipt_counters').where('year', 2026).first('last_number');
        expect(restored.manifest.lastReceiptNumbers['2026']).toBe(counter.last_number);
        expect(counter.last_number).toBeGreaterThanOrEqual(Math.max(...beforeStart.map((a) => a.number)));
        expect(restored.manifest.lastMigration).toBe(migrations.at(-1)![0]);
        // The derived key stays outside the database, hence outside every archive.
        const key = JSON.parse(fs.readFileSync(backupKeyFile(dataDir), 'utf8')).key as string;
        expect(fs.readFileSync(restored.databaseFile).includes(Buffer.from(key, 'base64'))).toBe(false);
        expect(JSON.stringify(await copy('settings').select())).not.toContain(key);
      } finally {
        await copy.destroy();
      }
      for (const [name, bytes] of Object.entries(docs)) expect(fs.readFileSync(path.join(restored.documentsDir, name)).equals(bytes)).toBe(true);
    } finally {
      fs.rmSync(dest, { recursive: true, force: true });
    }

    const run = await t.db('backup_runs').orderBy('id', 'desc').first();
    expect(run).toMatchObject({ reason: 'nightly', ok: 1, verified: 1, error: null, file_name: path.basename(outcome.file!) });
    expect(run.size_bytes).toBe(fs.statSync(outcome.file!).size);
  });

  it('refuses a tampered archive and a wrong passphrase in French', async () => {
    const file = (await runBackup(t.ctx, t.actors.system, 'manual', env())).file!;
    const tampered = path.join(backupDir, 'modifiee.etkbackup');
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0x20, bytes.length >> 1);
    fs.writeFileSync(tampered, bytes);
    const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DomainError);
    const damaged = await refused(extractBackup(tampered, PASSPHRASE, fs.mkdtempSync(path.join(os.tmpdir(), 'etk-x-'))));
    expect(damaged).toMatchObject({ code: 'BACKUP_DAMAGED', message: 'Cette sauvegarde est endommagée ou a été modifiée : elle ne peut pas être restaurée.' });
    const wrong = await refused(readBackupManifest(file, 'pas la bonne phrase de passe'));
    expect(wrong).toMatchObject({ code: 'BACKUP_PASSPHRASE', message: 'Phrase de passe incorrecte pour cette sauvegarde.' });
    fs.rmSync(tampered);
  });

  it('runs one backup at a time', async () => {
    const first = runBackup(t.ctx, t.actors.system, 'manual', env());
    const second = await runBackup(t.ctx, t.actors.system, 'manual', env()).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DomainError);
    expect((second as DomainError).message).toBe(BUSY_MESSAGE);
    expect((await first).ok).toBe(true);
  });

  it('records a removed backup folder as a French failure, and keeps the old archives', async () => {
    const before = fs.readdirSync(backupDir).sort();
    const gone = path.join(os.tmpdir(), `etk-cle-retiree-${process.pid}`);
    fs.mkdirSync(gone);
    await saveBackupSettings(t.ctx, t.actors.admin, { folder: gone }, dataDir);
    fs.rmdirSync(gone);
    const outcome = await runBackup(t.ctx, t.actors.system, 'nightly', env());
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/n’existe pas ou n’est pas accessible/);
    const run = await t.db('backup_runs').orderBy('id', 'desc').first();
    expect(run).toMatchObject({ ok: 0, file_name: null });
    expect(run.error).toMatch(/clé USB retirée/);
    expect(fs.readdirSync(backupDir).sort()).toEqual(before);
    // No temp copy is left in the data folder either.
    expect(fs.readdirSync(dataDir).filter((n) => n.startsWith('.sauvegarde-'))).toEqual([]);
    await saveBackupSettings(t.ctx, t.actors.admin, { folder: backupDir }, dataDir);
  });

  it('keeps the key file private', () => {
    expect(fs.statSync(backupKeyFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(backupKeyFile(dataDir), 'utf8')).not.toContain(PASSPHRASE);
  });
});
