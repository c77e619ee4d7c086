import type { Knex } from 'knex';

/**
 * One PayFiP payment for several wallets: the payment keeps its single refdet and montant (the
 * sum), and its split lives here. Each part is credited by its own ledger entry, so the ledger's
 * "once per payment" key becomes "once per payment and wallet".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('online_payment_parts', (t) => {
    t.increments('id');
    t.integer('payment_id').notNullable().references('online_payments.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.integer('amount_cents').notNullable();
    t.unique(['payment_id', 'wallet_id']);
    t.check('?? > 0', ['amount_cents']);
  });
  await knex.schema.alterTable('online_payments', (t) => {
    // Where the parent started ("/planning?semaine=2026-03-09"): the return page sends her back there.
    t.string('return_path', 200);
  });
  await knex.schema.alterTable('ledger_entries', (t) => {
    t.dropUnique(['online_payment_id']);
    t.unique(['online_payment_id', 'wallet_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ledger_entries', (t) => {
    t.dropUnique(['online_payment_id', 'wallet_id']);
    t.unique(['online_payment_id']);
  });
  await knex.schema.alterTable('online_payments', (t) => {
    t.dropColumn('return_path');
  });
  await knex.schema.dropTable('online_payment_parts');
}
