import { createApiClient, type ApiError } from '../../api/client.js';
import { createRouteClient, type RouteClient } from '../../api/route-client.js';
import { PORTAL_ROUTE_PATHS } from '../../api/route-paths.js';
import type { PortalRoutes } from '../../api/routes/index.js';
import { trackedFetch } from './network.js';

/** The portal's one API client. A 401 anywhere means the session ended: the app shows the sign-in page. */
const sessionLostListeners = new Set<(e: ApiError) => void>();

const http = createApiClient({
  fetch: trackedFetch,
  onUnauthenticated: (e) => {
    for (const l of sessionLostListeners) l(e);
  },
});

/** The portal's calls, by route name (api/routes/), typed from the route table. */
export const api: RouteClient<PortalRoutes> = createRouteClient(http, PORTAL_ROUTE_PATHS);

export function onSessionLost(listener: (e: ApiError) => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

export { ApiError } from '../../api/client.js';
