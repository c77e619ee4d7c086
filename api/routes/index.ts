import { authRoutes } from './auth.js';
import { parentRoutes } from './parent.js';
import { parentBatchRoutes } from './parent-batches.js';
import { parentCertificateRoutes } from './parent-certificates.js';
import { parentContactRoutes } from './parent-contacts.js';
import { parentGlanceRoutes } from './parent-glance.js';
import { payfipRoutes } from './payfip.js';
import { publicRoutes } from './public.js';
import { setupRoutes } from './setup.js';
import { setupRestoreRoutes } from './setup-restore.js';
import { staffBackupRoutes } from './staff-backups.js';
import { staffChequeRoutes } from './staff-cheques.js';
import { staffCertificateRoutes } from './staff-certificates.js';
import { staffCafRoutes } from './staff-caf.js';
import { staffCatererRoutes } from './staff-caterer.js';
import { staffCounterRoutes } from './staff-counter.js';
import { staffDashboardRoutes } from './staff-dashboard.js';
import { staffBalanceRoutes } from './staff-balances.js';
import { staffFamilyRoutes } from './staff-families.js';
import { staffGdprRoutes } from './staff-gdpr.js';
import { staffOfficeRoutes } from './staff-office.js';
import { staffOnlinePaymentRoutes } from './staff-online-payments.js';
import { staffBookingHorizonRoutes } from './staff-booking-horizon.js';
import { staffImportRoutes } from './staff-import.js';
import { staffOperationRoutes } from './staff-operations.js';
import { staffRentreeRoutes } from './staff-rentree.js';
import { staffSchoolCalendarRoutes } from './staff-school-calendar.js';
import { staffSettingScreenRoutes } from './staff-settings-screens.js';
import { staffSettingRoutes } from './staff-settings.js';
import { staffVersementRoutes } from './staff-versement.js';

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
  ...parentCertificateRoutes,
};

export const routes = {
  ...portalRoutes,
  ...payfipRoutes,
  ...setupRoutes,
  ...setupRestoreRoutes,
  ...staffBackupRoutes,
  // The legacy staff router's order (operations, office, counter, online payments, families, GDPR,
  // settings…): the mount order is the route walk's (tests/api/route-walk.test.ts), whose password
  // resets close sessions.
  ...staffOperationRoutes,
  ...staffOfficeRoutes,
  ...staffCounterRoutes,
  ...staffOnlinePaymentRoutes,
  ...staffFamilyRoutes,
  ...staffGdprRoutes,
  ...staffSettingRoutes,
  ...staffSettingScreenRoutes,
  ...staffBookingHorizonRoutes,
  ...staffImportRoutes,
  ...staffRentreeRoutes,
  ...staffSchoolCalendarRoutes,
  ...staffDashboardRoutes,
  ...staffBalanceRoutes,
  ...staffChequeRoutes,
  ...staffVersementRoutes,
  ...staffCertificateRoutes,
  ...staffCafRoutes,
  ...staffCatererRoutes,
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
  staffOperationRoutes,
  staffOfficeRoutes,
  staffCounterRoutes,
  staffOnlinePaymentRoutes,
  staffFamilyRoutes,
  staffGdprRoutes,
  staffSettingRoutes,
  staffSettingScreenRoutes,
  staffBookingHorizonRoutes,
  staffImportRoutes,
  staffRentreeRoutes,
  staffSchoolCalendarRoutes,
  staffDashboardRoutes,
  staffBalanceRoutes,
  staffChequeRoutes,
  staffVersementRoutes,
  parentCertificateRoutes,
  staffCertificateRoutes,
  staffCafRoutes,
  staffCatererRoutes,
] as const;

export type Routes = typeof routes;
export type PortalRoutes = typeof portalRoutes;
export type RouteName = keyof Routes;
