import { Router } from 'express';
import type { ServerStatus } from '../../../api/server-status.js';
import { restartNotice } from '../../../core/restart-notice.js';
import type { ServerDeps } from '../../deps.js';

/** Any signed-in staff member (the staff router already checked): the band after a restart. */
export function serverStatusRouter(deps: ServerDeps): Router {
  const router = Router();
  router.get('/server-status', (_req, res) => {
    const at = deps.config.restartedAt;
    const body: ServerStatus = { restartedAt: at ? at.toISOString() : null, restartNotice: at ? restartNotice(at) : null };
    res.json(body);
  });
  return router;
}
