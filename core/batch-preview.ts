import type { BatchPreviewResponse, BookingAction } from '../api/parent.js';
import { planBatch } from './batch-plan.js';
import { previewOf } from './batch-summary.js';
import { prepareChanges, prepareDayBatch, prepareTemplateWeek, prepareWholeWeek, type BookingChange, type PreparedBatch, type TemplatePattern } from './bookings.js';
import type { Actor, CoreContext } from './context.js';
import { prepareSubscription } from './subscriptions.js';

/**
 * "Cost before commitment": what a batch would do, said before it is done. The batch is
 * prepared and planned exactly as the batch routes do it, in a transaction that writes
 * nothing, so the totals shown are those the batch then books (if the balances stay as they are).
 */

export type BatchRequest =
  | { kind: 'changes'; changes: BookingChange[] }
  | { kind: 'week'; childId: number; activityId: number; weekStart: string; action: BookingAction }
  | { kind: 'day'; childId: number; date: string; action: BookingAction }
  | { kind: 'template'; childId: number; from: string; to: string; pattern: TemplatePattern[] }
  | { kind: 'subscription'; childId: number; activityId: number; weekdays: number[]; from: string; to: string };

function prepare(actor: Actor, familyId: number, request: BatchRequest, now: Date): PreparedBatch {
  switch (request.kind) {
    case 'changes':
      return prepareChanges(actor, { familyId, changes: request.changes });
    case 'week':
      return prepareWholeWeek(actor, { familyId, ...request });
    case 'day':
      return prepareDayBatch(actor, { familyId, ...request });
    case 'template':
      return prepareTemplateWeek(actor, { familyId, ...request });
    case 'subscription':
      return prepareSubscription(actor, { familyId, ...request }, now);
  }
}

export async function previewBatch(ctx: CoreContext, actor: Actor, familyId: number, request: BatchRequest): Promise<BatchPreviewResponse> {
  const now = ctx.clock.now();
  const batch = prepare(actor, familyId, request, now);
  return ctx.db.transaction(async (trx) => {
    const changes = await batch.cells(trx, now);
    const preview = previewOf(request.kind, await planBatch(trx, familyId, changes, now, batch.options));
    return batch.notice ? { ...preview, notice: batch.notice } : preview;
  });
}
