import type { Knex } from 'knex';

/**
 * The status and kind columns, enums until now by comment only, refuse any other value. The
 * lists are written here, frozen with the migration (a later value needs a later migration).
 * PostgreSQL gets CHECK constraints; SQLite cannot add one to an existing table without
 * rebuilding it (and its foreign keys), so there two triggers per column raise the same refusal
 * on INSERT and on UPDATE of the column.
 */
export const STATUS_CHECKS: ReadonlyArray<{ table: string; column: string; values: readonly string[]; nullable?: boolean }> = [
  { table: 'staff_users', column: 'role', values: ['admin', 'secretariat', 'restauration'] },
  { table: 'schools', column: 'kind', values: ['maternelle', 'elementaire'] },
  { table: 'closures', column: 'kind', values: ['ferie', 'vacances', 'mairie', 'fermeture'] },
  { table: 'bookings', column: 'status', values: ['booked', 'cancelled'] },
  { table: 'bookings', column: 'source', values: ['parent', 'staff', 'subscription'] },
  { table: 'receipts', column: 'method', values: ['especes', 'cheque', 'carte'] },
  { table: 'online_payments', column: 'status', values: ['pending', 'paid', 'refused', 'abandoned', 'expired', 'error'] },
  {
    table: 'ledger_entries',
    column: 'kind',
    values: ['counter_sale', 'online_payment', 'booking_debit', 'cancellation_refund', 'absence_refund', 'late_charge', 'adjustment', 'refund', 'sale_reversal', 'reversal'],
  },
  { table: 'invoices', column: 'kind', values: ['topup', 'counter', 'statement'] },
  { table: 'invoices', column: 'status', values: ['paid', 'issued', 'cancelled'] },
  { table: 'documents', column: 'status', values: ['pending', 'accepted', 'refused'] },
  { table: 'message_threads', column: 'status', values: ['open', 'closed'] },
  { table: 'messages', column: 'author_kind', values: ['parent', 'staff'] },
  { table: 'sessions', column: 'kind', values: ['parent', 'staff'] },
  {
    table: 'mail_outbox',
    column: 'kind',
    values: ['password_reset', 'payment_confirmation', 'low_balance', 'message_answer', 'message_from_mairie', 'welcome', 'closure_cancellation'],
  },
  { table: 'mail_outbox', column: 'status', values: ['pending', 'sent', 'failed'] },
  { table: 'audit_log', column: 'actor_kind', values: ['staff', 'parent', 'system'] },
  { table: 'school_classes', column: 'level', values: ['TPS', 'PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'], nullable: true },
];

const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';
const nameOf = (c: { table: string; column: string }) => `${c.table}_${c.column}_check`;
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  for (const c of STATUS_CHECKS) {
    const allowed = `${c.column} IN (${list(c.values)})`;
    if (isPostgres(knex)) {
      await knex.raw(`ALTER TABLE ${c.table} ADD CONSTRAINT ${nameOf(c)} CHECK (${c.nullable ? `${c.column} IS NULL OR ` : ''}${allowed})`);
      continue;
    }
    const refused = `NEW.${c.column} NOT IN (${list(c.values)})${c.nullable ? ` AND NEW.${c.column} IS NOT NULL` : ''}`;
    // NULL NOT IN (...) is NULL, not true: a NOT NULL column's own constraint refuses NULL already.
    const raise = `SELECT RAISE(ABORT, 'CHECK constraint failed: ${nameOf(c)}')`;
    await knex.raw(`CREATE TRIGGER ${nameOf(c)}_insert BEFORE INSERT ON ${c.table} WHEN ${refused} BEGIN ${raise}; END`);
    await knex.raw(`CREATE TRIGGER ${nameOf(c)}_update BEFORE UPDATE OF ${c.column} ON ${c.table} WHEN ${refused} BEGIN ${raise}; END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const c of STATUS_CHECKS) {
    if (isPostgres(knex)) await knex.raw(`ALTER TABLE ${c.table} DROP CONSTRAINT IF EXISTS ${nameOf(c)}`);
    else {
      await knex.raw(`DROP TRIGGER IF EXISTS ${nameOf(c)}_insert`);
      await knex.raw(`DROP TRIGGER IF EXISTS ${nameOf(c)}_update`);
    }
  }
}
