import { Router } from 'express';
import {
  batchPreviewKindSchema,
  bookDaySchema,
  bookingChangesSchema,
  bookWeekSchema,
  subscriptionInputSchema,
  templateWeekSchema,
  type BatchKind,
  type BatchPreviewResponse,
} from '../../api/parent.js';
import { previewBatch, type BatchRequest } from '../../core/batch-preview.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, validate } from '../http.js';
import { parentOf } from '../session.js';

/** The body each kind of batch takes: the same schema as its own route. */
const BODY_SCHEMAS = {
  changes: bookingChangesSchema,
  week: bookWeekSchema,
  day: bookDaySchema,
  template: templateWeekSchema,
  subscription: subscriptionInputSchema,
} as const;

function batchRequest(kind: BatchKind, body: unknown): BatchRequest {
  // Each branch validates with its own schema, so the union stays exact.
  switch (kind) {
    case 'changes':
      return { kind, ...validate(BODY_SCHEMAS.changes, body) };
    case 'week':
      return { kind, ...validate(BODY_SCHEMAS.week, body) };
    case 'day':
      return { kind, ...validate(BODY_SCHEMAS.day, body) };
    case 'template':
      return { kind, ...validate(BODY_SCHEMAS.template, body) };
    case 'subscription':
      return { kind, ...validate(BODY_SCHEMAS.subscription, body) };
  }
}

/**
 * POST /api/parent/planning/preview: what a batch would book, cancel, cost and refuse, per
 * wallet, and its payable part when credit is lacking. Writes nothing. Mounted by the parent
 * router, behind its requireParent; the family comes from the session.
 */
export function parentBatchesRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.post('/planning/preview', async (req, res) => {
    const { kind } = validate(batchPreviewKindSchema, req.body);
    const me = parentOf(req);
    const preview: BatchPreviewResponse = await previewBatch(ctx, me.actor, me.familyId, batchRequest(kind, req.body));
    res.json(preview);
  });
  return router;
}
