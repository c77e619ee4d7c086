import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';

export type Db = Knex;

export interface DbOptions {
  /** Folder that holds eticket.sqlite; ignored when `memory` is true. */
  dataDir?: string;
  /** A private in-memory database (tests). */
  memory?: boolean;
  /** An explicit file path (tests that need several connections on one file). */
  filename?: string;
  /** A postgres:// URL; defaults to ETICKET_DATABASE_URL. Ignored when `memory` or `filename` is set. */
  databaseUrl?: string;
}

export function dataDirFromEnv(): string {
  return path.resolve(process.env.ETICKET_DATA_DIR ?? './data');
}

/** ETICKET_DATABASE_URL when it names a PostgreSQL database, else undefined (SQLite). */
export function databaseUrlFromEnv(): string | undefined {
  const url = process.env.ETICKET_DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'eticket.sqlite');
}

/**
 * Opens the database through knex and better-sqlite3. WAL keeps readers off the writer's back;
 * synchronous=FULL makes every acknowledged commit durable across a crash or power cut;
 * busy_timeout lets a second process (another desk, a test worker) wait for the write lock
 * instead of failing.
 */
export function openDb(options: DbOptions = {}): Db {
  // SQLite is the default, and the only database the core and its tests run on. PostgreSQL is
  // the documented path for a larger city: the migrations are checked on it by
  // db/postgres.test.ts (when ETICKET_TEST_PG_URL is set), the domain rules are not.
  const url = options.memory || options.filename ? undefined : (options.databaseUrl ?? databaseUrlFromEnv());
  if (url) {
    usePlainNumbers();
    return knexFactory({ client: 'pg', connection: url });
  }

  let filename: string;
  if (options.memory) filename = ':memory:';
  else if (options.filename) filename = options.filename;
  else {
    const dir = options.dataDir ?? dataDirFromEnv();
    fs.mkdirSync(dir, { recursive: true });
    filename = databaseFile(dir);
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection serialises this process's queries and
    // transactions, which is what SQLite does anyway.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
        try {
          cachePreparedStatements(conn);
          conn.pragma('foreign_keys = ON');
          if (filename !== ':memory:') conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = FULL');
          conn.pragma('busy_timeout = 10000');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/** Statements kept per connection: the app's queries are a few hundred distinct SQL strings. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * knex prepares every query anew, and on a hot path (the week grid, a booking toggle) compiling
 * the SQL costs about as much as running it. A prepared better-sqlite3 statement is reusable
 * (knex runs each to completion with all()/run() before the next), so the connection keeps the
 * most recent ones by SQL text; SQLite recompiles a statement itself after a schema change.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    } else cache.delete(sql);
    cache.set(sql, statement);
    return statement;
  };
}

/**
 * COUNT(*) and SUM over integer cents are bigint (and SUM of bigint numeric) in PostgreSQL, which
 * node-postgres hands over as strings; SQLite gives numbers. Every count and total here is far
 * below 2^53, so both engines answer with plain numbers and the core compares them alike.
 */
function usePlainNumbers(): void {
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
}

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export async function migrateDownAll(db: Db): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}

export { migrationSource };
