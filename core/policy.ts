import { parentMay, RIGHTS, roleMay, type Action, type Right } from '../api/rights.js';
import type { Actor } from './context.js';
import { DomainError, notFound } from './errors.js';

/**
 * The one authorisation policy. Rights are data (api/rights.ts); this reads them for an actor and,
 * when the action is about a family, that family. The route table checks the role before a handler
 * runs; core functions call `authorize` again with the resource, so a core function called from a
 * script or another route is just as safe (defence in depth).
 */

export interface Resource {
  /** The family the action reads or changes, when it is about one. */
  familyId?: number;
  /** What a parent of another family is told is not found ("Document" -> "Document introuvable."). */
  what?: string;
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
  if (actor.kind === 'parent' && parentMay(action)) throw notFound(resource.what ?? 'Dossier');
  throw new DomainError('FORBIDDEN', refusalMessage(action));
}

/** `authorize` for actions only staff do; gives back the staff actor, whose name the journal records. */
export function authorizeStaff(actor: Actor, action: Action, resource: Resource = {}): StaffActor {
  authorize(actor, action, resource);
  if (actor.kind !== 'staff') throw new DomainError('FORBIDDEN', refusalMessage(action));
  return actor;
}

/** `authorize` for a parent's own family: gives back the parent actor. */
export function authorizeParent(actor: Actor, action: Action, resource: Resource = {}): ParentActor {
  authorize(actor, action, resource);
  if (actor.kind !== 'parent') throw new DomainError('FORBIDDEN', 'Accès refusé.');
  return actor;
}

/** What a refusal says: who the action is reserved to, in the words the desk and the parents know. */
export function refusalMessage(action: Action): string {
  const special = FORBIDDEN_MESSAGES[action];
  if (special) return special;
  const staff = (RIGHTS[action] as Right).staff ?? [];
  if (staff.length === 1 && staff[0] === 'admin') return 'Action réservée à l’administrateur.';
  if (staff.length > 0 && !staff.includes('restauration')) return 'Action réservée au secrétariat.';
  return 'Accès refusé.';
}

/** Refusals worded for their action; the others say whom the action is reserved to. */
const FORBIDDEN_MESSAGES: Partial<Record<Action, string>> = {
  'console.use': 'Accès réservé au personnel de la mairie.',
  'meals.operate': 'Accès réservé au personnel de la mairie.',
  'family.read': 'Le dossier des familles est géré par le secrétariat.',
  'family.edit': 'Le dossier des familles est géré par le secrétariat.',
  'family.create': 'Le dossier des familles est géré par le secrétariat.',
  'bookings.change': 'Les réservations sont gérées par le secrétariat.',
  'messages.write': 'Les messages des familles sont traités par le secrétariat.',
  'journal.read': 'Le journal est réservé au secrétariat.',
  'payments.online': 'Le paiement en ligne est réservé aux familles.',
  'online-payments.verify': 'Les paiements en ligne sont réservés à la régie (secrétariat, administration).',
};
