import { Router } from 'express';
import { communeInputSchema, type CommuneIdentity } from '../../../api/commune.js';
import { getCommune, saveCommune } from '../../../core/commune.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { adminOnly } from './guards.js';
import { settingsScreensRouter } from './settings-screens.js';

/** "Paramètres" of the admin: the commune's identity (the other sections in ./settings-screens.ts). */
export function settingsRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/settings/commune', adminOnly, async (_req, res) => {
    const body: CommuneIdentity = await getCommune(deps.db);
    res.json(body);
  });

  router.put('/settings/commune', adminOnly, async (req, res) => {
    const input = validate(communeInputSchema, req.body);
    const body: CommuneIdentity = await saveCommune(ctx, staffOf(req).actor, input);
    res.json(body);
  });

  router.use(settingsScreensRouter(deps));
  return router;
}
