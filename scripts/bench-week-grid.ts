// Benchmark of "Mon Planning": the week grid of the DEVRET family (3 children) on a freshly seeded
// demo database, called directly (core) and through HTTP (the real Express app, signed in), each
// next to a same-run baseline (a trivial SELECT 1 through knex; GET /healthz over HTTP).
// Usage: npx tsx scripts/bench-week-grid.ts [iterations=500]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDb, migrateLatest } from '../db/index.js';
import { systemClock } from '../core/clock.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { addDays, mondayOf, parisToday } from '../core/dates.js';
import { getWeekGrid } from '../core/planning.js';
import { createServer } from '../server/app.js';

const iterations = Number(process.argv[2] ?? 500);
const warmup = Math.min(50, Math.ceil(iterations / 10));

function stats(samples: number[]): { median: number; p95: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function measure(label: string, fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const r = stats(samples);
  console.log(`${label.padEnd(44)} médiane ${r.median.toFixed(3).padStart(8)} ms   p95 ${r.p95.toFixed(3).padStart(8)} ms   moyenne ${r.mean.toFixed(3).padStart(8)} ms`);
  return r;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-'));
const db = openDb({ dataDir });
try {
  await migrateLatest(db);
  const ctx = { db, clock: systemClock };
  await seedDemoIfEmpty(ctx);
  const account: { id: number; family_id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('id', 'family_id');
  const children = await db('children').where({ family_id: account.family_id, active: true }).count({ n: '*' }).first();
  const actor = { kind: 'parent' as const, parentAccountId: account.id, familyId: account.family_id };
  const weekStart = addDays(mondayOf(parisToday(new Date())), 7);
  const counts = await Promise.all(['families', 'children', 'bookings', 'ledger_entries'].map(async (t) => [t, Number((await db(t).count({ n: '*' }).first())?.n)] as const));
  console.log(`Base de démonstration : ${counts.map(([t, n]) => `${n} ${t}`).join(', ')}`);
  console.log(`Famille DEVRET : ${Number(children?.n)} enfants ; semaine du ${weekStart} ; ${iterations} itérations (+${warmup} d'échauffement)\n`);

  const baseline = await measure('référence : SELECT 1 (knex)', () => db.raw('select 1'));
  const grid = await measure('getWeekGrid (core)', () => getWeekGrid(ctx, actor, { familyId: account.family_id, weekStart }));

  // Over HTTP, signed in as chantal.devret (demo password).
  const app = createServer({ db, config: { dataDir, publicUrl: 'http://localhost', demo: false, secureCookies: false }, clock: systemClock });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/parent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'chantal.devret', password: 'eticket-demo' }),
  });
  if (!login.ok) throw new Error(`Connexion impossible : ${login.status}`);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const httpBaseline = await measure('référence : GET /healthz (HTTP)', async () => (await fetch(`${base}/healthz`)).arrayBuffer());
  const httpGrid = await measure('GET /api/parent/planning (HTTP, connecté)', async () => {
    const res = await fetch(`${base}/api/parent/planning?week=${weekStart}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.arrayBuffer();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();

  console.log(`\nRapport getWeekGrid / SELECT 1 : ${(grid.median / baseline.median).toFixed(1)}× (médianes)`);
  console.log(`Rapport planning HTTP / healthz HTTP : ${(httpGrid.median / httpBaseline.median).toFixed(1)}× (médianes)`);
  console.log(`Objectif : la grille répond en moins de 20 ms -> core p95 ${grid.p95.toFixed(2)} ms, HTTP p95 ${httpGrid.p95.toFixed(2)} ms : ${httpGrid.p95 < 20 ? 'atteint' : 'NON atteint'}`);
} finally {
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
