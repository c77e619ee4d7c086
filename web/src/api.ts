import { createApiClient, type ApiError } from '../../api/client.js';
import { trackedFetch } from './network.js';

/** The portal's one API client. A 401 anywhere means the session ended: the app shows the sign-in page. */
const sessionLostListeners = new Set<(e: ApiError) => void>();

export const api = createApiClient({
  fetch: trackedFetch,
  onUnauthenticated: (e) => {
    for (const l of sessionLostListeners) l(e);
  },
});

export function onSessionLost(listener: (e: ApiError) => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

export { ApiError } from '../../api/client.js';
