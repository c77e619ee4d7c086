import crypto from 'node:crypto';
import knexFactory from 'knex';
import { migrateLatest, openDb, type Db } from './index.js';

/**
 * The database a test gets: a private in-memory SQLite one by default; with ETICKET_TEST_PG_URL
 * (a PostgreSQL server where that role may CREATE DATABASE), a fresh PostgreSQL database copied
 * from a template migrated once per run (db/test-db-setup.ts), so `npm run test:pg` runs the same
 * suite on the second engine. Dropped with the template at the end of the run.
 */
export const TEST_PG_URL = process.env.ETICKET_TEST_PG_URL;
export const TEST_DB_PREFIX = 'eticket_t_';
/**
 * The run's own name space (the pid of vitest's main process, set by db/test-db-setup.ts), so two
 * runs on one PostgreSQL server (two terminals, two agents) never drop each other's databases.
 */
export const TEST_RUN_ID = (process.env.ETICKET_TEST_RUN_ID ??= String(process.pid));
export const TEST_RUN_PREFIX = `${TEST_DB_PREFIX}${TEST_RUN_ID}_`;
export const TEST_TEMPLATE = `${TEST_RUN_PREFIX}template`;

/** The pid of the run that made a test database, from its name; null for a name of another form. */
export function runIdOf(datname: string): number | null {
  const m = /^eticket_t_(\d+)_/.exec(datname);
  return m ? Number(m[1]) : null;
}

export function onPostgres(): boolean {
  return !!TEST_PG_URL;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** An admin connection to the server's maintenance database (CREATE / DROP DATABASE). */
export function adminConnection(url: string) {
  return knexFactory({ client: 'pg', connection: withDatabase(url, 'postgres'), pool: { min: 0, max: 1 } });
}

/** A migrated database of its own, on the engine of this run. */
export async function openTestDb(): Promise<Db> {
  if (!TEST_PG_URL) {
    const db = openDb({ memory: true });
    await migrateLatest(db);
    return db;
  }
  const name = `${TEST_RUN_PREFIX}${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = adminConnection(TEST_PG_URL);
  try {
    // Two workers copying the template at the same instant: PostgreSQL refuses a template in use.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${TEST_TEMPLATE}`);
        break;
      } catch (err) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
    }
  } finally {
    await admin.destroy();
  }
  return openDb({ databaseUrl: withDatabase(TEST_PG_URL, name) });
}

/** The application's tables (not knex's), on either engine: for fingerprints and counts in tests. */
export async function tableNames(db: Db): Promise<string[]> {
  const rows: Array<{ name: string }> =
    db.client.config.client === 'pg'
      ? await db('information_schema.tables').where({ table_type: 'BASE TABLE' }).whereRaw('table_schema = current_schema()').select('table_name as name')
      : await db('sqlite_master').where('type', 'table').whereNot('name', 'like', 'sqlite_%').select('name');
  return rows.map((r) => r.name).filter((n) => !n.startsWith('knex_')).sort();
}

/**
 * The query plan of a statement caught from knex's 'query' event, as one string. PostgreSQL
 * would rightly scan a test's few rows; with sequential scans off, the plan shows whether an
 * index can serve the query at all, which is what a city-sized table needs.
 */
export async function queryPlan(db: Db, q: { sql: string; bindings: readonly unknown[] }): Promise<string> {
  const sql = q.sql.replace(/\$\d+/g, '?');
  if (db.client.config.client !== 'pg') {
    const plan = (await db.raw(`EXPLAIN QUERY PLAN ${sql}`, q.bindings as never[])) as Array<{ detail: string }>;
    return plan.map((p) => p.detail).join(' | ');
  }
  return db.transaction(async (trx) => {
    await trx.raw('SET LOCAL enable_seqscan = off');
    const plan: { rows: Array<{ 'QUERY PLAN': string }> } = await trx.raw(`EXPLAIN ${sql}`, q.bindings as never[]);
    return plan.rows.map((r) => r['QUERY PLAN']).join(' | ');
  });
}
