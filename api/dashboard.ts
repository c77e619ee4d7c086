import type { MethodTotals } from './staff-counter.js';

/**
 * "Tableau de bord", the console's home for the secretariat and the admin: the day at a glance,
 * each figure linking to its screen. GET /api/staff/dashboard -> DashboardView ('dashboard.read').
 */

export interface DashboardBookingCount {
  activityId: number;
  activityName: string;
  /** null: children without a school. */
  schoolId: number | null;
  schoolName: string;
  count: number;
}

export interface DashboardMealCount {
  schoolId: number | null;
  schoolName: string;
  count: number;
}

export interface DashboardBackup {
  /** ISO-8601 UTC. */
  startedAt: string;
  ok: boolean;
  error: string | null;
}

export interface DashboardView {
  /** Paris days. */
  today: string;
  tomorrow: string;
  /** Today's booked places, per activity and school. */
  bookingsToday: DashboardBookingCount[];
  bookingsTodayTotal: number;
  /** Tomorrow's meals (booked places of the meal activities), per school. */
  mealsTomorrow: DashboardMealCount[];
  mealsTomorrowTotal: number;
  /** Today's receipts at the counter (signed: a cancellation counts negative). */
  cash: { totalCents: number; count: number; byMethod: MethodTotals; closedSessions: number };
  pendingDocuments: number;
  unreadMessages: number;
  pendingChanges: number;
  /** Online payments waiting for PayFiP’s answer, and those of today that failed to be created. */
  onlinePaymentsPending: number;
  onlinePaymentsError: number;
  lastBackup: DashboardBackup | null;
  /** ISO-8601 UTC of the last successful backup. */
  lastGoodBackupAt: string | null;
  /** Family wallets with a negative balance, and under the family's alert threshold (negative ones included). */
  negativeBalances: number;
  underThreshold: number;
}
