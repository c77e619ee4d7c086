import type { Knex } from 'knex';

/**
 * `family_versions`: one number per family that moves with every change of what its week grid
 * shows of it (issue 12, "Hot paths"): its row (threshold, QF), its children, their bookings and
 * its ledger. The week grid is kept in memory under this number (core/planning-cache.ts), so
 * a parent's page costs two small reads while nothing of the family changed.
 *
 * Kept by triggers, in the statement that changes the row, hence in its transaction: no path
 * (the batch engine, the counter, a closure, the rentrée, the import, a script) can forget it.
 * A family without a row has version 0. The wallets' labels and overdrafts, shared by every
 * family, move the 'planning' version of migration 0019 instead.
 */
const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

/** What bumps a family's version, per table: the family id expressions of the row's old and new values. */
const SOURCES = {
  families: { insert: [], update: ['NEW.id'], delete: ['OLD.id'] },
  children: { insert: ['NEW.family_id'], update: ['OLD.family_id', 'NEW.family_id'], delete: ['OLD.family_id'] },
  ledger_entries: { insert: ['NEW.family_id'], update: ['OLD.family_id', 'NEW.family_id'], delete: ['OLD.family_id'] },
  bookings: {
    insert: ['(SELECT family_id FROM children WHERE id = NEW.child_id)'],
    update: ['(SELECT family_id FROM children WHERE id = OLD.child_id)', '(SELECT family_id FROM children WHERE id = NEW.child_id)'],
    delete: ['(SELECT family_id FROM children WHERE id = OLD.child_id)'],
  },
} as const;

const bump = (familyId: string) => `INSERT INTO family_versions (family_id, version) SELECT ${familyId}, 1 WHERE ${familyId} IS NOT NULL
  ON CONFLICT (family_id) DO UPDATE SET version = family_versions.version + 1`;

const PLANNING_BUMP = "UPDATE data_versions SET version = version + 1 WHERE name = 'planning'";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('family_versions', (t) => {
    t.integer('family_id').primary();
    t.integer('version').notNullable();
  });
  if (isPostgres(knex)) {
    for (const [table, ops] of Object.entries(SOURCES)) {
      const body = (['insert', 'update', 'delete'] as const)
        .map((op) => ops[op].length === 0 ? '' : `IF TG_OP = '${op.toUpperCase()}' THEN ${ops[op].map(bump).join('; ')}; END IF;`)
        .join('\n');
      await knex.raw(`CREATE FUNCTION ${table}_family_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`);
      await knex.raw(`CREATE TRIGGER ${table}_family_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${table}_family_version()`);
    }
    await knex.raw(`CREATE TRIGGER wallets_planning_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wallets
      FOR EACH STATEMENT EXECUTE FUNCTION planning_version_bump()`);
    return;
  }
  for (const [table, ops] of Object.entries(SOURCES)) {
    for (const op of ['insert', 'update', 'delete'] as const) {
      if (ops[op].length === 0) continue;
      await knex.raw(`CREATE TRIGGER ${table}_family_version_${op} AFTER ${op.toUpperCase()} ON ${table}
        BEGIN ${ops[op].map(bump).join('; ')}; END`);
    }
  }
  for (const op of ['insert', 'update', 'delete']) {
    await knex.raw(`CREATE TRIGGER wallets_planning_version_${op} AFTER ${op.toUpperCase()} ON wallets BEGIN ${PLANNING_BUMP}; END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    for (const table of Object.keys(SOURCES)) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_family_version ON ${table}`);
      await knex.raw(`DROP FUNCTION IF EXISTS ${table}_family_version()`);
    }
    await knex.raw('DROP TRIGGER IF EXISTS wallets_planning_version ON wallets');
  } else {
    for (const table of Object.keys(SOURCES)) {
      for (const op of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_family_version_${op}`);
    }
    for (const op of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS wallets_planning_version_${op}`);
  }
  await knex.schema.dropTable('family_versions');
}
