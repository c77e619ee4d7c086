import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import type { MessageView } from '../parent.js';
import {
  activityCreateSchema,
  activityInputSchema,
  auditQuery,
  calendarQuery,
  closureInputSchema,
  inboxQuery,
  infoPageSchema,
  slugParams,
  staffNewThreadSchema,
  staffReplySchema,
  staffUserCreateSchema,
  staffUserUpdateSchema,
  threadStatusSchema,
  type ActivityAdminView,
  type AuditResponse,
  type CalendarResponse,
  type ClosureImpactView,
  type ClosureSavedView,
  type InboxResponse,
  type OverviewResponse,
  type StaffCredentials,
  type StaffInfoPage,
  type StaffThreadDetail,
  type StaffUserView,
} from '../staff.js';

/**
 * The secretariat's office: what waits for the desk, messages, information pages and the journal;
 * activities, the calendar's closures and staff accounts (read by the desk, edited by the admin).
 */

const T = '/api/staff/messages/:id';

export const staffOfficeRoutes = defineRoutes({
  /** The menu's counters: documents to review, parents' changes, unread messages. */
  'staff.overview': { method: 'GET', path: '/api/staff/overview', access: staff('overview.read'), reply: json<OverviewResponse>() },

  'staff.inbox': { method: 'GET', path: '/api/staff/messages', access: staff('messages.write'), query: inboxQuery, reply: json<InboxResponse>() },
  'staff.startThread': { method: 'POST', path: '/api/staff/messages', access: staff('messages.write'), body: staffNewThreadSchema, reply: json<StaffThreadDetail>(), status: 201 },
  'staff.thread': { method: 'GET', path: T, access: staff('messages.write'), params: idParams, reply: json<StaffThreadDetail>() },
  /** Opening a thread in the console marks it read by this POST: a GET changes nothing. */
  'staff.markThreadRead': { method: 'POST', path: `${T}/read`, access: staff('messages.write'), params: idParams, reply: json<{ marked: number; unread: number }>() },
  'staff.replyToThread': { method: 'POST', path: `${T}/reply`, access: staff('messages.write'), params: idParams, body: staffReplySchema, reply: json<MessageView>(), status: 201 },
  'staff.setThreadStatus': { method: 'POST', path: `${T}/status`, access: staff('messages.write'), params: idParams, body: threadStatusSchema, reply: json<{ ok: true }>() },

  'staff.infoPages': { method: 'GET', path: '/api/staff/info-pages', access: staff('info-pages.edit'), reply: json<{ pages: StaffInfoPage[] }>() },
  'staff.saveInfoPage': { method: 'PUT', path: '/api/staff/info-pages/:slug', access: staff('info-pages.edit'), params: slugParams, body: infoPageSchema, reply: json<StaffInfoPage>() },

  'staff.journal': { method: 'GET', path: '/api/staff/audit', access: staff('journal.read'), query: auditQuery, reply: json<AuditResponse>() },
  /** The same filters, every matching row (up to 20 000), as a workbook. */
  'staff.journalXlsx': { method: 'GET', path: '/api/staff/audit.xlsx', access: staff('journal.read'), query: auditQuery, reply: file },

  'staff.activities': { method: 'GET', path: '/api/staff/activities', access: staff('service.read'), reply: json<{ activities: ActivityAdminView[] }>() },
  'staff.createActivity': { method: 'POST', path: '/api/staff/activities', access: staff('activities.manage'), body: activityCreateSchema, reply: json<ActivityAdminView>(), status: 201 },
  'staff.updateActivity': { method: 'PUT', path: '/api/staff/activities/:id', access: staff('activities.manage'), params: idParams, body: activityInputSchema, reply: json<ActivityAdminView>() },

  'staff.calendar': { method: 'GET', path: '/api/staff/calendar', access: staff('service.read'), query: calendarQuery, reply: json<CalendarResponse>() },
  /** What saving the closure would cancel and refund; the save does exactly that. */
  'staff.previewClosure': { method: 'POST', path: '/api/staff/closures/preview', access: staff('calendar.manage'), body: closureInputSchema, reply: json<ClosureImpactView>() },
  'staff.addClosure': { method: 'POST', path: '/api/staff/closures', access: staff('calendar.manage'), body: closureInputSchema, reply: json<ClosureSavedView>(), status: 201 },
  'staff.updateClosure': { method: 'PUT', path: '/api/staff/closures/:id', access: staff('calendar.manage'), params: idParams, body: closureInputSchema, reply: json<ClosureSavedView>() },
  'staff.deleteClosure': { method: 'DELETE', path: '/api/staff/closures/:id', access: staff('calendar.manage'), params: idParams, reply: json<{ ok: true }>() },

  'staff.staffUsers': { method: 'GET', path: '/api/staff/staff-users', access: staff('staff-accounts.manage'), reply: json<{ users: StaffUserView[] }>() },
  /** The temporary password is shown once. */
  'staff.createStaffUser': { method: 'POST', path: '/api/staff/staff-users', access: staff('staff-accounts.manage'), body: staffUserCreateSchema, reply: json<StaffCredentials>(), status: 201 },
  'staff.updateStaffUser': { method: 'PUT', path: '/api/staff/staff-users/:id', access: staff('staff-accounts.manage'), params: idParams, body: staffUserUpdateSchema, reply: json<StaffUserView>() },
  'staff.resetStaffPassword': { method: 'POST', path: '/api/staff/staff-users/:id/reset-password', access: staff('staff-accounts.manage'), params: idParams, reply: json<StaffCredentials>() },
});
