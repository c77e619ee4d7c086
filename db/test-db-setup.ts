import { migrateLatest, openDb } from './index.js';
import { processAlive } from './pid.js';
import { adminConnection, runIdOf, TEST_DB_PREFIX, TEST_PG_URL, TEST_RUN_ID, TEST_RUN_PREFIX, TEST_TEMPLATE, withDatabase } from './test-db.js';

/**
 * vitest globalSetup: on PostgreSQL runs, the migrated template before, the run's databases
 * dropped after. Another run's databases are left alone while its process lives.
 */

async function dropTestDatabases(url: string, which: (datname: string) => boolean): Promise<void> {
  const admin = adminConnection(url);
  try {
    // Filtered here, not with LIKE, where "_" is a wildcard (eticket_test would match).
    const rows: { rows: Array<{ datname: string }> } = await admin.raw('SELECT datname FROM pg_database');
    for (const { datname } of rows.rows) if (datname.startsWith(TEST_DB_PREFIX) && which(datname)) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}

export async function setup(): Promise<void> {
  if (!TEST_PG_URL) return;
  // The workers inherit it: every database of this run is named under it.
  process.env.ETICKET_TEST_RUN_ID = TEST_RUN_ID;
  // Left over by a run that was killed (its pid is gone), or named before run ids existed.
  await dropTestDatabases(TEST_PG_URL, (name) => {
    const run = runIdOf(name);
    return run === null || (run !== Number(TEST_RUN_ID) && !processAlive(run));
  });
  const admin = adminConnection(TEST_PG_URL);
  try {
    await admin.raw(`CREATE DATABASE ${TEST_TEMPLATE}`);
  } finally {
    await admin.destroy();
  }
  const db = openDb({ databaseUrl: withDatabase(TEST_PG_URL, TEST_TEMPLATE) });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

export async function teardown(): Promise<void> {
  if (TEST_PG_URL) await dropTestDatabases(TEST_PG_URL, (name) => name.startsWith(TEST_RUN_PREFIX));
}
