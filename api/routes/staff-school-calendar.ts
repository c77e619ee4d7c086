import { defineRoutes, json, staff } from '../contract.js';
import {
  CALENDAR_TOO_LARGE_MESSAGE,
  MAX_CALENDAR_BYTES,
  type SchoolCalendarPreview,
  type SchoolCalendarSettingsView,
} from '../school-calendar.js';

const admin = staff('calendar.manage');
const calendarFile = { maxBytes: MAX_CALENDAR_BYTES, tooLarge: CALENDAR_TOO_LARGE_MESSAGE } as const;

/** "Calendrier scolaire officiel" (admin): the Ministry's file, as multipart, previewed then applied. */
export const staffSchoolCalendarRoutes = defineRoutes({
  'staff.schoolCalendarSettings': {
    method: 'GET',
    path: '/api/staff/school-calendar/settings',
    access: admin,
    reply: json<SchoolCalendarSettingsView>(),
  },
  'staff.previewSchoolCalendar': {
    method: 'POST',
    path: '/api/staff/school-calendar/preview',
    access: admin,
    upload: calendarFile,
    reply: json<SchoolCalendarPreview>(),
  },
  'staff.applySchoolCalendar': {
    method: 'POST',
    path: '/api/staff/school-calendar/apply',
    access: admin,
    upload: calendarFile,
    reply: json<SchoolCalendarPreview>(),
  },
});
