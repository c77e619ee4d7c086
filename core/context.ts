import type { Knex } from 'knex';
import type { StaffRole } from '../api/rules.js';
import type { Clock } from './clock.js';

/** What every domain function receives: the database handle (or a transaction) and the clock. */
export interface CoreContext {
  db: Knex;
  clock: Clock;
}

export type { StaffRole };

/** Who is acting. Domain functions check permissions against it and write it to the audit log. */
export type Actor =
  | { kind: 'parent'; parentAccountId: number; familyId: number }
  | { kind: 'staff'; staffUserId: number; role: StaffRole; name: string }
  | { kind: 'system' };
