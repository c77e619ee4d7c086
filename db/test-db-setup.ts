import { migrateLatest, openDb } from './index.js';
import { adminConnection, TEST_DB_PREFIX, TEST_PG_URL, TEST_TEMPLATE, withDatabase } from './test-db.js';

/** vitest globalSetup: on PostgreSQL runs, the migrated template before, every test database dropped after. */
async function dropTestDatabases(url: string): Promise<void> {
  const admin = adminConnection(url);
  try {
    // Filtered here, not with LIKE, where "_" is a wildcard (eticket_test would match).
    const rows: { rows: Array<{ datname: string }> } = await admin.raw('SELECT datname FROM pg_database');
    for (const { datname } of rows.rows) if (datname.startsWith(TEST_DB_PREFIX)) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}

export async function setup(): Promise<void> {
  if (!TEST_PG_URL) return;
  await dropTestDatabases(TEST_PG_URL);
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
  if (TEST_PG_URL) await dropTestDatabases(TEST_PG_URL);
}
