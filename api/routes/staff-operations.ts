import { defineRoutes, file, json, staff } from '../contract.js';
import {
  attendanceExportQuery,
  attendanceQuery,
  attendanceRecordSchema,
  mealCountsExportQuery,
  mealsQuery,
  type AttendanceRecordResponse,
  type AttendanceSheetResponse,
  type MealListResponse,
  type ReferenceResponse,
} from '../staff.js';

/** What every staff member uses, the canteen included: reference data, pointage, meal lists, attendance exports. */
export const staffOperationRoutes = defineRoutes({
  'staff.reference': { method: 'GET', path: '/api/staff/reference', access: staff('console.use'), reply: json<ReferenceResponse>() },
  'staff.attendanceSheet': {
    method: 'GET',
    path: '/api/staff/attendance',
    access: staff('meals.operate'),
    query: attendanceQuery,
    reply: json<AttendanceSheetResponse>(),
  },
  'staff.recordAttendance': {
    method: 'POST',
    path: '/api/staff/attendance',
    access: staff('meals.operate'),
    body: attendanceRecordSchema,
    reply: json<AttendanceRecordResponse>(),
  },
  'staff.mealList': { method: 'GET', path: '/api/staff/meals', access: staff('meals.operate'), query: mealsQuery, reply: json<MealListResponse>() },
  /** Shown in the console's own viewer (inline, framed by the same origin only). */
  'staff.mealListPdf': { method: 'GET', path: '/api/staff/meals/pdf', access: staff('meals.operate'), query: mealsQuery, reply: file },
  'staff.attendanceXlsx': {
    method: 'GET',
    path: '/api/staff/exports/attendance.xlsx',
    access: staff('meals.operate'),
    query: attendanceExportQuery,
    reply: file,
  },
  'staff.mealCountsXlsx': {
    method: 'GET',
    path: '/api/staff/exports/meals.xlsx',
    access: staff('meals.operate'),
    query: mealCountsExportQuery,
    reply: file,
  },
});
