import type { staffRentreeRoutes } from '../../../api/routes/staff-rentree.js';
import { applyPassage, listSchoolYears, previewPassage } from '../../../core/rentree.js';
import { listSchoolClasses, saveSchoolClasses } from '../../../core/school-classes.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext } from '../../http.js';
import type { Handlers } from '../../route-mount.js';

/** "Rentrée" (admin): classes per school, school years, the passage en classe supérieure. */
export function staffRentreeHandlers(deps: ServerDeps): Handlers<typeof staffRentreeRoutes> {
  const ctx = coreContext(deps);
  return {
    'staff.rentreeSchools': () => listSchoolClasses(deps.db),
    'staff.saveSchoolClasses': ({ me, params, body }) => saveSchoolClasses(ctx, me.actor, params.id, body),
    'staff.schoolYears': () => listSchoolYears(deps.db, deps.clock.now()),
    'staff.previewPassage': ({ me, body }) => previewPassage(ctx, me.actor, body),
    'staff.applyPassage': ({ me, body }) => applyPassage(ctx, me.actor, body),
  };
}
