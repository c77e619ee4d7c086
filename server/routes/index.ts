import type { Express } from 'express';
import { routes } from '../../api/routes/index.js';
import type { ServerDeps } from '../deps.js';
import { mountRoutes, type Handlers } from '../route-mount.js';
import { authHandlers } from './auth.js';
import { parentHandlers } from './parent.js';
import { parentBatchHandlers } from './parent-batches.js';
import { parentContactHandlers } from './parent-contacts.js';
import { parentGlanceHandlers } from './parent-glance.js';
import { payfipHandlers } from './payfip.js';
import { publicHandlers } from './public.js';
import { setupHandlers } from './setup.js';
import { setupRestoreHandlers } from './setup-restore.js';
import { staffBackupHandlers } from './staff/backups.js';

/** Every route of the table with its handler: a route missing here is a type error. */
export function routeHandlers(deps: ServerDeps): Handlers<typeof routes> {
  return {
    ...authHandlers(deps),
    ...publicHandlers(deps),
    ...parentHandlers(deps),
    ...parentBatchHandlers(deps),
    ...parentContactHandlers(deps),
    ...parentGlanceHandlers(deps),
    ...payfipHandlers(deps),
    ...setupHandlers(deps),
    ...setupRestoreHandlers(deps),
    ...staffBackupHandlers(deps),
  };
}

export function mountRouteTable(app: Express, deps: ServerDeps): void {
  mountRoutes(app, routes, routeHandlers(deps));
}
