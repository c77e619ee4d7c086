import type { Knex } from 'knex';

/**
 * Adults' meals for the caterer's order (issue 14): the kitchen enters, per school and day, how
 * many adults (teachers, ATSEM, agents) eat; one row per school and day, 0 to 500, with who
 * entered it last and when. The order reads a range by date, hence the index on the date.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('adult_meals', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('date', 10).notNullable();
    t.integer('count').notNullable();
    t.integer('staff_user_id').references('staff_users.id');
    t.string('updated_at', 30).notNullable();
    t.unique(['school_id', 'date']);
    t.index(['date']);
    t.check('?? >= 0 AND ?? <= 500', ['count', 'count'], 'adult_meals_count_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('adult_meals');
}
