import type { Knex } from 'knex';

// Dates are stored as 'YYYY-MM-DD' strings and instants as ISO-8601 UTC strings:
// the same text on SQLite and PostgreSQL, and no driver turns them into Date objects.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable(); // JSON
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('staff_users', (t) => {
    t.increments('id');
    t.string('username', 60).notNullable().unique();
    t.string('display_name', 120).notNullable();
    t.string('role', 20).notNullable(); // admin | secretariat | restauration
    t.string('email', 200);
    t.string('password_hash', 255).notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('locked_until', 30);
    t.string('last_login_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_users');
  await knex.schema.dropTable('settings');
}
