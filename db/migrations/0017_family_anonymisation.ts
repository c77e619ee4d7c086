import type { Knex } from 'knex';

/**
 * GDPR (issue 11): when a family's personal data was erased ("Anonymiser"). Set once; a second
 * anonymisation is refused, and the inactive-families list leaves such families out. The
 * retention list's grouped query uses the existing family_id indexes (ledger, receipts,
 * payments, accounts, children), so no new index is needed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('families', (t) => {
    t.string('anonymised_at', 30);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('families', (t) => {
    t.dropColumn('anonymised_at');
  });
}
