import { parentMay, roleMay, type Action } from '../api/rights.js';
import type { Actor } from './context.js';
import { DomainError } from './errors.js';

/**
 * The one authorisation policy. Rights are data (api/rights.ts); this reads them for an actor and,
 * when the action is about a family, that family. The route table checks the role before a handler
 * runs; core functions call `authorize` again with the resource, so a core function called from a
 * script or another route is just as safe (defence in depth).
 */

export interface Resource {
  /** The family the action reads or changes, when it is about one. */
  familyId?: number;
}

type StaffActor = Extract<Actor, { kind: 'staff' }>;
type ParentActor = Extract<Actor, { kind: 'parent' }>;

/** May this actor do this action (on this family, when given)? The system actor may do anything. */
export function can(actor: Actor, action: Action, resource: Resource = {}): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'staff':
      return roleMay(actor.role, action);
    case 'parent':
      return parentMay(action) && (resource.familyId === undefined || resource.familyId === actor.familyId);
  }
}

/**
 * Throws unless `can`. A parent reaching another family gets NOT_FOUND, not FORBIDDEN, so that
 * ids of other families cannot be probed.
 */
export function authorize(actor: Actor, action: Action, resource: Resource = {}): void {
  if (can(actor, action, resource)) return;
  if (actor.kind === 'parent' && parentMay(action)) throw new DomainError('NOT_FOUND', 'Introuvable.');
  throw new DomainError('FORBIDDEN', FORBIDDEN_MESSAGES[action] ?? 'Accès refusé.');
}

/** `authorize` for actions only staff do; gives back the staff actor, whose name the journal records. */
export function authorizeStaff(actor: Actor, action: Action, resource: Resource = {}): StaffActor {
  authorize(actor, action, resource);
  if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', FORBIDDEN_MESSAGES[action] ?? 'Accès refusé.');
  return actor;
}

/** `authorize` for a parent's own family: gives back the parent actor. */
export function authorizeParent(actor: Actor, action: Action, resource: Resource = {}): ParentActor {
  authorize(actor, action, resource);
  if (actor.kind !== 'parent') throw new DomainError('FORBIDDEN', 'Accès refusé.');
  return actor;
}

/** Refusals that say what is reserved to whom (the others get "Accès refusé."). */
const FORBIDDEN_MESSAGES: Partial<Record<Action, string>> = {
  'settings.manage': 'Action réservée à l’administrateur.',
  'activities.manage': 'Action réservée à l’administrateur.',
  'calendar.manage': 'Action réservée à l’administrateur.',
  'staff-accounts.manage': 'Action réservée à l’administrateur.',
  'rentree.manage': 'Action réservée à l’administrateur.',
  'backups.manage': 'Action réservée à l’administrateur.',
  'restore.confirm': 'Action réservée à l’administrateur.',
  'gdpr.anonymise': 'Action réservée à l’administrateur.',
};
