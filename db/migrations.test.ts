import { afterEach, describe, expect, it } from 'vitest';
import { openDb, migrateLatest, migrateDownAll, type Db } from './index.js';
import { migrations } from './migrations/index.js';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

async function tableNames(knex: Db): Promise<string[]> {
  const rows: Array<{ name: string }> = await knex('sqlite_master')
    .where('type', 'table')
    .whereNot('name', 'like', 'sqlite_%')
    .whereNot('name', 'like', 'knex_%')
    .select('name');
  return rows.map((r) => r.name).sort();
}

describe('migrations', () => {
  it('migrate up to the latest, down to nothing, and up again on a fresh database', async () => {
    db = openDb({ memory: true });
    await migrateLatest(db);
    const tables = await tableNames(db);
    for (const t of ['families', 'contacts', 'children', 'bookings', 'ledger_entries', 'receipts', 'online_payments', 'audit_log', 'mail_outbox', 'sessions']) {
      expect(tables).toContain(t);
    }
    const [done] = await db.migrate.list({ migrationSource: (await import('./migrations/index.js')).migrationSource });
    expect(done).toHaveLength(migrations.length);

    await migrateDownAll(db);
    expect(await tableNames(db)).toEqual([]);

    await migrateLatest(db);
    expect(await tableNames(db)).toEqual(tables);
  });

  it('turns foreign keys on', async () => {
    db = openDb({ memory: true });
    await migrateLatest(db);
    await expect(
      db('children').insert({ family_id: 999, first_name: 'X', last_name: 'Y', birth_date: '2018-01-01', created_at: 'x', updated_at: 'x' }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});
