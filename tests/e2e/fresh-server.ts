import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A server of its own for the first-start walk: `npx tsx scripts/serve.ts` on a fresh, empty
 * data folder with ETICKET_DEMO=0 (a commune's production install), on E2E_FRESH_PORT (3232),
 * leaving the demo server of playwright.config.ts alone.
 */
export interface FreshServer {
  url: string;
  dataDir: string;
  /** Every line the server printed so far (stdout and stderr). */
  log: string[];
  /** The one-time code read in the log ("Code de mise en service : 4821-KXPT"). */
  setupCode: string | null;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');

export async function startFreshServer(options: { port?: number; env?: Record<string, string> } = {}): Promise<FreshServer> {
  const port = options.port ?? Number(process.env.E2E_FRESH_PORT ?? 3232);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-fresh-'));
  const child = spawn('npx', ['tsx', 'scripts/serve.ts'], {
    cwd: root,
    // Its own process group, so stop() ends npx, tsx and the server together.
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ETICKET_DEMO: '0', ETICKET_DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  let exited = false;
  child.on('exit', () => (exited = true));
  const collect = (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  // "Données : …" is printed after the listening line; the setup lines follow it at once.
  while (!log.some((l) => l.includes('Code de mise en service') || l.includes('Données :'))) {
    if (exited || Date.now() > deadline) throw new Error(`Le serveur neuf n’a pas démarré :\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 300));
  const code = log.map((l) => /Code de mise en service : (\d{4}-[A-Z]{4})/.exec(l)?.[1]).find(Boolean) ?? null;

  return {
    url,
    dataDir,
    log,
    setupCode: code,
    async stop() {
      if (!exited && child.pid) {
        process.kill(-child.pid, 'SIGTERM');
        const until = Date.now() + 10_000;
        while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        if (!exited) process.kill(-child.pid, 'SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
