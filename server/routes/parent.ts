import { Router } from 'express';
import type { ServerDeps } from '../app.js';
import { requireParent } from '../session.js';

export function parentRouter(_deps: ServerDeps): Router {
  const router = Router();
  router.use(requireParent);
  return router;
}
