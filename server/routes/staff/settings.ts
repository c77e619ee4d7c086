import type { staffSettingRoutes } from '../../../api/routes/staff-settings.js';
import { getCommune, saveCommune } from '../../../core/commune.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Paramètres" of the admin: the commune's identity (the other sections in ./settings-screens.ts). */
export function staffSettingHandlers(deps: ServerDeps): Handlers<typeof staffSettingRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.communeSettings': () => getCommune(deps.db),
    'staff.saveCommuneSettings': ({ me, body }) => saveCommune(ctx, me.actor, body),
  };
}
