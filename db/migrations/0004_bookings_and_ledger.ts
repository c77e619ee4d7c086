import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per child, activity and day; cancelling flips the status (the money trail is in ledger_entries).
  await knex.schema.createTable('bookings', (t) => {
    t.increments('id');
    t.integer('child_id').notNullable().references('children.id');
    t.integer('activity_id').notNullable().references('activities.id');
    t.string('date', 10).notNullable();
    t.string('status', 12).notNullable(); // booked | cancelled
    t.integer('price_cents').notNullable(); // price debited when last booked
    t.string('source', 12).notNullable(); // parent | staff | subscription
    t.integer('staff_user_id').references('staff_users.id');
    t.boolean('override').notNullable().defaultTo(false); // booked/cancelled past a deadline by staff
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['child_id', 'activity_id', 'date']);
    t.index(['activity_id', 'date', 'status']);
    t.index(['date']);
  });

  // "Je gère mes abonnements": a standing order over a period, expanded into bookings.
  await knex.schema.createTable('subscriptions', (t) => {
    t.increments('id');
    t.integer('child_id').notNullable().references('children.id');
    t.integer('activity_id').notNullable().references('activities.id');
    t.string('weekdays', 20).notNullable();
    t.string('date_from', 10).notNullable();
    t.string('date_to', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('ended_at', 30);
    t.index(['child_id']);
  });

  await knex.schema.createTable('attendance', (t) => {
    t.increments('id');
    t.integer('child_id').notNullable().references('children.id');
    t.integer('activity_id').notNullable().references('activities.id');
    t.string('date', 10).notNullable();
    t.boolean('present').notNullable();
    t.boolean('justified').notNullable().defaultTo(false); // justified absence: booked day refunded
    t.string('note', 200).notNullable().defaultTo('');
    t.integer('staff_user_id').references('staff_users.id');
    t.string('recorded_at', 30).notNullable();
    t.unique(['child_id', 'activity_id', 'date']);
    t.index(['activity_id', 'date']);
  });

  // Counter receipts: numbered per year without gaps (régie rule). The counter row is bumped
  // first in each sale's transaction, so the write lock is taken before anything is read.
  await knex.schema.createTable('receipt_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_number').notNullable();
  });

  await knex.schema.createTable('receipts', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.integer('number').notNullable();
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.integer('amount_cents').notNullable(); // negative on a reversing receipt
    t.string('method', 12).notNullable(); // especes | cheque | carte
    t.string('cheque_number', 40);
    t.string('cheque_bank', 80);
    t.integer('activity_id').references('activities.id'); // when sold as tickets
    t.integer('tickets');
    t.integer('cancels_receipt_id').unique().references('receipts.id');
    t.string('reason', 200);
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    t.string('business_date', 10).notNullable(); // Paris day of the sale, for the cash journal
    t.string('created_at', 30).notNullable();
    t.unique(['year', 'number']);
    t.index(['business_date']);
    t.index(['family_id']);
  });

  await knex.schema.createTable('cash_closures', (t) => {
    t.increments('id');
    t.string('business_date', 10).notNullable().unique();
    t.integer('total_cents').notNullable();
    t.text('totals_by_method').notNullable(); // JSON {especes, cheque, carte} in cents
    t.integer('receipt_count').notNullable();
    t.integer('staff_user_id').notNullable().references('staff_users.id');
    t.string('closed_at', 30).notNullable();
  });

  await knex.schema.createTable('online_payments', (t) => {
    t.increments('id');
    t.string('refdet', 30).notNullable().unique();
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.integer('parent_account_id').references('parent_accounts.id');
    t.integer('amount_cents').notNullable();
    t.string('email', 200).notNullable();
    t.string('objet', 100).notNullable();
    t.string('status', 12).notNullable(); // pending | paid | refused | abandoned | expired | error
    t.string('id_op', 64).unique();
    t.string('resultrans', 2);
    t.string('numauto', 20);
    t.string('paid_at_local', 20); // dattrans/heurtrans as Paris local "YYYY-MM-DD HH:MM"
    t.integer('check_count').notNullable().defaultTo(0);
    t.string('last_checked_at', 30);
    t.string('last_error', 300);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['family_id']);
    t.index(['status', 'created_at']);
  });

  // The wallet ledger: append-only. A balance is the sum of a family's entries in a wallet.
  await knex.schema.createTable('ledger_entries', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.integer('amount_cents').notNullable(); // + credit, - debit
    // counter_sale | online_payment | booking_debit | cancellation_refund | absence_refund |
    // late_charge | adjustment | refund | sale_reversal
    t.string('kind', 24).notNullable();
    t.string('label', 200).notNullable();
    t.integer('child_id').references('children.id');
    t.integer('activity_id').references('activities.id');
    t.string('service_date', 10);
    t.integer('booking_id').references('bookings.id');
    t.integer('attendance_id').references('attendance.id');
    t.integer('receipt_id').unique().references('receipts.id');
    t.integer('online_payment_id').unique().references('online_payments.id'); // credit once per payment
    t.integer('reverses_entry_id').unique().references('ledger_entries.id');
    t.string('reason', 200);
    t.integer('staff_user_id').references('staff_users.id');
    t.string('created_at', 30).notNullable();
    t.index(['family_id', 'wallet_id']);
    t.index(['booking_id']);
    t.index(['attendance_id']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ledger_entries');
  await knex.schema.dropTable('online_payments');
  await knex.schema.dropTable('cash_closures');
  await knex.schema.dropTable('receipts');
  await knex.schema.dropTable('receipt_counters');
  await knex.schema.dropTable('attendance');
  await knex.schema.dropTable('subscriptions');
  await knex.schema.dropTable('bookings');
}
