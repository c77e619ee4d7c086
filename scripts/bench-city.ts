// `npm run bench:city [-- --dir /tmp/x --seconds 5]`: the hot paths at city scale (issue 12).
//
// For a generated city of 1,250 children and one of 20,000 (scripts/bench-city-db.ts, built once
// under --dir, default /tmp/eticket-bench-city, and reused), in the same run and the same client
// loop (Node's http client, keep-alive, 50 requests in flight):
//   - a bare Express server (one JSON route): requests/s, the ceiling of this machine;
//   - the real server (createServer, a child process like the bare one): GET /api/parent/planning
//     for 50 signed-in parents (families of three children), requests/s and p99;
//   - booking toggles over HTTP, POST /api/parent/planning/changes, one cell each, book then
//     cancel, 50 parents at once: toggles/s;
//   - a raw better-sqlite3 transaction of the same shape (upsert the booking, insert its ledger
//     entry) with synchronous=FULL on the same file, one after the other: transactions/s.
// Prints the ratios against the targets. A measuring tool, not a test: it asserts nothing.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';
import { systemClock } from '../core/clock.js';
import { addDays, mondayOf, parisToday } from '../core/dates.js';
import { setScryptTarget } from '../core/passwords.js';
import { openDb } from '../db/index.js';
import { createServer } from '../server/app.js';
import { BENCH_FAMILIES, BENCH_PASSWORD, benchLogin, cityDatabase, workingCopy } from './bench-city-db.js';

const SIZES = [1250, 20_000];
const CONCURRENCY = 50;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

// ------------------------------------------------------------------------------ child: a server

async function serve(kind: string, file: string): Promise<void> {
  let app: express.Express;
  if (kind === 'bare') {
    app = express();
    app.get('/bare', (_req, res) => {
      res.json({ ok: true });
    });
  } else {
    // The generated accounts' hashes are cheap; no rehash to the full cost at sign-in.
    setScryptTarget({ N: 2 ** 10, r: 8, p: 1 });
    const db = openDb({ filename: file });
    app = createServer({ db, config: { dataDir: '/nonexistent', publicUrl: 'http://127.0.0.1', demo: true, secureCookies: false }, clock: systemClock });
  }
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: { cpu?: boolean }) => {
    if (m.cpu) {
      const c = process.cpuUsage();
      process.send!({ cpuMs: (c.user + c.system) / 1000 });
    }
  });
}

// ------------------------------------------------------------------------------ parent: the client

interface Server {
  child: ChildProcess;
  port: number;
  cpuMs(): Promise<number>;
}

async function start(kind: 'bare' | 'app', file = ''): Promise<Server> {
  const child = fork(import.meta.filename, ['--serve', kind, file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const cpuMs = () => new Promise<number>((resolve) => {
    child.once('message', (m: { cpuMs: number }) => resolve(m.cpuMs));
    child.send({ cpu: true });
  });
  return { child, port, cpuMs };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerOp: number;
}

/** `CONCURRENCY` loops, each calling `op(worker, i)` until `seconds` are up. */
async function load(server: Server, seconds: number, op: (worker: number, i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const cpu0 = await server.cpuMs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
    for (let i = 0; performance.now() < end; i++) {
      const s = performance.now();
      await op(worker, i);
      latencies.push(performance.now() - s);
    }
  }));
  const wall = performance.now() - t0;
  const cpu = (await server.cpuMs()) - cpu0;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: (latencies.length * 1000) / wall, p50: at(0.5), p99: at(0.99), cpuMsPerOp: cpu / latencies.length };
}

interface Parent {
  cookie: string;
  csrf: string;
  /** A cantine cell two weeks ahead, and whether it is booked now. */
  cell: { childId: number; activityId: number; date: string };
  booked: boolean;
}

async function signIn(port: number, i: number, week: string): Promise<Parent> {
  const login = await request(port, 'POST', '/api/auth/parent/login', {}, { username: benchLogin(i), password: BENCH_PASSWORD });
  if (login.status !== 200) throw new Error(`Connexion de ${benchLogin(i)} : ${login.status} ${login.body}`);
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
  const grid = await request(port, 'GET', `/api/parent/planning?week=${week}`, { cookie });
  const children = (JSON.parse(grid.body) as { children: Array<{ childId: number; periods: Array<{ rows: Array<{ activityId: number; activityCode: string; cells: Array<{ date: string; state: string }> }> }> }> }).children;
  for (const row of children[0]!.periods.flatMap((p) => p.rows)) {
    if (row.activityCode !== 'CANTINE') continue;
    const cell = row.cells.find((c) => c.state === 'open' || c.state === 'booked');
    if (cell) return { cookie, csrf, cell: { childId: children[0]!.childId, activityId: row.activityId, date: cell.date }, booked: cell.state === 'booked' };
  }
  throw new Error(`Aucune case de cantine modifiable pour ${benchLogin(i)} la semaine du ${week}.`);
}

/** The same shape as a toggle's writes, straight into the real tables, one after the other. */
function rawTransactions(file: string, seconds: number, cell: Parent['cell'], familyId: number, walletId: number): number {
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  const upsert = conn.prepare<unknown[], { id: number }>(`INSERT INTO bookings (child_id, activity_id, date, status, price_cents, source, created_at, updated_at)
    VALUES (?, ?, ?, ?, 320, 'parent', ?, ?)
    ON CONFLICT (child_id, activity_id, date) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at RETURNING id`);
  const ledger = conn.prepare(`INSERT INTO ledger_entries (family_id, wallet_id, amount_cents, kind, label, booking_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const tx = conn.transaction((i: number) => {
    const book = i % 2 === 0;
    const at = new Date().toISOString();
    const { id } = upsert.get(cell.childId, cell.activityId, '2099-01-05', book ? 'booked' : 'cancelled', at, at)!;
    ledger.run(familyId, walletId, book ? -320 : 320, book ? 'booking_debit' : 'cancellation_refund', 'Cantine — banc d’essai', id, at);
  });
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let n = 0;
  while (performance.now() < end || n % 2 === 1) tx.immediate(n++);
  const perSecond = (n * 1000) / (performance.now() - t0);
  conn.close();
  return perSecond;
}

async function measureCity(dir: string, children: number, seconds: number, bare: Server) {
  const copy = workingCopy(await cityDatabase(dir, children));
  const file = copy.file;
  const app = await start('app', file);
  try {
    const week = addDays(mondayOf(parisToday(new Date())), 7);
    const parents: Parent[] = [];
    for (let i = 0; i < BENCH_FAMILIES; i++) parents.push(await signIn(app.port, i, addDays(week, 7)));
    const warm = Math.max(1, seconds / 5);
    const grid = (w: number) => async () => {
      const res = await request(app.port, 'GET', `/api/parent/planning?week=${week}`, { cookie: parents[w % parents.length]!.cookie });
      if (res.status !== 200) throw new Error(`Planning : ${res.status} ${res.body}`);
    };
    const toggle = async (w: number) => {
      const p = parents[w % parents.length]!;
      const action = p.booked ? 'cancel' : 'book';
      const res = await request(app.port, 'POST', '/api/parent/planning/changes', { cookie: p.cookie, 'x-csrf-token': p.csrf }, { changes: [{ ...p.cell, action }] });
      const outcome = res.status === 200 ? (JSON.parse(res.body) as { results: Array<{ outcome: string; message?: string }> }).results[0] : undefined;
      if (outcome?.outcome !== 'done') throw new Error(`Réservation : ${res.status} ${outcome?.message ?? res.body}`);
      p.booked = !p.booked;
    };
    await load(app, warm, (w) => grid(w)());
    const gridResult = await load(app, seconds, (w) => grid(w)());
    await load(app, warm, toggle);
    const toggleResult = await load(app, seconds, toggle);
    const bareResult = await load(bare, seconds, async () => {
      if ((await request(bare.port, 'GET', '/bare')).status !== 200) throw new Error('bare');
    });
    const family = await familyOf(file, benchLogin(0));
    const raw = rawTransactions(file, seconds, parents[0]!.cell, family.familyId, family.walletId);
    return { children, bare: bareResult, grid: gridResult, toggle: toggleResult, raw };
  } finally {
    app.child.kill();
    await new Promise((resolve) => app.child.once('exit', resolve));
    copy.remove();
  }
}

async function familyOf(file: string, login: string): Promise<{ familyId: number; walletId: number }> {
  const db = openDb({ filename: file });
  try {
    const account = await db('parent_accounts').where('username', login).first('family_id');
    const wallet = await db('activities').where('code', 'CANTINE').first('wallet_id');
    return { familyId: account.family_id, walletId: wallet.wallet_id };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const dir = option('dir', '/tmp/eticket-bench-city');
  const seconds = Number(option('seconds', '5'));
  const bare = await start('bare');
  const results = [];
  try {
    for (const n of SIZES) {
      const r = await measureCity(dir, n, seconds, bare);
      results.push(r);
      const f = (x: number) => x.toFixed(0).padStart(6);
      console.log(`\n${n} enfants (${CONCURRENCY} requêtes en vol, ${seconds} s par mesure) :`);
      console.log(`  Express nu          ${f(r.bare.perSecond)} req/s   p99 ${r.bare.p99.toFixed(1).padStart(6)} ms   CPU serveur ${r.bare.cpuMsPerOp.toFixed(3)} ms/req`);
      console.log(`  grille (HTTP)       ${f(r.grid.perSecond)} req/s   p99 ${r.grid.p99.toFixed(1).padStart(6)} ms   CPU serveur ${r.grid.cpuMsPerOp.toFixed(3)} ms/req`);
      console.log(`  bascule (HTTP)      ${f(r.toggle.perSecond)} /s      p99 ${r.toggle.p99.toFixed(1).padStart(6)} ms   CPU serveur ${r.toggle.cpuMsPerOp.toFixed(3)} ms/bascule`);
      console.log(`  transaction brute   ${f(r.raw)} tx/s (better-sqlite3, synchronous=FULL)`);
    }
  } finally {
    bare.child.kill();
    agent.destroy();
  }
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
  console.log('\nRapports (objectif) :');
  for (const r of results) {
    console.log(`  ${String(r.children).padStart(6)} enfants : grille / Express nu ${pct(r.grid.perSecond, r.bare.perSecond)} (≥ 20 %), bascules / transaction brute ${pct(r.toggle.perSecond, r.raw)} (≥ 25 %)`);
  }
  const [small, big] = results;
  if (small && big) {
    const drift = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(0)} %`;
    console.log(`  20 000 / 1 250 enfants : grille ${drift(small.grid.perSecond, big.grid.perSecond)}, bascules ${drift(small.toggle.perSecond, big.toggle.perSecond)} (écart toléré : 20 %)`);
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!, process.argv[4]!);
else await main();
