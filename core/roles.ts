import type { Actor } from './context.js';
import { DomainError } from './errors.js';

/** The admin's own actions (service settings, the commune's identity): a leaf, importable from anywhere in core. */
export function requireAdmin(actor: Actor): Extract<Actor, { kind: 'staff' }> {
  if (actor.kind !== 'staff' || actor.role !== 'admin') throw new DomainError('FORBIDDEN', 'Action réservée à l’administrateur.');
  return actor;
}
