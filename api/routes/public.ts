import type { PublicCommune } from '../commune-identity.js';
import { defineRoutes, json, publicRoute } from '../contract.js';
import type { PublicPortalTexts } from '../settings-screens.js';
import type { PublicInstall } from '../setup.js';

/** What any visitor may read before signing in (/api/public). */
export const publicRoutes = defineRoutes({
  /** The commune's public identity: titles, header, footer and sign-in help of both clients. */
  'public.commune': { method: 'GET', path: '/api/public/commune', access: publicRoute, reply: json<PublicCommune>() },
  /** The sign-in page's welcome text (Paramètres › Portail). */
  'public.portal': { method: 'GET', path: '/api/public/portal', access: publicRoute, reply: json<PublicPortalTexts>() },
  /** The mode, for the "Démonstration" banner and the setup page. */
  'public.install': { method: 'GET', path: '/api/public/install', access: publicRoute, reply: json<PublicInstall>() },
});
