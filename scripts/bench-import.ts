// `npm run bench:import`: imports BENCH_CHILDREN (20,000) children from an xlsx and from a CSV
// built here with exceljs, each into a fresh SQLite file, and prints:
//   - the import's time (read + validate + write, one transaction), budget < 60 s;
//   - as a baseline in the same run, a raw chunked knex insert of the same families, contacts
//     and children (no reading, no checks) into another fresh file;
//   - the re-run of the same xlsx (idempotent path: compares, writes nothing);
//   - the event loop's longest stall during the xlsx import (what /healthz would wait).
// Exits 1 when an import breaks its budget or a re-run writes anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FixedClock } from '../core/clock.js';
import type { Actor, CoreContext } from '../core/context.js';
import { analyseImport } from '../core/import/service.js';
import { chunks } from '../core/import/sql.js';
import { migrateLatest, openDb, type Db } from '../db/index.js';
import { buildFixture, fixtureCsv, fixtureXlsx } from '../tests/import-fixtures.js';

const CHILDREN = Number(process.env.BENCH_CHILDREN) > 0 ? Number(process.env.BENCH_CHILDREN) : 20_000;
const BUDGET_MS = 60_000;
const SCHOOLS = ['École maternelle des Tilleuls', 'École élémentaire Jean Moulin', 'École primaire du Port'];
const WALLETS = [
  { code: 'restauration', label: 'Restauration scolaire' },
  { code: 'periscolaire', label: 'Garderie' },
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-import-'));
let n = 0;

async function freshDb(): Promise<{ db: Db; ctx: CoreContext; actor: Actor }> {
  const db = openDb({ filename: path.join(dir, `db-${++n}.sqlite`) });
  await migrateLatest(db);
  for (const [i, name] of SCHOOLS.entries()) await db('schools').insert({ name, kind: i === 0 ? 'maternelle' : 'elementaire', position: i });
  for (const [i, w] of WALLETS.entries()) await db('wallets').insert({ ...w, overdraft_limit_cents: 0, position: i });
  const [row] = await db('staff_users').insert({ username: 'admin', display_name: 'Admin', role: 'admin', password_hash: 'x', created_at: '2026-01-01', updated_at: '2026-01-01' }).returning('id');
  const staffUserId = Number((row as { id: number }).id);
  return { db, ctx: { db, clock: new FixedClock('2026-09-01T08:00:00Z') }, actor: { kind: 'staff', staffUserId, role: 'admin', name: 'Admin' } };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

const count = async (db: Db, table: string) => Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const fx = buildFixture({ children: CHILDREN, schools: SCHOOLS, wallets: WALLETS, logins: Math.round(CHILDREN / 4) });
  const [xlsx, buildMs] = await timed(() => fixtureXlsx(fx.headers, fx.rows));
  const csv = Buffer.from(fixtureCsv(fx.headers, fx.rows, ';'), 'utf8');
  console.log(`Fichier : ${CHILDREN} enfants, ${fx.familyNames.length} familles, ${fx.logins.length} accès portail ; xlsx ${(xlsx.length / 1e6).toFixed(1)} Mo (construit en ${s(buildMs)}), CSV ${(csv.length / 1e6).toFixed(1)} Mo`);

  // Baseline: the same rows inserted raw, in chunks, without reading a file or checking anything.
  const base = await freshDb();
  const col = (label: string) => fx.headers.indexOf(label);
  const [, baseMs] = await timed(() =>
    base.db.transaction(async (trx) => {
      const seen = new Map<string, number>();
      const families = fx.rows.filter((r) => !seen.has(String(r[col('Référence famille')])) && seen.set(String(r[col('Référence famille')]), 0));
      const at = '2026-09-01T08:00:00.000Z';
      let code = 0;
      for (const part of chunks(families)) {
        const ids = (await trx('families')
          .insert(part.map((r) => ({ code: `F${++code}`, name: r[col('Nom de famille')], external_ref: r[col('Référence famille')], quotient_familial: r[col('QF')], search_text: '', created_at: at, updated_at: at })))
          .returning(['id', 'external_ref'])) as Array<{ id: number; external_ref: string }>;
        for (const x of ids) seen.set(x.external_ref, x.id);
        await trx('contacts').insert(part.map((r) => ({ family_id: seen.get(String(r[col('Référence famille')])), relationship: 'MERE', last_name: r[col('Responsable 1 nom')], first_name: r[col('Responsable 1 prénom')], email: r[col('Responsable 1 mél')], created_at: at, updated_at: at })));
      }
      for (const part of chunks(fx.rows, 300)) {
        await trx('children').insert(part.map((r) => ({ family_id: seen.get(String(r[col('Référence famille')])), external_ref: r[col('Référence enfant')], first_name: r[col('Prénom enfant')], last_name: r[col('Nom enfant')], birth_date: '2016-09-12', class_name: r[col('Classe')], created_at: at, updated_at: at })));
      }
    }),
  );
  await base.db.destroy();

  const run = await freshDb();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const [first, importMs] = await timed(() => analyseImport(run.ctx, run.actor, { bytes: xlsx, fileName: 'bench.xlsx', mapping: null, dryRun: false }));
  lag.disable();
  const stallMs = lag.max / 1e6;
  const before = { families: await count(run.db, 'families'), children: await count(run.db, 'children'), ledger: await count(run.db, 'ledger_entries') };
  const [second, rerunMs] = await timed(() => analyseImport(run.ctx, run.actor, { bytes: xlsx, fileName: 'bench.xlsx', mapping: null, dryRun: false }));
  const after = { families: await count(run.db, 'families'), children: await count(run.db, 'children'), ledger: await count(run.db, 'ledger_entries') };
  await run.db.destroy();

  const csvRun = await freshDb();
  const [third, csvMs] = await timed(() => analyseImport(csvRun.ctx, csvRun.actor, { bytes: csv, fileName: 'bench.csv', mapping: null, dryRun: false }));
  await csvRun.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const c = first.report.counts;
  console.log(`Référence : insertion knex brute des mêmes lignes ........ ${s(baseMs)}`);
  console.log(`Import xlsx (lecture + contrôles + écriture) ............. ${s(importMs)}  (×${(importMs / baseMs).toFixed(1)} la référence) : ${c.familiesNew} familles, ${c.childrenNew} enfants, ${c.contactsNew} contacts, ${c.accountsNew} accès, ${c.balancesNew} soldes, ${first.report.errorCount} erreur(s)`);
  console.log(`Import CSV ';' ............................................ ${s(csvMs)}  : ${third.report.counts.childrenNew} enfants, ${third.report.errorCount} erreur(s)`);
  console.log(`Relance du même xlsx (idempotente) ........................ ${s(rerunMs)}  : ${second.report.counts.familiesNew} nouvelle, ${second.report.counts.familiesUnchanged} inchangées`);
  console.log(`Plus longue attente de la boucle d’événements pendant l’import xlsx : ${stallMs.toFixed(0)} ms`);
  const unchanged = JSON.stringify(before) === JSON.stringify(after) && second.report.counts.familiesNew === 0 && second.report.counts.familiesUpdated === 0;
  const ok = importMs < BUDGET_MS && csvMs < BUDGET_MS && unchanged && first.report.applied && third.report.applied;
  console.log(ok ? 'OK : sous la minute, relance sans écriture.' : `ÉCHEC : budget ${s(BUDGET_MS)}, relance sans écriture : ${unchanged}`);
  process.exit(ok ? 0 : 1);
}

void main();
