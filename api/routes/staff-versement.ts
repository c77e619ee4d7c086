import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';
import { dateParams } from '../staff-counter.js';
import {
  cashCountQuery,
  cashCountSchema,
  versementPeriodQuery,
  versementPeriodSchema,
  type CashCountState,
  type CashCountView,
  type VersementList,
  type VersementPreview,
  type VersementView,
} from '../versement.js';

/** The régisseur's documents, part 2: the cash count at closure and the état de versement. */
export const staffVersementRoutes = defineRoutes({
  /** A session's count, and the cash its closure expects. */
  'staff.cashCount': { method: 'GET', path: '/api/staff/cash/:date/count', access: staff('cash.close'), params: dateParams, query: cashCountQuery, reply: json<CashCountState>() },
  'staff.recordCashCount': { method: 'POST', path: '/api/staff/cash/:date/count', access: staff('cash.close'), params: dateParams, body: cashCountSchema, reply: json<CashCountView>(), status: 201 },

  /** The états, newest first, and the days whose cash is not closed. */
  'staff.versements': { method: 'GET', path: '/api/staff/versements', access: staff('regie.manage'), reply: json<VersementList>() },
  'staff.versementPreview': { method: 'GET', path: '/api/staff/versements/preview', access: staff('regie.manage'), query: versementPeriodQuery, reply: json<VersementPreview>() },
  'staff.establishVersement': { method: 'POST', path: '/api/staff/versements', access: staff('regie.manage'), body: versementPeriodSchema, reply: json<VersementView>(), status: 201 },
  'staff.versement': { method: 'GET', path: '/api/staff/versements/:id', access: staff('regie.manage'), params: idParams, reply: json<VersementView>() },
  'staff.versementPdf': { method: 'GET', path: '/api/staff/versements/:id/pdf', access: staff('regie.manage'), params: idParams, reply: file },
  'staff.versementXlsx': { method: 'GET', path: '/api/staff/versements/:id/xlsx', access: staff('regie.manage'), params: idParams, reply: file },
  'staff.markVersementSent': { method: 'POST', path: '/api/staff/versements/:id/sent', access: staff('regie.manage'), params: idParams, reply: json<VersementView>() },
});
