// `npx tsx scripts/bench-signin.ts [seconds]`: sign-in throughput at the old scrypt cost
// (N=2^14, the baseline, measured in the same run) and at OWASP's (N=2^17), in core and over
// HTTP, and how /healthz answers while one client fires sign-ins as fast as it can.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loginParent } from '../core/auth.js';
import { systemClock } from '../core/clock.js';
import { hashPassword, OWASP_SCRYPT, setScryptTarget, type ScryptParams } from '../core/passwords.js';
import { migrateLatest, openDb } from '../db/index.js';
import { createServer } from '../server/app.js';

const seconds = Number(process.argv[2] ?? 5);
process.env.ETICKET_LOGIN_RATE_LIMIT = '1000000'; // the window limit is not what is measured here
const PASSWORD = 'girafe-crayon-tempete';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-signin-'));
const db = openDb({ dataDir });
await migrateLatest(db);
const at = new Date().toISOString();
const [family] = await db('families').insert({ code: 'F-1', name: 'BENCH', search_text: 'bench', created_at: at, updated_at: at }).returning('id');
const familyId = typeof family === 'object' ? (family as { id: number }).id : Number(family);
await db('parent_accounts').insert({ family_id: familyId, username: 'bench.parent', password_hash: 'x', must_change_password: false, created_at: at, updated_at: at });

const app = createServer({ db, clock: systemClock, config: { dataDir, publicUrl: 'http://127.0.0.1', demo: false, secureCookies: false } });
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Runs `task` with `concurrency` workers for the bench duration; returns completions per second. */
async function rate(concurrency: number, task: () => Promise<boolean>): Promise<{ perSecond: number; refused: number }> {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        if (await task()) done++;
        else refused++;
      }
    }),
  );
  return { perSecond: done / seconds, refused };
}

const httpSignIn = async () => {
  const res = await fetch(`${base}/api/auth/parent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench.parent', password: PASSWORD }),
  });
  await res.arrayBuffer();
  if (res.status === 429) await new Promise((r) => setTimeout(r, 20));
  return res.status === 200;
};

/** /healthz latency (median and worst, ms) while `load` runs. */
async function healthzDuring(load: Promise<unknown>): Promise<{ median: number; worst: number }> {
  const samples: number[] = [];
  let running = true;
  void load.finally(() => (running = false));
  while (running) {
    const t = performance.now();
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    samples.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] ?? 0, worst: samples.at(-1) ?? 0 };
}

async function round(label: string, params: ScryptParams) {
  setScryptTarget(params);
  await db('parent_accounts').update({ password_hash: await hashPassword(PASSWORD, params) });
  const ctx = { db, clock: systemClock };
  const cpu0 = process.cpuUsage();
  const coreRate = await rate(os.availableParallelism() * 2, async () => Boolean(await loginParent(ctx, { username: 'bench.parent', password: PASSWORD })));
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerSignIn = (cpu.user + cpu.system) / 1000 / (coreRate.perSecond * seconds);
  const oneClient = rate(8, httpSignIn);
  const health = await healthzDuring(oneClient);
  const client = await oneClient;
  console.log(
    `${label.padEnd(26)} core: ${coreRate.perSecond.toFixed(1).padStart(6)} sign-ins/s (${cpuMsPerSignIn.toFixed(0)} ms CPU each)` +
      ` | one client, 8 in parallel over HTTP: ${client.perSecond.toFixed(1).padStart(5)}/s, ${client.refused} told to wait` +
      ` | /healthz meanwhile: median ${health.median.toFixed(1)} ms, worst ${health.worst.toFixed(1)} ms`,
  );
}

console.log(`eTicket sign-in benchmark, ${seconds} s per measure, ${os.availableParallelism()} cores`);
await round('baseline scrypt N=2^14', { N: 2 ** 14, r: 8, p: 1 });
await round('OWASP scrypt N=2^17', OWASP_SCRYPT);

server.close();
server.closeAllConnections();
await db.destroy();
fs.rmSync(dataDir, { recursive: true, force: true });
