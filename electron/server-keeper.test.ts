// The desktop app's server keeper, with the real server-process entry under Node instead of
// Electron's utility process: killed, it answers again on the same address; it stops cleanly
// when asked; and it gives up, in French, when the server can no longer start.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerKeeper, type KeptProcess } from './server-keeper.js';

const entry = path.join(import.meta.dirname, 'server-process.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A Node child speaking server-ready.ts's messages as JSON lines on stdout (its no-Electron mode). */
function nodeServer(args: string[], env: Record<string, string>): KeptProcess & { pid: number } {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const events = new EventEmitter();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{"type":')) events.emit('message', JSON.parse(line));
  });
  child.on('exit', (code) => events.emit('exit', code ?? -1));
  return Object.assign(events, {
    pid: child.pid!,
    kill: () => child.kill('SIGKILL'),
    shutdown: () => child.kill('SIGTERM'),
  }) as unknown as KeptProcess & { pid: number };
}

const answers = async (url: string) => {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
};

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-keeper-'));
  dirs.push(dir);
  return dir;
}

const policy = { baseDelayMs: 200, maxDelayMs: 1_000, healthyAfterMs: 60_000, maxStartFailures: 3 };

describe('ServerKeeper', () => {
  it('starts the server again on the same address after it is killed, and stops it cleanly', async () => {
    const spawned: Array<{ pid: number; env: Record<string, string> }> = [];
    const restarted: string[] = [];
    const keeper = new ServerKeeper({
      spawn: (env) => {
        const p = nodeServer(['--import', 'tsx', entry], env);
        spawned.push({ pid: p.pid, env });
        return p;
      },
      env: { ETICKET_DATA_DIR: dataDir(), ETICKET_DEMO: '0' },
      log: () => {},
      onRestarted: (url) => restarted.push(url),
      onGaveUp: (notice) => restarted.push(`abandon : ${notice}`),
      policy,
    });
    const url = await keeper.start();
    expect(await answers(url)).toBe(true);
    expect(spawned[0]!.env.ETICKET_RESTARTED_AT).toBeUndefined();

    const killedAt = Date.now();
    process.kill(spawned[0]!.pid, 'SIGKILL');
    await expect.poll(() => restarted.length, { timeout: 10_000 }).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    // Same port, so the open window goes on; the new server knows it was restarted (the console's band).
    expect(restarted[0]).toBe(url);
    expect(await answers(url)).toBe(true);
    expect(spawned).toHaveLength(2);
    expect(spawned[1]!.env.ETICKET_PORT).toBe(new URL(url).port);
    expect(new Date(spawned[1]!.env.ETICKET_RESTARTED_AT!).getTime()).toBeGreaterThanOrEqual(killedAt - 1);

    expect(await keeper.stop()).toBe('clean');
    expect(await answers(url)).toBe(false);
    // Asked to stop: nothing comes back.
    await new Promise((r) => setTimeout(r, policy.baseDelayMs * 3));
    expect(spawned).toHaveLength(2);
  }, 60_000);

  it('gives up with a French notice when the server cannot start again three times', async () => {
    let calls = 0;
    const notices: string[] = [];
    const keeper = new ServerKeeper({
      spawn: (env) => {
        calls += 1;
        // The first start is the real server; then every start fails at once (a full disk, say).
        return calls === 1 ? nodeServer(['--import', 'tsx', entry], env) : nodeServer(['-e', 'process.exit(1)'], env);
      },
      env: { ETICKET_DATA_DIR: dataDir(), ETICKET_DEMO: '0' },
      log: () => {},
      onRestarted: () => notices.push('redémarré ?'),
      onGaveUp: (notice) => notices.push(notice),
      policy,
      readyTimeoutMs: 20_000,
    });
    const url = await keeper.start();
    const first = children.at(-1)!;
    first.kill('SIGKILL');
    await expect.poll(() => notices.length, { timeout: 20_000 }).toBe(1);
    expect(calls).toBe(4);
    expect(notices[0]).toMatch(/^Le serveur eTicket n’a pas pu démarrer 3 fois de suite .* relancez eTicket\.$/);
    expect(await answers(url)).toBe(false);
    expect(await keeper.stop()).toBe('none');
  }, 60_000);
});
