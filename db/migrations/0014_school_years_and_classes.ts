import type { Knex } from 'knex';

/**
 * The rentrée: school years (one is current), each school's classes in their order, and the
 * elementary school a maternelle's GS go to in CP. Children keep class_name as the text every
 * list prints; the classes give its order and the next class at the "passage".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('school_years', (t) => {
    t.increments('id');
    t.string('label', 9).notNullable().unique(); // "2026-2027"
    t.string('date_from', 10).notNullable();
    t.string('date_to', 10).notNullable();
    t.boolean('current').notNullable().defaultTo(false);
    // Set when the "passage en classe supérieure" into this year was applied (once per year).
    t.string('promoted_at', 30);
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('school_classes', (t) => {
    t.increments('id');
    t.integer('school_id').notNullable().references('schools.id');
    t.string('name', 40).notNullable();
    t.string('level', 10); // one of SCHOOL_LEVELS, or null for a class of its own (ULIS…)
    t.integer('position').notNullable().defaultTo(0);
    t.unique(['school_id', 'name']);
  });
  await knex.schema.alterTable('schools', (t) => {
    t.integer('next_school_id').references('schools.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('schools', (t) => {
    t.dropColumn('next_school_id');
  });
  await knex.schema.dropTable('school_classes');
  await knex.schema.dropTable('school_years');
}
