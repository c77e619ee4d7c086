import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import {
  balancesQuery,
  reminderLettersParams,
  sendRemindersBody,
  type BalancesPage,
  type FamilyRemindersView,
  type ReminderResult,
} from '../balances.js';

/** "Soldes et relances": families by balance, reminders by mail or letter, kept on the family's file. */
export const staffBalanceRoutes = defineRoutes({
  'staff.balances': { method: 'GET', path: '/api/staff/balances', access: staff('balances.remind'), query: balancesQuery, reply: json<BalancesPage>() },
  /** Idempotent by the body's idempotencyKey: a second call with the same key sends nothing and answers the first result. */
  'staff.sendReminders': {
    method: 'POST',
    path: '/api/staff/balances/reminders',
    access: staff('balances.remind'),
    body: sendRemindersBody,
    reply: json<ReminderResult>(),
    status: 201,
  },
  /** The batch's letters (families without an e-mail address), one page per family. */
  'staff.reminderLetters': {
    method: 'GET',
    path: '/api/staff/balances/reminders/:batchKey/letters',
    access: staff('balances.remind'),
    params: reminderLettersParams,
    reply: file,
  },
  'staff.familyReminders': {
    method: 'GET',
    path: '/api/staff/families/:id/reminders',
    access: staff('balances.remind'),
    params: idParams,
    reply: json<FamilyRemindersView>(),
  },
});
