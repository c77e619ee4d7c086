import type { Knex } from 'knex';
import type { StaffRole } from '../api/rules.js';
import type { Clock } from './clock.js';
import type { Ports } from './ports.js';

/**
 * What every domain function receives: the database handle (or a transaction), the clock, and
 * the ports to the outside (PayFiP, SMTP, the document store) for the few functions that need them.
 */
export interface CoreContext {
  db: Knex;
  clock: Clock;
  ports?: Ports;
}

/** The context's ports; a context built without them cannot pay, mail or file a document. */
export function portsOf(ctx: CoreContext): Ports {
  if (!ctx.ports) throw new Error('Contexte sans adaptateurs (ctx.ports) : PayFiP, messagerie et documents sont indisponibles.');
  return ctx.ports;
}

export type { StaffRole };

/** Who is acting. Domain functions check permissions against it and write it to the audit log. */
export type Actor =
  | { kind: 'parent'; parentAccountId: number; familyId: number }
  | { kind: 'staff'; staffUserId: number; role: StaffRole; name: string }
  | { kind: 'system' };
