import type { parentBatchRoutes } from '../../api/routes/parent-batches.js';
import { previewBatch } from '../../core/batch-preview.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';

/**
 * POST /api/parent/planning/preview: what a batch would book, cancel, cost and refuse, per
 * wallet, and its payable part when credit is lacking. Writes nothing; the family comes from
 * the session, the body is the kind and that kind's own route's body.
 */
export function parentBatchHandlers(deps: ServerDeps): Handlers<typeof parentBatchRoutes> {
  const ctx = coreContext(deps);
  return {
    'parent.batchPreview': ({ me, body }) => previewBatch(ctx, me.actor, me.familyId, body),
  };
}
