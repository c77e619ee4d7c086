import type { Response } from 'express';
import type { publicRoutes } from '../../api/routes/public.js';
import { getCommune } from '../../core/commune.js';
import { getInstallState } from '../../core/install.js';
import { getPortalSettings } from '../../core/settings/portal.js';
import type { ServerDeps } from '../deps.js';
import type { Handlers } from '../route-mount.js';

/** Read again on every visit: a commune edited in Paramètres shows at once. */
const revalidate = (res: Response) => res.setHeader('Cache-Control', 'no-cache');

/**
 * /api/public: what any visitor may read before signing in, the commune's public identity
 * (the portal's and the console's titles, header, footer and sign-in help).
 */
export function publicHandlers(deps: ServerDeps): Handlers<typeof publicRoutes> {
  return {
    'public.commune': async ({ res }) => {
      const c = await getCommune(deps.db);
      revalidate(res);
      return { name: c.name, department: c.department, address: c.address, service: c.service, email: c.email, phone: c.phone, website: c.website };
    },
    // The sign-in page's welcome text (Paramètres › Portail), plain text.
    'public.portal': async ({ res }) => {
      const welcomeText = (await getPortalSettings(deps.db)).welcomeText;
      revalidate(res);
      return { welcomeText };
    },
    // The mode, for the "Démonstration" banner and the setup page; served, not bundled.
    'public.install': async ({ res }) => {
      const state = await getInstallState(deps.db);
      revalidate(res);
      // A database from before the install record: its mode is the configuration's, set up already.
      return state
        ? { mode: state.mode, setupRequired: state.mode === 'production' && !state.setupDone }
        : { mode: deps.config.demo ? 'demo' : 'production', setupRequired: false };
    },
  };
}
