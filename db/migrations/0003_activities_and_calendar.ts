import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A wallet ("porte-monnaie") is a separate balance per family: canteen credit does not pay the bus.
  await knex.schema.createTable('wallets', (t) => {
    t.increments('id');
    t.string('code', 30).notNullable().unique();
    t.string('label', 120).notNullable();
    // Wallet policy: how far below zero a booking may take the balance (0 = never negative).
    t.integer('overdraft_limit_cents').notNullable().defaultTo(0);
    t.integer('position').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('activities', (t) => {
    t.increments('id');
    t.string('code', 30).notNullable().unique();
    t.string('name', 120).notNullable();
    t.string('period_label', 60).notNullable().defaultTo('Période scolaire');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.string('weekdays', 20).notNullable(); // ISO weekdays served, e.g. "1,2,4,5"
    t.string('start_time', 5);
    t.string('end_time', 5);
    t.integer('capacity'); // null = unlimited
    // Deadlines: book until D-n at HH:MM, cancel until D-m at HH:MM (Europe/Paris),
    // counting back over working days (weekends, public holidays and mairie closures skipped).
    t.integer('book_days_before').notNullable().defaultTo(2);
    t.string('book_until_time', 5).notNullable().defaultTo('10:00');
    t.integer('cancel_days_before').notNullable().defaultTo(2);
    t.string('cancel_until_time', 5).notNullable().defaultTo('10:00');
    t.integer('late_surcharge_cents').notNullable().defaultTo(0);
    t.boolean('meal').notNullable().defaultTo(false); // appears on the canteen meal lists
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  // Price by quotient-familial bracket: qf_min <= QF <= qf_max (qf_max null = no upper bound).
  await knex.schema.createTable('tariffs', (t) => {
    t.increments('id');
    t.integer('activity_id').notNullable().references('activities.id');
    t.integer('qf_min').notNullable();
    t.integer('qf_max');
    t.integer('price_cents').notNullable();
    t.string('label', 60).notNullable().defaultTo('');
    t.unique(['activity_id', 'qf_min']);
  });

  // Closed days beyond computed public holidays: school holidays (shipped, editable) and
  // the mairie's own closures. Both bounds inclusive. activity_id/school_id null = all.
  await knex.schema.createTable('closures', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable(); // vacances | mairie | fermeture
    t.string('label', 120).notNullable();
    t.string('date_from', 10).notNullable();
    t.string('date_to', 10).notNullable();
    t.integer('activity_id').references('activities.id');
    t.integer('school_id').references('schools.id');
    t.string('created_at', 30).notNullable();
    t.index(['date_from', 'date_to']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('closures');
  await knex.schema.dropTable('tariffs');
  await knex.schema.dropTable('activities');
  await knex.schema.dropTable('wallets');
}
