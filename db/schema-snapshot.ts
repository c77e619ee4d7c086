import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, migrateLatest } from './index.js';
import { migrations } from './migrations/index.js';

/**
 * The schema guard's record: each migration's content hash, and the schema they produce.
 * `npm run db:snapshot` rewrites it after a NEW migration; tests/schema-guard.test.ts fails
 * when a recorded migration was edited, or when the schema differs from the record.
 */
export interface SchemaSnapshot {
  migrations: Array<{ name: string; sha256: string }>;
  schema: string[];
}

export const snapshotFile = path.join(import.meta.dirname, 'schema-snapshot.json');

export function migrationHashes(): Array<{ name: string; sha256: string }> {
  return migrations.map(([name]) => {
    const text = fs.readFileSync(path.join(import.meta.dirname, 'migrations', `${name}.ts`), 'utf8').replace(/\r\n/g, '\n');
    return { name, sha256: crypto.createHash('sha256').update(text).digest('hex') };
  });
}

export async function currentSchema(): Promise<string[]> {
  const db = openDb({ memory: true });
  try {
    await migrateLatest(db);
    const rows: Array<{ type: string; name: string; sql: string | null }> = await db('sqlite_master')
      .whereNot('name', 'like', 'sqlite_%')
      .whereNot('name', 'like', 'knex_%')
      .select('type', 'name', 'sql')
      .orderBy([{ column: 'type' }, { column: 'name' }]);
    return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
  } finally {
    await db.destroy();
  }
}

export async function buildSnapshot(): Promise<SchemaSnapshot> {
  return { migrations: migrationHashes(), schema: await currentSchema() };
}

export function readSnapshot(): SchemaSnapshot {
  return JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as SchemaSnapshot;
}
