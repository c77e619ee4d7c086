import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('schools', (t) => {
    t.increments('id');
    t.string('name', 120).notNullable().unique();
    t.string('kind', 20).notNullable(); // maternelle | elementaire
    t.string('address', 200);
    t.integer('position').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('families', (t) => {
    t.increments('id');
    t.string('code', 20).notNullable().unique(); // dossier number shown at the counter
    t.string('name', 120).notNullable(); // household name, e.g. DEVRET
    t.integer('quotient_familial'); // euros; null = not provided, highest bracket applies
    t.integer('low_balance_threshold_cents').notNullable().defaultTo(1000);
    t.text('search_text').notNullable().defaultTo(''); // lower-cased names and phone digits
    t.text('staff_note');
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['name']);
  });

  // A parent's login to the portal; one family may have several (mother, father).
  await knex.schema.createTable('parent_accounts', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.integer('contact_id'); // set once contacts exist; not a FK to keep creation order simple
    t.string('username', 60).notNullable().unique();
    t.string('email', 200);
    t.string('password_hash', 255).notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('locked_until', 30);
    t.string('last_login_at', 30);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['family_id']);
  });

  // The guide's "fiche de renseignement": one card per responsible adult.
  await knex.schema.createTable('contacts', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.string('relationship', 30).notNullable(); // MERE, PERE, TUTEUR, NOUNOU, AUTRE
    t.string('last_name', 80).notNullable();
    t.string('first_name', 80).notNullable();
    t.string('address1', 120).notNullable().defaultTo('');
    t.string('address2', 120).notNullable().defaultTo('');
    t.string('address3', 120).notNullable().defaultTo('');
    t.string('postal_code', 10).notNullable().defaultTo('');
    t.string('city', 80).notNullable().defaultTo('');
    t.string('phone', 20).notNullable().defaultTo('');
    t.string('mobile', 20).notNullable().defaultTo('');
    t.string('work_phone', 20).notNullable().defaultTo('');
    t.string('work_mobile', 20).notNullable().defaultTo('');
    t.string('email', 200).notNullable().defaultTo('');
    t.text('note').notNullable().defaultTo('');
    t.boolean('use_for_billing').notNullable().defaultTo(false);
    t.boolean('emergency_contact').notNullable().defaultTo(false);
    t.boolean('authorized_pickup').notNullable().defaultTo(false);
    t.integer('position').notNullable().defaultTo(0);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['family_id']);
  });

  await knex.schema.createTable('children', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.string('first_name', 80).notNullable();
    t.string('last_name', 80).notNullable();
    t.string('birth_date', 10).notNullable();
    t.integer('school_id').references('schools.id');
    t.string('class_name', 40).notNullable().defaultTo('');
    // Dietary choice only (CNIL: no religious or ethnic data): standard, sans_porc, vegetarien, sans_gluten
    t.string('diet', 20).notNullable().defaultTo('standard');
    t.text('allergies').notNullable().defaultTo('');
    t.boolean('pai').notNullable().defaultTo(false); // projet d'accueil individualisé
    t.text('pai_note').notNullable().defaultTo('');
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['family_id']);
    t.index(['school_id', 'class_name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('children');
  await knex.schema.dropTable('contacts');
  await knex.schema.dropTable('parent_accounts');
  await knex.schema.dropTable('families');
  await knex.schema.dropTable('schools');
}
