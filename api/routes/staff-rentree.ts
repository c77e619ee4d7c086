import { defineRoutes, json, staff } from '../contract.js';
import { passageRequestSchema, schoolClassesInputSchema, schoolParams, type PassagePreview, type SchoolClassesView, type SchoolYearsView } from '../rentree.js';

const admin = staff('rentree.manage');

/** "Rentrée" (admin): classes per school, school years, the passage en classe supérieure. */
export const staffRentreeRoutes = defineRoutes({
  'staff.rentreeSchools': { method: 'GET', path: '/api/staff/rentree/schools', access: admin, reply: json<SchoolClassesView[]>() },
  'staff.saveSchoolClasses': {
    method: 'PUT',
    path: '/api/staff/rentree/schools/:id/classes',
    access: admin,
    params: schoolParams,
    body: schoolClassesInputSchema,
    reply: json<SchoolClassesView>(),
  },
  'staff.schoolYears': { method: 'GET', path: '/api/staff/rentree/years', access: admin, reply: json<SchoolYearsView>() },
  'staff.previewPassage': { method: 'POST', path: '/api/staff/rentree/passage/preview', access: admin, body: passageRequestSchema, reply: json<PassagePreview>() },
  'staff.applyPassage': { method: 'POST', path: '/api/staff/rentree/passage/apply', access: admin, body: passageRequestSchema, reply: json<PassagePreview>() },
});
