// `npm run serve` brings the server back after a crash, and stops clearly when it cannot start.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerStatus } from '../api/server-status.js';
import { DEMO_PASSWORD } from '../core/install.js';
import { decideAfterExit, DEFAULT_SUPERVISOR_POLICY as P, INITIAL_SUPERVISOR_STATE } from '../server/supervisor.js';
import { Browser } from './api/harness.js';

describe('the restart decision', () => {
  const crash = (ranMs: number) => ({ wasReady: true, ranMs, code: null, signal: 'SIGKILL' });
  it('waits longer at each quick death, up to the cap, and starts again from the base after a healthy run', () => {
    let state = INITIAL_SUPERVISOR_STATE;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const d = decideAfterExit(state, crash(2_000));
      expect(d.action).toBe('restart');
      delays.push(d.action === 'restart' ? d.delayMs : -1);
      state = d.state;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    const healthy = decideAfterExit(state, crash(P.healthyAfterMs));
    expect(healthy).toMatchObject({ action: 'restart', delayMs: 1_000, state: { quickDeaths: 0 } });
    expect(healthy.notice).toBe('Le serveur eTicket s’est arrêté de façon imprévue (arrêté par le signal SIGKILL) : redémarrage dans 1 s.');
  });

  it('gives up after three starts in a row that never answered, saying so in French', () => {
    const failed = { wasReady: false, ranMs: 300, code: 1, signal: null };
    const first = decideAfterExit(INITIAL_SUPERVISOR_STATE, failed);
    expect(first).toMatchObject({ action: 'restart', delayMs: 1_000 });
    expect(first.notice).toMatch(/^Le serveur eTicket n’a pas démarré \(sorti avec le code 1\)/);
    const second = decideAfterExit(first.state, failed);
    const third = decideAfterExit(second.state, failed);
    expect(third.action).toBe('give-up');
    expect(third.notice).toMatch(/n’a pas pu démarrer 3 fois de suite .* relancez « npm run serve »/);
    // A start that answered in between resets the count.
    const answered = decideAfterExit(second.state, crash(500));
    expect(answered).toMatchObject({ action: 'restart', state: { startFailures: 0 } });
  });
});

const root = path.resolve(import.meta.dirname, '..');
const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.pid) process.kill(-c.pid, 'SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function supervise(port: number, demo = false): { child: ChildProcess; out: () => string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-sup-'));
  dirs.push(dataDir);
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'supervise.ts')], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ETICKET_DEMO: demo ? '1' : '0', ETICKET_DATA_DIR: dataDir, ETICKET_RESTART_DELAY_MS: '300' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { child, out: () => out };
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what} : délai dépassé`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answers = async (url: string) => {
  try {
    return (await fetch(url)).ok ? true : null;
  } catch {
    return null;
  }
};

describe('npm run serve under a crash', () => {
  it('answers again within 10 s after its server process is killed, and the console is told', async () => {
    const port = await freePort();
    const { child, out } = supervise(port, true);
    const base = `http://127.0.0.1:${port}`;
    const healthz = `${base}/healthz`;
    await until('premier démarrage', () => answers(healthz), 60_000);
    const agent = new Browser(base);
    expect((await agent.loginStaff('secretariat', DEMO_PASSWORD)).status).toBe(200);
    expect((await agent.get<ServerStatus>('/api/staff/server-status')).body).toEqual({ restartedAt: null, restartNotice: null });
    const pid = Number(/processus (\d+)/.exec(out())![1]);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await until('arrêt constaté', () => (out().includes('arrêté par le signal SIGKILL') ? true : null), 10_000);
    await until('redémarrage', () => answers(healthz), 10_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(Number([...out().matchAll(/processus (\d+)/g)].at(-1)![1])).not.toBe(pid);
    // The agent's session survived (it is in the database), and the console's band has its words.
    const status = (await agent.get<ServerStatus>('/api/staff/server-status')).body;
    expect(new Date(status.restartedAt!).getTime()).toBeGreaterThanOrEqual(killedAt);
    expect(status.restartNotice).toMatch(/^Le serveur eTicket s’est arrêté de façon imprévue et a redémarré seul le \d+/);
    // SIGTERM (systemd's stop) ends the server and the supervisor, without a restart.
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out()).toContain('serveur arrêté.');
    expect(await answers(healthz)).toBeNull();
  }, 90_000);

  it('stops after three failed starts (the port is taken) with a French reason', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { child, out } = supervise(port);
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code).toBe(1);
      expect(out()).toMatch(/n’a pas pu démarrer 3 fois de suite/);
      expect([...out().matchAll(/serveur lancé/g)]).toHaveLength(3);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 90_000);
});
