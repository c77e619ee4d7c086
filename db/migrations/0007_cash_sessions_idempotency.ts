import type { Knex } from 'knex';

/**
 * Cash sessions and idempotent sales.
 * - A day's cash journal may be closed more than once: each closure freezes one session
 *   (1, 2, …) and keeps a snapshot of its lines, so a closed session prints the same forever.
 *   A receipt belongs to the session that was open when it was issued.
 * - A counter sale may carry the console's idempotency key: a retry of the same submission
 *   finds the first receipt instead of selling twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cash_closures', (t) => {
    t.integer('session').notNullable().defaultTo(1);
    t.text('snapshot'); // JSON of the session's journal as closed; null for closures made before 0007
  });
  await knex.schema.alterTable('cash_closures', (t) => {
    t.dropUnique(['business_date']);
    t.unique(['business_date', 'session']);
  });
  await knex.schema.alterTable('receipts', (t) => {
    t.integer('cash_session').notNullable().defaultTo(1);
    t.string('idempotency_key', 64).unique();
    t.string('idempotency_fingerprint', 400);
  });
  // Receipts issued after their day's closure open that day's second session.
  await knex('receipts')
    .whereExists((q) =>
      q.select(knex.raw('1')).from('cash_closures as k').whereRaw('k.business_date = receipts.business_date').andWhereRaw('receipts.created_at > k.closed_at'),
    )
    .update({ cash_session: 2 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('receipts', (t) => {
    t.dropUnique(['idempotency_key']);
  });
  await knex.schema.alterTable('receipts', (t) => {
    t.dropColumn('cash_session');
    t.dropColumn('idempotency_key');
    t.dropColumn('idempotency_fingerprint');
  });
  await knex('cash_closures').where('session', '>', 1).delete();
  await knex.schema.alterTable('cash_closures', (t) => {
    t.dropUnique(['business_date', 'session']);
  });
  await knex.schema.alterTable('cash_closures', (t) => {
    t.dropColumn('session');
    t.dropColumn('snapshot');
    t.unique(['business_date']);
  });
}
