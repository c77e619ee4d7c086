import type { Express } from 'express';
import { routes } from '../../api/routes/index.js';
import type { ServerDeps } from '../deps.js';
import { mountRoutes, type Handlers } from '../route-mount.js';
import { authHandlers } from './auth.js';
import { parentHandlers } from './parent.js';
import { parentBatchHandlers } from './parent-batches.js';
import { parentCertificateHandlers } from './parent-certificates.js';
import { parentContactHandlers } from './parent-contacts.js';
import { parentGlanceHandlers } from './parent-glance.js';
import { payfipHandlers } from './payfip.js';
import { publicHandlers } from './public.js';
import { setupHandlers } from './setup.js';
import { setupRestoreHandlers } from './setup-restore.js';
import { staffBackupHandlers } from './staff/backups.js';
import { staffChequeHandlers } from './staff/cheques.js';
import { staffCertificateHandlers } from './staff/certificates.js';
import { staffCafHandlers } from './staff/caf.js';
import { staffCatererHandlers } from './staff/caterer.js';
import { staffCounterHandlers } from './staff/counter.js';
import { staffDashboardHandlers } from './staff/dashboard.js';
import { staffBalanceHandlers } from './staff/balances.js';
import { staffFamilyHandlers } from './staff/families.js';
import { staffGdprHandlers } from './staff/gdpr.js';
import { staffOfficeHandlers } from './staff/office.js';
import { staffOnlinePaymentHandlers } from './staff/online-payments.js';
import { staffBookingHorizonHandlers } from './staff/booking-horizon.js';
import { staffImportHandlers } from './staff/import.js';
import { staffOperationHandlers } from './staff/operations.js';
import { staffRentreeHandlers } from './staff/rentree.js';
import { staffSchoolCalendarHandlers } from './staff/school-calendar.js';
import { staffSettingScreenHandlers } from './staff/settings-screens.js';
import { staffSettingHandlers } from './staff/settings.js';
import { staffVersementHandlers } from './staff/versement.js';

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
    ...staffFamilyHandlers(deps),
    ...staffCounterHandlers(deps),
    ...staffGdprHandlers(deps),
    ...staffOnlinePaymentHandlers(deps),
    ...staffOfficeHandlers(deps),
    ...staffOperationHandlers(deps),
    ...staffSettingHandlers(deps),
    ...staffSettingScreenHandlers(deps),
    ...staffBookingHorizonHandlers(deps),
    ...staffImportHandlers(deps),
    ...staffRentreeHandlers(deps),
    ...staffSchoolCalendarHandlers(deps),
    ...staffDashboardHandlers(deps),
    ...staffBalanceHandlers(deps),
    ...staffChequeHandlers(deps),
    ...staffVersementHandlers(deps),
    ...parentCertificateHandlers(deps),
    ...staffCertificateHandlers(deps),
    ...staffCafHandlers(deps),
    ...staffCatererHandlers(deps),
  };
}

export function mountRouteTable(app: Express, deps: ServerDeps): void {
  mountRoutes(app, routes, routeHandlers(deps));
}
