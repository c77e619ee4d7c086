import type { StaffRole } from './rules.js';

/**
 * Who may do what: the one table of rights, as data. The route table (api/routes/) names one
 * action per route; core's `can()`/`authorize()` (core/policy.ts) read this table, and the console
 * reads it too to show only what a role may use. No zod here: the portal imports it as a value.
 *
 * `staff`: the roles that may. `parent: 'own'`: a parent may, for their own family only.
 * admin = everything; secretariat = the desk (families, counter, messages, documents, journal);
 * restauration = meal lists, pointage and attendance exports.
 */

const ALL_STAFF = ['admin', 'secretariat', 'restauration'] as const satisfies readonly StaffRole[];
const DESK = ['admin', 'secretariat'] as const satisfies readonly StaffRole[];
const ADMIN = ['admin'] as const satisfies readonly StaffRole[];

export interface Right {
  readonly staff?: readonly StaffRole[];
  readonly parent?: 'own';
}

export const RIGHTS = {
  // Any signed-in staff member: the console's reference data, the server and backup bands.
  'console.use': { staff: ALL_STAFF },
  // The canteen's day: meal lists (with diets and allergies), pointage, attendance exports.
  'meals.operate': { staff: ALL_STAFF },
  // The order to the caterer (meals per school, day and diet; no money figure).
  'caterer.order': { staff: ALL_STAFF },

  // A family's own file: read by its parents and by the desk; edited by both.
  'family.read': { staff: DESK, parent: 'own' },
  'family.edit': { staff: DESK, parent: 'own' },
  'family.create': { staff: DESK },
  'bookings.change': { staff: DESK, parent: 'own' },
  'billing.read': { staff: DESK, parent: 'own' },
  'documents.send': { staff: DESK, parent: 'own' },
  'documents.review': { staff: DESK },
  'messages.write': { staff: DESK, parent: 'own' },
  'payments.online': { parent: 'own' },
  'portal-access.manage': { staff: DESK },

  // Money at the desk.
  'counter.sell': { staff: DESK },
  'wallet.adjust': { staff: DESK },
  'cash.close': { staff: DESK },
  'online-payments.verify': { staff: DESK },
  // The régie's own papers: cheque deposit slips, rejected cheques, cash counts, versements.
  'regie.manage': { staff: DESK },

  // The secretariat's office.
  'overview.read': { staff: DESK },
  'dashboard.read': { staff: DESK },
  // Soldes et relances: families by balance, reminders by mail or letter.
  'balances.remind': { staff: DESK },
  // Attestations (frais de garde, présence) for a family: by the desk, and by its parents.
  'certificates.issue': { staff: DESK, parent: 'own' },
  // The CAF's yearly figures (hours by age and QF band): QF is the desk's, not the kitchen's.
  'caf.report': { staff: DESK },
  'journal.read': { staff: DESK },
  'info-pages.edit': { staff: DESK },
  'service.read': { staff: DESK },
  'import.run': { staff: DESK },
  'gdpr.export': { staff: DESK },

  // The administrator's own actions.
  'gdpr.anonymise': { staff: ADMIN },
  'settings.manage': { staff: ADMIN },
  'activities.manage': { staff: ADMIN },
  'calendar.manage': { staff: ADMIN },
  'staff-accounts.manage': { staff: ADMIN },
  'rentree.manage': { staff: ADMIN },
  'backups.manage': { staff: ADMIN },
  'restore.confirm': { staff: ADMIN },
} as const satisfies Record<string, Right>;

export type Action = keyof typeof RIGHTS;

/** Actions some staff role may do / a parent may do for their family. */
export type StaffAction = { [A in Action]: (typeof RIGHTS)[A] extends { staff: readonly StaffRole[] } ? A : never }[Action];
export type ParentAction = { [A in Action]: (typeof RIGHTS)[A] extends { parent: 'own' } ? A : never }[Action];

export function roleMay(role: StaffRole, action: Action): boolean {
  const right: Right = RIGHTS[action];
  return right.staff?.includes(role) ?? false;
}

export function parentMay(action: Action): boolean {
  const right: Right = RIGHTS[action];
  return right.parent === 'own';
}
