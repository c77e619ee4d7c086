// Runs the real server-process entry under Node (no Electron): it must start the server on a
// free loopback port, announce it, answer /healthz, and stop cleanly, closing the database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { serverOptionsFromEnv } from './server-options.js';

describe('serverOptionsFromEnv', () => {
  it('listens on loopback, any port, with the data folder and builds given by the shell', () => {
    const options = serverOptionsFromEnv({ ETICKET_DATA_DIR: '/tmp/x/data', ETICKET_APP_ROOT: '/opt/eticket/resources/app' });
    expect(options.host).toBe('127.0.0.1');
    expect(options.port).toBe(0);
    expect(options.config?.dataDir).toBe(path.resolve('/tmp/x/data'));
    expect(options.config?.staffDist).toBe(path.join('/opt/eticket/resources/app', 'dist', 'staff'));
    expect(options.config?.webDist).toBe(path.join('/opt/eticket/resources/app', 'dist', 'web'));
  });

  it('takes a fixed port and refuses a bad one', () => {
    expect(serverOptionsFromEnv({ ETICKET_PORT: '3456' }).port).toBe(3456);
    expect(() => serverOptionsFromEnv({ ETICKET_PORT: 'abc' })).toThrow(/ETICKET_PORT/);
  });
});

describe('electron/server-process.ts', () => {
  it('announces ready, serves /healthz, and closes the database on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-srvproc-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'server-process.ts')], {
      env: { ...process.env, ETICKET_DATA_DIR: dataDir, ETICKET_DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const timer = setTimeout(() => reject(new Error(`pas de message ready: ${out}`)), 25_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('{"type":"ready"'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { url: string }).url);
          }
        });
        child.on('exit', (code) => reject(new Error(`sorti (${code}): ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });

      const exitCode = await new Promise<number | null>((resolve) => {
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
      expect(exitCode).toBe(0);
      // Closed cleanly: the last connection checkpointed the WAL away (checked before we open
      // the file ourselves), and the file opens, migrated.
      const wal = path.join(dataDir, 'eticket.sqlite-wal');
      expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
      const db = new Database(path.join(dataDir, 'eticket.sqlite'), { readonly: true });
      const n = db.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'families'").get() as { n: number };
      db.close();
      expect(n.n).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
