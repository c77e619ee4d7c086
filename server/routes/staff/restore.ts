import { Router } from 'express';
import { confirmNumberingInput, type RestorePendingView } from '../../../api/restore.js';
import { confirmRestoreNumbering, getRestorePending } from '../../../core/restore/numbering.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly, anyStaff } from './guards.js';

/**
 * Paramètres → Restauration: the numbering confirmation after a restore (admin only; core checks
 * again). `/restore/status` tells every staff screen whether to show the band "Restauration à confirmer".
 */
export function restoreRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  router.get('/restore/status', anyStaff, async (_req, res) => {
    res.json({ pending: (await getRestorePending(deps.db)).pending });
  });
  router.get('/settings/restore', adminOnly, async (_req, res) => {
    const body: RestorePendingView = await getRestorePending(deps.db);
    res.json(body);
  });
  router.post('/settings/restore/numbering', adminOnly, async (req, res) => {
    const done = await confirmRestoreNumbering(ctx, staffOf(req).actor, validate(confirmNumberingInput, req.body));
    res.json({ note: done.note });
  });
  return router;
}
