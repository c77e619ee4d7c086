import type { Knex } from 'knex';

/**
 * Online payments are asked again on a schedule (back-off while PayFiP cannot be reached) rather
 * than expired at a fixed age; the staff screen "Paiements en ligne" filters them by date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('online_payments', (t) => {
    // When the checker asks PayFiP next (ISO-8601 UTC); null once the payment is settled.
    t.string('next_check_at', 30);
    // Checks in a row that got no answer from PayFiP (network, unavailability): the back-off step.
    t.integer('unanswered_checks').notNullable().defaultTo(0);
    t.index(['status', 'next_check_at']);
    t.index(['created_at']);
  });
  // Pending payments of before: due at once.
  await knex('online_payments').where('status', 'pending').update({ next_check_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('online_payments', (t) => {
    t.dropIndex(['status', 'next_check_at']);
    t.dropIndex(['created_at']);
    t.dropColumn('next_check_at');
    t.dropColumn('unanswered_checks');
  });
}
