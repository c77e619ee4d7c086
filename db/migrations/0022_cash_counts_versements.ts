import type { Knex } from 'knex';

/**
 * The régisseur's documents, part 2 (issue 14).
 * - cash_counts: the count of the till at a session's closure, coin by coin and note by note
 *   (500 € … 0,01 €, numbers of pieces as integers), the counted and expected cash in cents and
 *   their difference, which must be explained when it is not zero. One count per closed session.
 * - versements: the "état de versement" to the comptable public for a period, numbered without
 *   gaps per year (versement_counters, as receipt_counters), its frozen figures, and when it was
 *   marked sent. versement_days holds each day of its period and versement_receipts /
 *   versement_online_payments what it counted: their primary keys make a day, a receipt or an
 *   online payment in two versements impossible.
 */

/** Denominations in cents, frozen with the migration (api/versement.ts has the same list). */
const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cash_counts', (t) => {
    t.increments('id');
    t.integer('cash_closure_id').notNullable().unique().references('cash_closures.id');
    t.string('business_date', 10).notNullable();
    for (const d of DENOMINATIONS) t.integer(`n_${d}`).notNullable().defaultTo(0);
    t.integer('counted_cents').notNullable();
    t.integer('expected_cents').notNullable();
    t.integer('difference_cents').notNullable();
    t.string('explanation', 500);
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    t.string('created_at', 30).notNullable();
    t.index(['business_date']);
    for (const d of DENOMINATIONS) t.check(`?? >= 0 AND ?? <= 1000000`, [`n_${d}`, `n_${d}`], `cash_counts_n_${d}_range`);
    t.check('?? >= 0', ['counted_cents'], 'cash_counts_counted_non_negative');
    t.check('?? = ?? - ??', ['difference_cents', 'counted_cents', 'expected_cents'], 'cash_counts_difference');
    t.check("?? = 0 OR (?? IS NOT NULL AND ?? <> '')", ['difference_cents', 'explanation', 'explanation'], 'cash_counts_explained');
  });

  await knex.schema.createTable('versement_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_number').notNullable();
  });

  await knex.schema.createTable('versements', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.integer('number').notNullable();
    t.string('period_from', 10).notNullable();
    t.string('period_to', 10).notNullable();
    t.integer('especes_cents').notNullable();
    t.integer('cheque_cents').notNullable();
    t.integer('carte_cents').notNullable();
    t.integer('online_cents').notNullable();
    t.integer('cancellations_cents').notNullable();
    t.integer('total_cents').notNullable();
    t.integer('receipt_count').notNullable();
    t.integer('online_count').notNullable();
    t.text('figures').notNullable(); // JSON of the figures as established: it prints the same forever
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30);
    t.integer('sent_by_staff_user_id').references('staff_users.id');
    t.unique(['year', 'number']);
    t.index(['period_from']);
    t.check('?? <= ??', ['period_from', 'period_to'], 'versements_period_order');
    t.check('?? >= 1', ['number'], 'versements_number_positive');
    t.check('?? >= 0', ['cancellations_cents'], 'versements_cancellations_non_negative');
    t.check('?? = ?? + ?? + ?? + ??', ['total_cents', 'especes_cents', 'cheque_cents', 'carte_cents', 'online_cents'], 'versements_total');
    t.check('(?? IS NULL) = (?? IS NULL)', ['sent_at', 'sent_by_staff_user_id'], 'versements_sent_by');
  });

  await knex.schema.createTable('versement_days', (t) => {
    t.string('business_date', 10).primary();
    t.integer('versement_id').notNullable().references('versements.id');
    t.index(['versement_id']);
  });
  await knex.schema.createTable('versement_receipts', (t) => {
    t.integer('receipt_id').primary().references('receipts.id');
    t.integer('versement_id').notNullable().references('versements.id');
    t.index(['versement_id']);
  });
  await knex.schema.createTable('versement_online_payments', (t) => {
    t.integer('online_payment_id').primary().references('online_payments.id');
    t.integer('versement_id').notNullable().references('versements.id');
    t.index(['versement_id']);
  });
  // Online payments of a period are found by PayFiP's date.
  await knex.schema.alterTable('online_payments', (t) => {
    t.index(['status', 'paid_at_local'], 'online_payments_status_paid_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('online_payments', (t) => {
    t.dropIndex(['status', 'paid_at_local'], 'online_payments_status_paid_at');
  });
  await knex.schema.dropTable('versement_online_payments');
  await knex.schema.dropTable('versement_receipts');
  await knex.schema.dropTable('versement_days');
  await knex.schema.dropTable('versements');
  await knex.schema.dropTable('versement_counters');
  await knex.schema.dropTable('cash_counts');
}
