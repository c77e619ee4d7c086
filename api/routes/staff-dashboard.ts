import { defineRoutes, json, staff } from '../contract.js';
import type { DashboardView } from '../dashboard.js';

/** "Tableau de bord", the console's home for the desk (secretariat and admin). */
export const staffDashboardRoutes = defineRoutes({
  'staff.dashboard': { method: 'GET', path: '/api/staff/dashboard', access: staff('dashboard.read'), reply: json<DashboardView>() },
});
