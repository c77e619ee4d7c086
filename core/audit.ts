import type { Knex } from 'knex';
import type { Actor } from './context.js';

export interface AuditEvent {
  /** What happened, dotted: 'booking.override', 'wallet.adjust', 'sale.create'… */
  action: string;
  /** The kind of row it concerns: 'booking', 'ledger_entry', 'receipt'… */
  entity: string;
  entityId?: string | number | null;
  familyId?: number | null;
  before?: unknown;
  after?: unknown;
  note?: string;
  /** A parent's change to the family file, to be seen by the secretariat. */
  needsReview?: boolean;
}

/**
 * Appends one row to audit_log: who (from the Actor), when, what, before and after.
 * Call it with the transaction of the change, so the trace exists iff the change committed.
 */
export async function audit(trx: Knex, actor: Actor, e: AuditEvent, now: Date): Promise<void> {
  await trx('audit_log').insert(auditRow(actor, e, now));
}

/** Many rows of one change (the rentrée's thousands of children), inserted in chunks. */
export async function auditMany(trx: Knex, actor: Actor, events: AuditEvent[], now: Date): Promise<void> {
  for (let i = 0; i < events.length; i += 200) await trx('audit_log').insert(events.slice(i, i + 200).map((e) => auditRow(actor, e, now)));
}

function auditRow(actor: Actor, e: AuditEvent, now: Date) {
  return {
    at: now.toISOString(),
    actor_kind: actor.kind,
    staff_user_id: actor.kind === 'staff' ? actor.staffUserId : null,
    parent_account_id: actor.kind === 'parent' ? actor.parentAccountId : null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId == null ? null : String(e.entityId),
    family_id: e.familyId ?? null,
    before_json: e.before === undefined ? null : JSON.stringify(e.before),
    after_json: e.after === undefined ? null : JSON.stringify(e.after),
    note: e.note == null ? null : e.note.slice(0, 300),
    needs_review: e.needsReview ?? false,
  };
}
