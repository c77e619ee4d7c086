import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The SQLite work of a backup, in a worker thread with its own better-sqlite3 connection, so
 * neither the event loop nor the server's single knex connection waits for it.
 *
 * `VACUUM INTO` copies the database as of the read transaction it opens at its start (WAL:
 * writers go on meanwhile, and unlike the backup API it never restarts when they commit).
 */

export interface DatabaseFacts {
  integrity: string;
  lastMigration: string;
  counts: Record<string, number>;
  lastReceiptNumbers: Record<string, number>;
  lastInvoiceNumbers: Record<string, number>;
}

export interface SnapshotResult extends DatabaseFacts { takenAt: string }

// Plain JavaScript run with eval: works the same under tsx, vitest and the packaged app.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
function facts(db, integrity) {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knex_migrations%' ORDER BY name").all().map((r) => r.name);
  const counts = {};
  for (const t of tables) counts[t] = db.prepare('SELECT COUNT(*) AS n FROM "' + t.replace(/"/g, '""') + '"').get().n;
  const has = (t) => tables.includes(t);
  const perYear = (t) => has(t) ? Object.fromEntries(db.prepare('SELECT year, last_number FROM ' + t + ' ORDER BY year').all().map((r) => [String(r.year), r.last_number])) : {};
  const migrationTable = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'knex_migrations'").get();
  const last = migrationTable ? db.prepare('SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1').get() : undefined;
  return { integrity, lastMigration: last ? last.name : '', counts, lastReceiptNumbers: perYear('receipt_counters'), lastInvoiceNumbers: perYear('invoice_counters') };
}
try {
  if (workerData.op === 'snapshot') {
    const src = new Database(workerData.source, { fileMustExist: true });
    src.pragma('busy_timeout = 10000');
    const takenAt = new Date().toISOString();
    src.prepare('VACUUM INTO ?').run(workerData.target);
    src.close();
    const copy = new Database(workerData.target, { fileMustExist: true });
    const out = { takenAt, ...facts(copy, 'not checked') };
    copy.close();
    parentPort.postMessage({ ok: true, value: out });
  } else {
    const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check');
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    const out = facts(db, integrity);
    db.close();
    parentPort.postMessage({ ok: true, value: out });
  }
} catch (err) {
  parentPort.postMessage({ ok: false, message: String(err && err.message || err), code: err && err.code });
}
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

function runWorker<T>(data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...data, driver } });
    let settled = false;
    worker.once('message', (msg: { ok: true; value: T } | { ok: false; message: string; code?: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.value);
      else reject(Object.assign(new Error(msg.message), { code: msg.code }));
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`backup worker stopped (${code})`));
    });
  });
}

/** Copies the live database file `source` into the new file `target` (must not exist). */
export function snapshotDatabase(source: string, target: string): Promise<SnapshotResult> {
  return runWorker<SnapshotResult>({ op: 'snapshot', source, target });
}

/** Opens a database copy read-only: `PRAGMA integrity_check`, row counts, migration, counters. */
export function inspectDatabase(source: string): Promise<DatabaseFacts> {
  return runWorker<DatabaseFacts>({ op: 'inspect', source });
}
