import { cafQuery, type CafReport } from '../caf.js';
import { defineRoutes, file, json, staff } from '../contract.js';

/** "Statistiques CAF" of the régie: hours of attendance by activity, age band and QF band. */
export const staffCafRoutes = defineRoutes({
  'staff.cafReport': { method: 'GET', path: '/api/staff/caf', access: staff('caf.report'), query: cafQuery, reply: json<CafReport>() },
  'staff.cafXlsx': { method: 'GET', path: '/api/staff/caf/statistiques-caf.xlsx', access: staff('caf.report'), query: cafQuery, reply: file },
});
