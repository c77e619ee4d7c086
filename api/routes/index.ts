import { authRoutes } from './auth.js';
import { parentRoutes } from './parent.js';
import { parentBatchRoutes } from './parent-batches.js';
import { parentContactRoutes } from './parent-contacts.js';
import { parentGlanceRoutes } from './parent-glance.js';
import { payfipRoutes } from './payfip.js';
import { publicRoutes } from './public.js';
import { setupRoutes } from './setup.js';
import { setupRestoreRoutes } from './setup-restore.js';
import { staffBackupRoutes } from './staff-backups.js';

/**
 * The route table: every route the server answers, by name. Each group's file lists its routes;
 * server/routes/index.ts gives each its handler. Names are unique and say what the route does.
 * tests/route-table.test.ts checks that names and method+path pairs are unique.
 */

/** What the parent portal calls (its paths are generated into api/route-paths.ts: `npm run api:paths`). */
export const portalRoutes = {
  ...authRoutes,
  ...publicRoutes,
  ...parentRoutes,
  ...parentBatchRoutes,
  ...parentContactRoutes,
  ...parentGlanceRoutes,
};

export const routes = {
  ...portalRoutes,
  ...payfipRoutes,
  ...setupRoutes,
  ...setupRestoreRoutes,
  ...staffBackupRoutes,
};

/** Every group, for the uniqueness check (a spread would silently keep the last of two equal names). */
export const routeGroups = [
  authRoutes,
  publicRoutes,
  parentRoutes,
  parentBatchRoutes,
  parentContactRoutes,
  parentGlanceRoutes,
  payfipRoutes,
  setupRoutes,
  setupRestoreRoutes,
  staffBackupRoutes,
] as const;

export type Routes = typeof routes;
export type PortalRoutes = typeof portalRoutes;
export type RouteName = keyof Routes;
