import { createRequire } from 'node:module';
import { WorkerPool } from '../workers/pool.js';

/**
 * The SQLite work of a backup, in a worker thread (core/workers/backup-tasks.ts) with its own
 * better-sqlite3 connection, so neither the event loop nor the server's single knex connection
 * waits for it. `VACUUM INTO` copies the database as of the read transaction it opens at its
 * start (WAL: writers go on meanwhile, and unlike the backup API it never restarts when they commit).
 */

export interface DatabaseFacts {
  integrity: string;
  lastMigration: string;
  counts: Record<string, number>;
  lastReceiptNumbers: Record<string, number>;
  lastInvoiceNumbers: Record<string, number>;
}

export interface SnapshotResult extends DatabaseFacts { takenAt: string }

const driver = createRequire(import.meta.url).resolve('better-sqlite3');
// One backup worker, idle between backups (it keeps no connection open: each task opens its own).
const pool = new WorkerPool({ name: 'sauvegarde', size: 1, maxQueue: 4, busyMessage: 'Une sauvegarde est déjà en cours : réessayez dans un instant.' });

/** Copies the live database file `source` into the new file `target` (must not exist). */
export function snapshotDatabase(source: string, target: string): Promise<SnapshotResult> {
  return pool.run<SnapshotResult>('backup', 'snapshot', [driver, source, target]);
}

/** Opens a database copy read-only: `PRAGMA integrity_check`, row counts, migration, counters. */
export function inspectDatabase(source: string): Promise<DatabaseFacts> {
  return pool.run<DatabaseFacts>('backup', 'inspect', [driver, source]);
}
