import type { Knex } from 'knex';

/**
 * "Soldes et relances" (issue 14): each reminder sent to a family about a wallet's balance, by
 * mail or by a printed letter, kept on the family's file with its date, the balance it quoted
 * and who sent it. `batch_key` is the console's idempotency key: a double click or a retried
 * request finds the batch already sent and answers it again instead of sending twice.
 *
 * The outbox learns the mail kind 'balance_reminder': its CHECK (0018) is replaced by the same
 * list plus that kind (PostgreSQL: the constraint; SQLite: the two triggers).
 */
const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

const BEFORE = ['password_reset', 'payment_confirmation', 'low_balance', 'message_answer', 'message_from_mairie', 'welcome', 'closure_cancellation'];
const AFTER = [...BEFORE, 'balance_reminder'];
const CHECK = 'mail_outbox_kind_check';
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

async function outboxKinds(knex: Knex, values: readonly string[]): Promise<void> {
  if (isPostgres(knex)) {
    await knex.raw(`ALTER TABLE mail_outbox DROP CONSTRAINT IF EXISTS ${CHECK}`);
    await knex.raw(`ALTER TABLE mail_outbox ADD CONSTRAINT ${CHECK} CHECK (kind IN (${list(values)}))`);
    return;
  }
  const raise = `SELECT RAISE(ABORT, 'CHECK constraint failed: ${CHECK}')`;
  await knex.raw(`DROP TRIGGER IF EXISTS ${CHECK}_insert`);
  await knex.raw(`DROP TRIGGER IF EXISTS ${CHECK}_update`);
  await knex.raw(`CREATE TRIGGER ${CHECK}_insert BEFORE INSERT ON mail_outbox WHEN NEW.kind NOT IN (${list(values)}) BEGIN ${raise}; END`);
  await knex.raw(`CREATE TRIGGER ${CHECK}_update BEFORE UPDATE OF kind ON mail_outbox WHEN NEW.kind NOT IN (${list(values)}) BEGIN ${raise}; END`);
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('family_reminders', (t) => {
    t.increments('id');
    t.integer('family_id').notNullable().references('families.id');
    t.integer('wallet_id').notNullable().references('wallets.id');
    /** Paris day of the reminder. */
    t.string('sent_on', 10).notNullable();
    t.string('sent_at', 30).notNullable();
    t.string('channel', 10).notNullable();
    /** The balance quoted, signed integer cents. */
    t.integer('amount_cents').notNullable();
    t.integer('staff_user_id').nullable().references('staff_users.id');
    t.string('batch_key', 64).notNullable();
    /** How many addresses the mail went to (0 for a letter). */
    t.integer('recipients').notNullable().defaultTo(0);
    t.check(`channel IN ('mail', 'letter')`, [], 'family_reminders_channel_check');
    t.unique(['batch_key', 'family_id', 'wallet_id']);
    t.index(['family_id', 'sent_at']);
  });
  await outboxKinds(knex, AFTER);
}

export async function down(knex: Knex): Promise<void> {
  await knex('mail_outbox').where('kind', 'balance_reminder').delete();
  await outboxKinds(knex, BEFORE);
  await knex.schema.dropTable('family_reminders');
}
