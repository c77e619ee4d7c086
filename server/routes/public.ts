import { Router } from 'express';
import type { PublicCommune } from '../../api/commune.js';
import { getCommune } from '../../core/commune.js';
import type { PublicInstall } from '../../api/setup.js';
import { getInstallState } from '../../core/install.js';
import type { ServerDeps } from '../deps.js';
import type { PublicPortalTexts } from '../../api/settings-screens.js';
import { getPortalSettings } from '../../core/settings/portal.js';

/**
 * /api/public: what any visitor may read before signing in, the commune's public identity
 * (the portal's and the console's titles, header, footer and sign-in help).
 */
export function publicRouter(deps: ServerDeps): Router {
  const router = Router();
  router.get('/commune', async (_req, res) => {
    const c = await getCommune(deps.db);
    const body: PublicCommune = { name: c.name, department: c.department, address: c.address, service: c.service, email: c.email, phone: c.phone, website: c.website };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  // The sign-in page's welcome text (Paramètres › Portail), plain text.
  router.get('/portal', async (_req, res) => {
    const body: PublicPortalTexts = { welcomeText: (await getPortalSettings(deps.db)).welcomeText };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  // The mode, for the "Démonstration" banner and the setup page; served, not bundled.
  router.get('/install', async (_req, res) => {
    const state = await getInstallState(deps.db);
    // A database from before the install record: its mode is the configuration's, set up already.
    const body: PublicInstall = state
      ? { mode: state.mode, setupRequired: state.mode === 'production' && !state.setupDone }
      : { mode: deps.config.demo ? 'demo' : 'production', setupRequired: false };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  return router;
}
