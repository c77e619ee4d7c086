import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Server-side sessions; the cookie carries a random token, the table its SHA-256.
  await knex.schema.createTable('sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.string('kind', 10).notNullable(); // parent | staff
    t.integer('parent_account_id').references('parent_accounts.id');
    t.integer('staff_user_id').references('staff_users.id');
    t.string('csrf_token', 64).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.index(['expires_at']);
    t.index(['parent_account_id']);
    t.index(['staff_user_id']);
  });

  await knex.schema.createTable('password_resets', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique();
    t.integer('parent_account_id').notNullable().references('parent_accounts.id');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30);
    t.index(['parent_account_id']);
  });

  // Written in the same transaction as the event that causes the mail; a sender drains it.
  await knex.schema.createTable('mail_outbox', (t) => {
    t.increments('id');
    t.string('kind', 30).notNullable(); // password_reset | payment_confirmation | low_balance | message_answer | welcome
    t.string('to_address', 200).notNullable();
    t.string('subject', 200).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.integer('family_id').references('families.id');
    t.string('status', 10).notNullable().defaultTo('pending'); // pending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('last_error', 500);
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30);
    t.index(['status', 'next_attempt_at']);
  });

  // One row per family and wallet while its balance is under the alert threshold,
  // so the low-balance mail goes once per crossing.
  await knex.schema.createTable('low_balance_alerts', (t) => {
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.string('alerted_at', 30).notNullable();
    t.primary(['family_id', 'wallet_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable();
    t.string('actor_kind', 10).notNullable(); // staff | parent | system
    t.integer('staff_user_id').references('staff_users.id');
    t.integer('parent_account_id').references('parent_accounts.id');
    t.string('action', 60).notNullable(); // e.g. booking.override, contact.update, sale.create
    t.string('entity', 40).notNullable();
    t.string('entity_id', 40);
    t.integer('family_id').references('families.id');
    t.text('before_json');
    t.text('after_json');
    t.string('note', 300);
    // A parent's change to the family file, flagged until the secretariat has seen it.
    t.boolean('needs_review').notNullable().defaultTo(false);
    t.string('reviewed_at', 30);
    t.index(['at']);
    t.index(['family_id', 'at']);
    t.index(['action', 'at']);
    t.index(['needs_review']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('low_balance_alerts');
  await knex.schema.dropTable('mail_outbox');
  await knex.schema.dropTable('password_resets');
  await knex.schema.dropTable('sessions');
}
