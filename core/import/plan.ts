import type { Diet } from '../../api/rules.js';
import type { ContactValues } from '../family.js';
import type { ImportCountsView } from '../../api/import.js';

/** What a file asks for once read and checked (./validate.ts), before the database is compared (./apply.ts). */

export interface ImportIssue {
  /** The file's line; null for the whole file (a column not mapped). */
  line: number | null;
  /** The file's header of the column concerned. */
  column: string | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface PlannedContact {
  slot: 1 | 2;
  line: number;
  values: ContactValues;
}

export interface PlannedChild {
  ref: string;
  line: number;
  firstName: string;
  lastName: string;
  birthDate: string;
  schoolId: number | null;
  className: string;
  diet: Diet;
  allergies: string;
  pai: boolean;
}

export interface PlannedFamily {
  ref: string;
  line: number;
  name: string;
  quotientFamilial: number | null;
  contacts: PlannedContact[];
  children: PlannedChild[];
  /** wallet id -> cents (never 0). */
  balances: Map<number, number>;
  login: { username: string; email: string; line: number } | null;
  /** A line of this family has an error: nothing of it is written. */
  invalid: boolean;
}

export type ImportCounts = ImportCountsView;

export const emptyCounts = (rows: number): ImportCounts => ({
  rows,
  familiesNew: 0,
  familiesUpdated: 0,
  familiesUnchanged: 0,
  childrenNew: 0,
  childrenUpdated: 0,
  contactsNew: 0,
  contactsUpdated: 0,
  accountsNew: 0,
  balancesNew: 0,
  balancesTotalCents: 0,
});
