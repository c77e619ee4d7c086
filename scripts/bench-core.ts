// `npx tsx scripts/bench-core.ts`: throughput of the two hottest writes of the core, each against
// a baseline measured in the same run on the same database file, because absolute figures drift
// with the machine and its load.
//
//   booking: applyBookingChanges on one cell, alternately book and cancel (a parent of the demo)
//   sale:    recordCounterSale of a fixed amount (the secretariat)
//   baseline: one transaction = upsert one row of a booking-like table + insert one row of a
//             ledger-like table, with raw better-sqlite3 and with knex, same pragmas as openDb
//             (WAL, synchronous=FULL), plus raw with synchronous=NORMAL for STACK.md's reference.
//
// Options (environment): BENCH_ROUNDS (5), BENCH_OPS (operations per round and per workload, 200).
// Prints the per-round figures, the medians and the product/baseline ratios. No assertion: this
// is a measuring tool, not a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyBookingChanges } from '../core/bookings.js';
import { systemClock } from '../core/clock.js';
import type { Actor, CoreContext } from '../core/context.js';
import { addDays, mondayOf, parisToday } from '../core/dates.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { DEVRET } from '../core/demo/data.js';
import { getWeekGrid } from '../core/planning.js';
import { recordCounterSale } from '../core/sales.js';
import { databaseFile, migrateLatest, openDb, type Db } from '../db/index.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5);
const OPS = positiveInt(process.env.BENCH_OPS, 200);

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Runs `op` n times in sequence; answers operations per second (wall clock) and this process's
 * CPU milliseconds per operation, which a loaded machine disturbs less than the wall clock.
 */
async function measure(n: number, op: (i: number) => unknown): Promise<{ perSecond: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (n * 1000) / wall, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

// ------------------------------------------------------------------------------ setup

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-'));
const file = databaseFile(dir);
const db: Db = openDb({ filename: file });
const ctx: CoreContext = { db, clock: systemClock };

try {
  await migrateLatest(db);
  const seedStart = performance.now();
  await seedDemoIfEmpty(ctx);
  console.log(`Démo créée en ${((performance.now() - seedStart) / 1000).toFixed(1)} s dans ${file}`);

  const account = await db('parent_accounts').where('username', DEVRET.login).first('id', 'family_id');
  const parent: Actor = { kind: 'parent', parentAccountId: account.id, familyId: account.family_id };
  const secretariatRow = await db('staff_users').where('username', 'secretariat').first('id', 'display_name');
  const secretariat: Actor = { kind: 'staff', staffUserId: secretariatRow.id, role: 'secretariat', name: secretariatRow.display_name };
  const familyId: number = account.family_id;

  // An open cell a few weeks ahead, clear of every deadline.
  let cell: { childId: number; activityId: number; date: string; walletId: number } | undefined;
  for (let w = 2; w <= 10 && !cell; w++) {
    const grid = await getWeekGrid(ctx, parent, { familyId, weekStart: addDays(mondayOf(parisToday(new Date())), 7 * w) });
    for (const child of grid.children) {
      for (const row of child.periods.flatMap((p) => p.rows)) {
        const open = row.cells.find((c) => c.state === 'open');
        if (open && row.priceCents && !cell) cell = { childId: child.childId, activityId: row.activityId, date: open.date, walletId: row.walletId };
      }
    }
  }
  if (!cell) throw new Error('Aucune case ouverte dans les semaines à venir.');
  const target = cell;
  // Enough credit for the booking half of each pair (a cancel refunds it).
  await recordCounterSale(ctx, secretariat, { familyId, walletId: target.walletId, amountCents: 50_000, method: 'carte' });

  // Baseline tables, shaped like bookings and ledger_entries (same kinds of columns and indexes).
  await db.raw(`CREATE TABLE bench_bookings (
    id integer PRIMARY KEY AUTOINCREMENT, child_id integer NOT NULL, activity_id integer NOT NULL, date varchar(10) NOT NULL,
    status varchar(12) NOT NULL, price_cents integer NOT NULL, source varchar(12) NOT NULL, created_at varchar(30) NOT NULL,
    updated_at varchar(30) NOT NULL, UNIQUE (child_id, activity_id, date))`);
  await db.raw(`CREATE TABLE bench_ledger (
    id integer PRIMARY KEY AUTOINCREMENT, family_id integer NOT NULL, wallet_id integer NOT NULL, amount_cents integer NOT NULL,
    kind varchar(24) NOT NULL, label varchar(200) NOT NULL, booking_id integer REFERENCES bench_bookings(id), created_at varchar(30) NOT NULL)`);
  await db.raw('CREATE INDEX bench_ledger_family_wallet ON bench_ledger (family_id, wallet_id)');
  await db.raw('CREATE INDEX bench_ledger_booking ON bench_ledger (booking_id)');

  const upsertSql = `INSERT INTO bench_bookings (child_id, activity_id, date, status, price_cents, source, created_at, updated_at)
    VALUES (?, ?, ?, ?, 320, 'parent', ?, ?)
    ON CONFLICT (child_id, activity_id, date) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
    RETURNING id`;
  const ledgerSql = `INSERT INTO bench_ledger (family_id, wallet_id, amount_cents, kind, label, booking_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`;

  function rawConnection(synchronous: 'FULL' | 'NORMAL') {
    const conn = new Database(file);
    conn.pragma('foreign_keys = ON');
    conn.pragma('journal_mode = WAL');
    conn.pragma(`synchronous = ${synchronous}`);
    conn.pragma('busy_timeout = 10000');
    const upsert = conn.prepare<unknown[], { id: number }>(upsertSql);
    const ledger = conn.prepare(ledgerSql);
    const tx = conn.transaction((i: number) => {
      const book = i % 2 === 0;
      const at = new Date().toISOString();
      const { id } = upsert.get(1, 1, '2099-01-01', book ? 'booked' : 'cancelled', at, at)!;
      ledger.run(1, 1, book ? -320 : 320, book ? 'booking_debit' : 'cancellation_refund', 'Cantine — banc d’essai', id, at);
    });
    return { run: (i: number) => tx.immediate(i), close: () => conn.close() };
  }
  const rawFull = rawConnection('FULL');
  const rawNormal = rawConnection('NORMAL');

  const knexBaseline = (i: number) =>
    db.transaction(async (trx) => {
      const book = i % 2 === 0;
      const at = new Date().toISOString();
      const [row] = await trx('bench_bookings')
        .insert({ child_id: 2, activity_id: 1, date: '2099-01-01', status: book ? 'booked' : 'cancelled', price_cents: 320, source: 'parent', created_at: at, updated_at: at })
        .onConflict(['child_id', 'activity_id', 'date'])
        .merge(['status', 'updated_at'])
        .returning('id');
      await trx('bench_ledger').insert({
        family_id: 1, wallet_id: 1, amount_cents: book ? -320 : 320, kind: book ? 'booking_debit' : 'cancellation_refund',
        label: 'Cantine — banc d’essai', booking_id: (row as { id: number }).id, created_at: at,
      });
    });

  const booking = async (i: number) => {
    const action = i % 2 === 0 ? 'book' : 'cancel';
    const { results } = await applyBookingChanges(ctx, parent, { familyId, changes: [{ childId: target.childId, activityId: target.activityId, date: target.date, action }] });
    if (results[0]?.outcome !== 'done') throw new Error(`Réservation refusée : ${results[0]?.message ?? '?'}`);
  };
  const sale = (_i: number) => recordCounterSale(ctx, secretariat, { familyId, walletId: target.walletId, amountCents: 1000, method: 'especes' });

  const workloads: Array<[name: string, op: (i: number) => unknown]> = [
    ['réservation (applyBookingChanges, 1 case)', booking],
    ['vente au guichet (recordCounterSale)', sale],
    ['base better-sqlite3, synchronous=FULL', rawFull.run],
    ['base knex, synchronous=FULL', knexBaseline],
    ['base better-sqlite3, synchronous=NORMAL', rawNormal.run],
  ];
  const results = new Map<string, number[]>(workloads.map(([name]) => [name, []]));
  const cpuResults = new Map<string, number[]>(workloads.map(([name]) => [name, []]));

  // Warm-up (prepared statements, JIT, page cache), then interleaved rounds so drifting load
  // weighs on every workload alike. OPS is even: each booking round ends on a cancel.
  const ops = OPS % 2 === 0 ? OPS : OPS + 1;
  for (const [, op] of workloads) await measure(20, op);
  console.log(`${ROUNDS} tours de ${ops} opérations par charge, en transactions/s (réservation | vente | base FULL | knex FULL | base NORMAL) :`);
  for (let r = 1; r <= ROUNDS; r++) {
    const line: string[] = [];
    for (const [name, op] of workloads) {
      const { perSecond, cpuMs } = await measure(ops, op);
      results.get(name)!.push(perSecond);
      cpuResults.get(name)!.push(cpuMs);
      line.push(`${perSecond.toFixed(0)}`);
    }
    console.log(`  tour ${r} : ${line.join(' | ')}`);
  }
  rawFull.close();
  rawNormal.close();

  const med = new Map([...results].map(([name, xs]) => [name, median(xs)]));
  const cpuMed = new Map([...cpuResults].map(([name, xs]) => [name, median(xs)]));
  const width = Math.max(...workloads.map(([n]) => n.length));
  console.log('\nMédianes :');
  for (const [name] of workloads) {
    const m = med.get(name)!;
    console.log(
      `  ${name.padEnd(width)}  ${m.toFixed(0).padStart(7)} tx/s  ${(1000 / m).toFixed(3).padStart(7)} ms/tx  CPU ${cpuMed.get(name)!.toFixed(3).padStart(7)} ms/tx`,
    );
  }
  const rawBase = med.get(workloads[2]![0])!;
  const knexBase = med.get(workloads[3]![0])!;
  console.log('\nRapport produit / base (débit du produit ÷ débit de la base ; coût = l’inverse) :');
  for (const [name] of workloads.slice(0, 2)) {
    const m = med.get(name)!;
    console.log(`  ${name.padEnd(width)}  vs better-sqlite3 FULL : ${(m / rawBase).toFixed(3)} (×${(rawBase / m).toFixed(1)} le coût)   vs knex FULL : ${(m / knexBase).toFixed(3)} (×${(knexBase / m).toFixed(1)} le coût)`);
  }
  const rawCpu = cpuMed.get(workloads[2]![0])!;
  const knexCpu = cpuMed.get(workloads[3]![0])!;
  console.log('Rapport de temps CPU par transaction, produit ÷ base :');
  for (const [name] of workloads.slice(0, 2)) {
    const c = cpuMed.get(name)!;
    console.log(`  ${name.padEnd(width)}  vs better-sqlite3 FULL : ×${(c / rawCpu).toFixed(1)}   vs knex FULL : ×${(c / knexCpu).toFixed(1)}`);
  }
  const ledgerRows = await db('ledger_entries').where('family_id', familyId).count({ n: '*' }).first();
  console.log(`\nÉcritures de la famille au bout du banc : ${String(ledgerRows?.n)} (le solde est une somme de ses écritures).`);
} finally {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
