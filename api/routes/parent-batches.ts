import { defineRoutes, json, parent } from '../contract.js';
import { batchPreviewSchema, type BatchPreviewResponse } from '../parent.js';

/** What a batch would book, cancel, cost and refuse, per wallet, before "Confirmer". Writes nothing. */
export const parentBatchRoutes = defineRoutes({
  'parent.batchPreview': { method: 'POST', path: '/api/parent/planning/preview', access: parent('bookings.change'), body: batchPreviewSchema, reply: json<BatchPreviewResponse>() },
});
