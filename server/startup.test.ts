import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateLatest } from '../db/index.js';
import { startServer } from './bootstrap.js';
import { explainStartupError, StartupError } from './startup-errors.js';

/** Starting on a disk or database that cannot be written: a French explanation, no stack. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('a read-only start', () => {
  it('explains a data folder that cannot be created (under /sys, read-only even for root)', async () => {
    const dataDir = '/sys/eticket-donnees';
    const started = startServer({ port: 0, config: { dataDir, demo: false }, log: () => {} });
    await expect(started).rejects.toBeInstanceOf(StartupError);
    const message = await started.catch((e: Error) => e.message);
    expect(message).toMatch(/^eTicket ne peut pas démarrer : /);
    expect(message).toContain(`« ${dataDir} »`);
    expect(message).toContain('ETICKET_DATA_DIR');
    expect(message).toContain('lecture seule');
  });

  it('explains a data folder where no database file can be created (/proc/self)', async () => {
    const message = await startServer({ port: 0, config: { dataDir: '/proc/self', demo: false }, log: () => {} }).catch((e: Error) => e.message);
    expect(message).toMatch(/^eTicket ne peut pas démarrer : impossible de créer ou d’ouvrir la base de données dans le dossier « \/proc\/self »/);
  });

  it('explains a database file opened read-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-ro-'));
    dirs.push(dir);
    const file = path.join(dir, 'eticket.sqlite');
    fs.writeFileSync(file, '');
    // Root ignores file modes: SQLite's own read-only mode stands for a write-protected disk.
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: file, options: { readonly: true } }, useNullAsDefault: true });
    const err = await migrateLatest(db).then(
      () => null,
      (e: unknown) => e,
    );
    await db.destroy();
    expect(err).not.toBeNull();
    const explained = explainStartupError(err, { dataDir: dir });
    expect(explained.message).toMatch(/^eTicket ne peut pas démarrer : la base de données « .*eticket\.sqlite » est en lecture seule/);
    expect(explained.message).not.toMatch(/\n\s+at /);
  });

  it('`npm run serve` prints one French sentence and exits 1, without a stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/serve.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, ETICKET_DATA_DIR: '/proc/self', PORT: '0', ETICKET_DEMO: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^eTicket ne peut pas démarrer : impossible de créer ou d’ouvrir la base de données/);
    expect(run.stderr).not.toMatch(/\s+at .*\.(ts|js):\d+/);
  }, 60_000);
});
