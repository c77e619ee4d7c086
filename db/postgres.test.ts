import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownAll, migrateLatest, migrationSource, openDb, type Db } from './index.js';
import { migrations } from './migrations/index.js';

/**
 * The migrations on PostgreSQL, the documented path for a larger city (the core itself is
 * tested on SQLite only). Runs only when ETICKET_TEST_PG_URL names a THROWAWAY database: the
 * test rolls every migration back, so whatever eTicket schema is there is dropped.
 *
 *   ETICKET_TEST_PG_URL=postgres://user:pass@127.0.0.1:5432/eticket_test npx vitest run db/postgres.test.ts
 *
 * What it checks: up, the same tables, columns (with their NOT NULL), indexes and constraints
 * as on SQLite; down to nothing; up again.
 */

const PG_URL = process.env.ETICKET_TEST_PG_URL;

interface TableShape {
  columns: Record<string, { nullable: boolean }>;
}

async function columnsOf(db: Db, table: string): Promise<TableShape['columns']> {
  const info = await db(table).columnInfo();
  return Object.fromEntries(Object.entries(info).map(([name, c]) => [name, { nullable: c.nullable }]));
}

/**
 * SQLite's own view of the columns. A PRIMARY KEY column there may hold NULL unless it is
 * declared NOT NULL (a historical quirk); PostgreSQL's primary key implies NOT NULL, so the
 * reference counts primary-key columns as NOT NULL.
 */
async function sqliteColumnsOf(db: Db, table: string): Promise<TableShape['columns']> {
  const rows: Array<{ name: string; notnull: number; pk: number }> = await db.raw('SELECT name, "notnull", pk FROM pragma_table_info(?)', [table]);
  return Object.fromEntries(rows.map((r) => [r.name, { nullable: r.notnull === 0 && r.pk === 0 }]));
}

async function sqliteTables(db: Db): Promise<string[]> {
  const rows: Array<{ name: string }> = await db('sqlite_master')
    .where('type', 'table')
    .whereNot('name', 'like', 'sqlite_%')
    .whereNot('name', 'like', 'knex_%')
    .select('name');
  return rows.map((r) => r.name).sort();
}

async function pgTables(db: Db): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await db('information_schema.tables')
    .where({ table_type: 'BASE TABLE' })
    .whereRaw('table_schema = current_schema()')
    .whereNot('table_name', 'like', 'knex_%')
    .select('table_name');
  return rows.map((r) => r.table_name).sort();
}

/** Named indexes (knex names them the same on both), without primary keys. */
async function sqliteIndexes(db: Db): Promise<string[]> {
  const rows: Array<{ name: string }> = await db('sqlite_master')
    .where('type', 'index')
    .whereNot('name', 'like', 'sqlite_%')
    .whereNot('tbl_name', 'like', 'knex_%')
    .select('name');
  return rows.map((r) => r.name).sort();
}

async function pgIndexes(db: Db): Promise<string[]> {
  const rows: Array<{ indexname: string }> = await db('pg_indexes')
    .whereRaw('schemaname = current_schema()')
    .whereNot('tablename', 'like', 'knex_%')
    .whereNot('indexname', 'like', '%_pkey')
    .select('indexname');
  return rows.map((r) => r.indexname).sort();
}

async function pgForeignKeyCount(db: Db): Promise<number> {
  const row = await db('information_schema.table_constraints')
    .where({ constraint_type: 'FOREIGN KEY' })
    .whereRaw('table_schema = current_schema()')
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

async function sqliteForeignKeyCount(db: Db, tables: string[]): Promise<number> {
  let n = 0;
  for (const t of tables) n += ((await db.raw('SELECT * FROM pragma_foreign_key_list(?)', [t])) as unknown[]).length;
  return n;
}

describe.skipIf(!PG_URL)('migrations on PostgreSQL', () => {
  let pg: Db;
  let reference: { tables: string[]; shapes: Record<string, TableShape['columns']>; indexes: string[]; foreignKeys: number };

  beforeAll(async () => {
    const sqlite = openDb({ memory: true });
    try {
      await migrateLatest(sqlite);
      const tables = await sqliteTables(sqlite);
      const shapes: Record<string, TableShape['columns']> = {};
      for (const t of tables) shapes[t] = await sqliteColumnsOf(sqlite, t);
      reference = { tables, shapes, indexes: await sqliteIndexes(sqlite), foreignKeys: await sqliteForeignKeyCount(sqlite, tables) };
    } finally {
      await sqlite.destroy();
    }
    pg = openDb({ databaseUrl: PG_URL });
    expect(pg.client.config.client).toBe('pg');
    // Leftovers of an interrupted run.
    await migrateDownAll(pg);
  });

  afterAll(async () => {
    if (!pg) return;
    await migrateDownAll(pg);
    await pg.destroy();
  });

  it('migrates up to the same schema as SQLite, down to nothing, and up again', async () => {
    expect(await pgTables(pg)).toEqual([]);

    await migrateLatest(pg);
    const [done, pending] = await pg.migrate.list({ migrationSource });
    expect(done).toHaveLength(migrations.length);
    expect(pending).toEqual([]);

    const tables = await pgTables(pg);
    expect(tables).toEqual(reference.tables);
    for (const t of tables) expect({ table: t, columns: await columnsOf(pg, t) }).toEqual({ table: t, columns: reference.shapes[t] });
    expect(await pgIndexes(pg)).toEqual(reference.indexes);
    expect(await pgForeignKeyCount(pg)).toBe(reference.foreignKeys);

    // The constraints are real: a child of no family is refused.
    await expect(
      pg('children').insert({ family_id: 999_999, first_name: 'X', last_name: 'Y', birth_date: '2018-01-01', created_at: 'x', updated_at: 'x' }),
    ).rejects.toThrow(/foreign key/i);

    await migrateDownAll(pg);
    expect(await pgTables(pg)).toEqual([]);
    expect(await pgIndexes(pg)).toEqual([]);

    await migrateLatest(pg);
    expect(await pgTables(pg)).toEqual(reference.tables);
    expect(await pgIndexes(pg)).toEqual(reference.indexes);
  });
});
