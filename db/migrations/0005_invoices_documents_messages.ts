import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invoice_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_number').notNullable();
  });

  await knex.schema.createTable('invoices', (t) => {
    t.increments('id');
    t.string('number', 20).notNullable().unique(); // e.g. F2026-000042
    t.integer('family_id').notNullable().references('families.id');
    t.string('kind', 20).notNullable(); // topup | counter | statement
    t.string('issued_on', 10).notNullable();
    t.string('period_from', 10);
    t.string('period_to', 10);
    t.integer('total_cents').notNullable();
    t.string('status', 12).notNullable(); // paid | issued | cancelled
    t.integer('online_payment_id').unique().references('online_payments.id');
    t.integer('receipt_id').unique().references('receipts.id');
    t.string('created_at', 30).notNullable();
    t.index(['family_id', 'issued_on']);
  });

  await knex.schema.createTable('invoice_lines', (t) => {
    t.increments('id');
    t.integer('invoice_id').notNullable().references('invoices.id');
    t.string('label', 200).notNullable();
    t.integer('quantity').notNullable();
    t.integer('unit_cents').notNullable();
    t.integer('total_cents').notNullable();
    t.index(['invoice_id']);
  });

  // Uploaded attestations. Files live outside any web root under random names.
  await knex.schema.createTable('documents', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.integer('child_id').references('children.id');
    t.string('title', 120).notNullable();
    t.string('original_name', 200).notNullable();
    t.string('stored_name', 80).notNullable().unique();
    t.string('mime_type', 40).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('status', 12).notNullable(); // pending | accepted | refused
    t.string('review_comment', 500);
    t.integer('reviewed_by').references('staff_users.id');
    t.string('reviewed_at', 30);
    t.integer('parent_account_id').references('parent_accounts.id');
    t.string('uploaded_at', 30).notNullable();
    t.index(['family_id']);
    t.index(['status']);
  });

  await knex.schema.createTable('message_threads', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.string('subject', 150).notNullable();
    t.string('status', 10).notNullable().defaultTo('open'); // open | closed
    t.string('created_at', 30).notNullable();
    t.string('last_message_at', 30).notNullable();
    t.index(['family_id', 'last_message_at']);
    t.index(['status', 'last_message_at']);
  });

  await knex.schema.createTable('messages', (t) => {
    t.increments('id');
    t.integer('thread_id').notNullable().references('message_threads.id');
    t.string('author_kind', 10).notNullable(); // parent | staff
    t.integer('parent_account_id').references('parent_accounts.id');
    t.integer('staff_user_id').references('staff_users.id');
    t.text('body').notNullable();
    t.string('created_at', 30).notNullable();
    t.string('read_at', 30); // read by the other side
    t.index(['thread_id', 'created_at']);
  });

  await knex.schema.createTable('info_pages', (t) => {
    t.increments('id');
    t.string('slug', 80).notNullable().unique();
    t.string('title', 150).notNullable();
    t.text('body').notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('published').notNullable().defaultTo(true);
    t.integer('updated_by').references('staff_users.id');
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('info_pages');
  await knex.schema.dropTable('messages');
  await knex.schema.dropTable('message_threads');
  await knex.schema.dropTable('documents');
  await knex.schema.dropTable('invoice_lines');
  await knex.schema.dropTable('invoices');
  await knex.schema.dropTable('invoice_counters');
}
