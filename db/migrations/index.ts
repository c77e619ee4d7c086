import type { Knex } from 'knex';
import * as m0001 from './0001_settings_and_staff.js';
import * as m0002 from './0002_families_and_children.js';
import * as m0003 from './0003_activities_and_calendar.js';
import * as m0004 from './0004_bookings_and_ledger.js';
import * as m0005 from './0005_invoices_documents_messages.js';
import * as m0006 from './0006_sessions_mail_audit.js';
import * as m0007 from './0007_cash_sessions_idempotency.js';
import * as m0008 from './0008_online_payment_checks.js';
import * as m0010 from './0010_online_payment_parts.js';
import * as m0013 from './0013_family_import.js';
import * as m0014 from './0014_school_years_and_classes.js';
import * as m0015 from './0015_backup_runs.js';
import * as m0017 from './0017_family_anonymisation.js';
import * as m0018 from './0018_status_checks.js';
import * as m0019 from './0019_activity_day_counts.js';
import * as m0026 from './0026_family_versions.js';
import * as m0020 from './0020_family_reminders.js';
import * as m0021 from './0021_cheque_deposits.js';
import * as m0022 from './0022_cash_counts_versements.js';
import * as m0024 from './0024_activity_caf_minutes.js';
import * as m0025 from './0025_adult_meals.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed here rather than discovered on disk, so that they load the same way
 * under tsx, vitest and a bundled Electron app. Append only: never edit or reorder a line
 * (tests/schema-guard.test.ts checks it).
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001_settings_and_staff', m0001],
  ['0002_families_and_children', m0002],
  ['0003_activities_and_calendar', m0003],
  ['0004_bookings_and_ledger', m0004],
  ['0005_invoices_documents_messages', m0005],
  ['0006_sessions_mail_audit', m0006],
  ['0007_cash_sessions_idempotency', m0007],
  ['0008_online_payment_checks', m0008],
  ['0010_online_payment_parts', m0010],
  ['0013_family_import', m0013],
  ['0014_school_years_and_classes', m0014],
  ['0015_backup_runs', m0015],
  ['0017_family_anonymisation', m0017],
  ['0018_status_checks', m0018],
  ['0019_activity_day_counts', m0019],
  ['0020_family_reminders', m0020],
  ['0021_cheque_deposits', m0021],
  ['0022_cash_counts_versements', m0022],
  ['0024_activity_caf_minutes', m0024],
  ['0025_adult_meals', m0025],
  ['0026_family_versions', m0026],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`Unknown migration ${name}`);
    return found[1];
  },
};
