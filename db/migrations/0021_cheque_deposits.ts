import type { Knex } from 'knex';

/**
 * The régisseur's cheques (issue 14): the "bordereau de remise de chèques" that takes the cheques
 * received at the counter to the bank, and the cheque the bank sends back unpaid.
 *
 * - cheque_deposit_counters: one row per year, the last slip number (gapless, like receipts).
 * - cheque_deposits: one slip — number of its year, day, total, count, the account credited, who.
 * - cheque_deposit_lines: the cheque receipts on a slip; `receipt_id` is UNIQUE, so one cheque
 *   can never stand on two slips, whatever two desks do at the same instant.
 * - cheque_rejections: a deposited cheque the bank rejected; one per receipt, with its reversing
 *   ledger entry (the sale and its receipt stay) and how the family was warned.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cheque_deposit_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_number').notNullable();
  });
  await knex.schema.createTable('cheque_deposits', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.integer('number').notNullable();
    t.string('deposit_date', 10).notNullable();
    t.integer('total_cents').notNullable();
    t.integer('cheque_count').notNullable();
    t.string('bank_account_label', 120).notNullable();
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['year', 'number']);
    t.index(['deposit_date']);
    t.check('?? > 0', ['total_cents']);
    t.check('?? > 0', ['cheque_count']);
  });
  await knex.schema.createTable('cheque_deposit_lines', (t) => {
    t.increments('id');
    t.integer('deposit_id').notNullable().references('cheque_deposits.id');
    t.integer('receipt_id').notNullable().unique().references('receipts.id');
    t.integer('amount_cents').notNullable();
    t.index(['deposit_id']);
    t.check('?? > 0', ['amount_cents']);
  });
  await knex.schema.createTable('cheque_rejections', (t) => {
    t.increments('id');
    t.integer('receipt_id').notNullable().unique().references('receipts.id');
    t.string('rejected_on', 10).notNullable();
    t.string('reason', 200).notNullable();
    t.integer('ledger_entry_id').notNullable().unique().references('ledger_entries.id');
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    // How the family was told: by mail (and a portal message), or a portal message alone (no address: a letter to send).
    t.string('warned_by', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.check("?? IN ('mail', 'message')", ['warned_by']);
  });
  // The cheques still to deposit are looked up by method.
  await knex.schema.alterTable('receipts', (t) => {
    t.index(['method', 'business_date'], 'receipts_method_business_date_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('receipts', (t) => {
    t.dropIndex(['method', 'business_date'], 'receipts_method_business_date_index');
  });
  await knex.schema.dropTable('cheque_rejections');
  await knex.schema.dropTable('cheque_deposit_lines');
  await knex.schema.dropTable('cheque_deposits');
  await knex.schema.dropTable('cheque_deposit_counters');
}
