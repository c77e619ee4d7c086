import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import {
  cancelSaleSchema,
  cashSessionQuery,
  dateParams,
  saleSchema,
  type CashJournalView,
  type CashTodayView,
  type FamilyPricesResponse,
  type ReceiptView,
} from '../staff-counter.js';

/** Encaissement, receipts and the day's cash journal (the régie: secretariat and admin). */
export const staffCounterRoutes = defineRoutes({
  /** Idempotent by the body's idempotencyKey: a retried sale answers the same receipt. */
  'staff.sell': { method: 'POST', path: '/api/staff/sales', access: staff('counter.sell'), body: saleSchema, reply: json<ReceiptView>(), status: 201 },
  'staff.familyPrices': { method: 'GET', path: '/api/staff/families/:id/prices', access: staff('counter.sell'), params: idParams, reply: json<FamilyPricesResponse>() },
  'staff.familyReceipts': { method: 'GET', path: '/api/staff/families/:id/receipts', access: staff('billing.read'), params: idParams, reply: json<{ receipts: ReceiptView[] }>() },
  'staff.receipt': { method: 'GET', path: '/api/staff/receipts/:id', access: staff('billing.read'), params: idParams, reply: json<ReceiptView>() },
  /** Shown in the console's own viewer (an iframe of the same origin). */
  'staff.receiptPdf': { method: 'GET', path: '/api/staff/receipts/:id/pdf', access: staff('billing.read'), params: idParams, reply: file },
  /** The reversal receipt. */
  'staff.cancelSale': { method: 'POST', path: '/api/staff/receipts/:id/cancel', access: staff('counter.sell'), params: idParams, body: cancelSaleSchema, reply: json<ReceiptView>(), status: 201 },

  'staff.cashToday': { method: 'GET', path: '/api/staff/cash/today', access: staff('counter.sell'), reply: json<CashTodayView>() },
  'staff.cashJournal': { method: 'GET', path: '/api/staff/cash/:date', access: staff('cash.close'), params: dateParams, query: cashSessionQuery, reply: json<CashJournalView>() },
  'staff.cashJournalPdf': { method: 'GET', path: '/api/staff/cash/:date/pdf', access: staff('cash.close'), params: dateParams, query: cashSessionQuery, reply: file },
  'staff.cashJournalXlsx': { method: 'GET', path: '/api/staff/cash/:date/xlsx', access: staff('cash.close'), params: dateParams, query: cashSessionQuery, reply: file },
  'staff.closeCashDay': { method: 'POST', path: '/api/staff/cash/:date/close', access: staff('cash.close'), params: dateParams, reply: json<CashJournalView>() },
});
