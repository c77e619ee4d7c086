import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { DatabaseFacts, SnapshotResult } from '../backup/snapshot.js';

/**
 * The SQLite work of a backup (core/backup/snapshot.ts), in a worker with its own connection.
 * `driver` is better-sqlite3's resolved path: the desktop bundle's worker is evaluated code and
 * cannot find the native module by name.
 */

type Db = BetterSqlite3.Database;
const open = (driver: string, file: string, options: BetterSqlite3.Options): Db => {
  const Database = createRequire(driver)(driver) as typeof BetterSqlite3;
  return new Database(file, options);
};

function facts(db: Db, integrity: string): DatabaseFacts {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knex_migrations%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = (db.prepare(`SELECT COUNT(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
  const perYear = (t: string): Record<string, number> =>
    tables.includes(t) ? Object.fromEntries((db.prepare(`SELECT year, last_number FROM ${t} ORDER BY year`).all() as Array<{ year: number; last_number: number }>).map((r) => [String(r.year), r.last_number])) : {};
  const migrations = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'knex_migrations'").get();
  const last = migrations ? (db.prepare('SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1').get() as { name: string } | undefined) : undefined;
  return { integrity, lastMigration: last ? last.name : '', counts, lastReceiptNumbers: perYear('receipt_counters'), lastInvoiceNumbers: perYear('invoice_counters') };
}

export const BACKUP_TASKS = {
  /** `VACUUM INTO` copies the database as of the read transaction it opens at its start (WAL: writers go on). */
  snapshot(driver: string, source: string, target: string): SnapshotResult {
    const src = open(driver, source, { fileMustExist: true });
    let takenAt: string;
    try {
      src.pragma('busy_timeout = 10000');
      takenAt = new Date().toISOString();
      src.prepare('VACUUM INTO ?').run(target);
    } finally {
      src.close();
    }
    const copy = open(driver, target, { fileMustExist: true });
    try {
      return { takenAt, ...facts(copy, 'not checked') };
    } finally {
      copy.close();
    }
  },
  inspect(driver: string, source: string): DatabaseFacts {
    const db = open(driver, source, { readonly: true, fileMustExist: true });
    try {
      const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      return facts(db, rows.map((r) => r.integrity_check).join('; '));
    } finally {
      db.close();
    }
  },
};
