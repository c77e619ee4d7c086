import type { Knex } from 'knex';

/**
 * Importing families from a spreadsheet (core/import/): the external references that make a
 * re-run update instead of duplicating, the contact slot (Responsable 1 or 2) a row fills, the
 * mapping of a foreign file's columns remembered per header set, each import's record, the
 * opening balances taken over (once per family and wallet) and the portal logins it opened.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('families', (t) => {
    t.string('external_ref', 60);
    t.unique(['external_ref']);
  });
  await knex.schema.alterTable('children', (t) => {
    t.string('external_ref', 120);
    t.unique(['external_ref']);
  });
  await knex.schema.alterTable('contacts', (t) => {
    t.integer('import_slot'); // 1 or 2: "Responsable 1/2" of the import file; null for a card typed by hand
  });

  await knex.schema.createTable('import_mappings', (t) => {
    t.string('header_key', 64).primary(); // sha256 of the normalised header row
    t.text('mapping_json').notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('family_imports', (t) => {
    t.increments('id');
    t.string('file_name', 200).notNullable();
    t.string('checksum', 64).notNullable();
    t.text('counts_json').notNullable();
    t.integer('staff_user_id').references('staff_users.id');
    t.string('created_at', 30).notNullable();
  });

  // One opening balance per family and wallet, whatever the number of re-runs.
  await knex.schema.createTable('import_opening_balances', (t) => {
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    t.integer('amount_cents').notNullable();
    t.integer('ledger_entry_id').notNullable().references('ledger_entries.id');
    t.integer('import_id').notNullable().references('family_imports.id');
    t.primary(['family_id', 'wallet_id']);
  });

  // Logins opened by an import: no password until "Courriers de bienvenue" gives one.
  await knex.schema.createTable('imported_accounts', (t) => {
    t.integer('parent_account_id').primary().references('parent_accounts.id');
    t.integer('import_id').notNullable().references('family_imports.id');
    t.string('letter_at', 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('imported_accounts');
  await knex.schema.dropTable('import_opening_balances');
  await knex.schema.dropTable('family_imports');
  await knex.schema.dropTable('import_mappings');
  await knex.schema.alterTable('contacts', (t) => t.dropColumn('import_slot'));
  await knex.schema.alterTable('children', (t) => {
    t.dropUnique(['external_ref']);
    t.dropColumn('external_ref');
  });
  await knex.schema.alterTable('families', (t) => {
    t.dropUnique(['external_ref']);
    t.dropColumn('external_ref');
  });
}
