import type { Knex } from 'knex';

/** One row per backup run (nightly, manual, before a migration): what the "Sauvegardes" list shows. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backup_runs', (t) => {
    t.increments('id');
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30).notNullable();
    // nightly | manual | before-migration
    t.string('reason', 20).notNullable();
    t.string('file_name', 200).nullable();
    t.string('folder', 1000).nullable();
    t.bigInteger('size_bytes').nullable();
    t.integer('duration_ms').notNullable();
    t.boolean('ok').notNullable();
    t.boolean('verified').notNullable().defaultTo(false);
    // French reason of a failure, shown as is.
    t.string('error', 500).nullable();
    t.integer('staff_user_id').nullable().references('staff_users.id');
    t.index(['started_at']);
    t.index(['ok', 'started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('backup_runs');
}
