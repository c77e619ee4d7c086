import { chequeDepositSchema, chequeRejectionSchema, type ChequeDepositView, type ChequeRejectionResult, type ChequesPageView } from '../cheques.js';
import { idParams } from '../common.js';
import { defineRoutes, file, json, staff } from '../contract.js';

/** "Remise de chèques" of the régie: cheques to deposit, the deposit slips and their PDF, a rejected cheque. */
export const staffChequeRoutes = defineRoutes({
  'staff.cheques': { method: 'GET', path: '/api/staff/cheques', access: staff('regie.manage'), reply: json<ChequesPageView>() },
  'staff.createChequeDeposit': { method: 'POST', path: '/api/staff/cheque-deposits', access: staff('regie.manage'), body: chequeDepositSchema, reply: json<ChequeDepositView>(), status: 201 },
  'staff.chequeDeposit': { method: 'GET', path: '/api/staff/cheque-deposits/:id', access: staff('regie.manage'), params: idParams, reply: json<ChequeDepositView>() },
  /** Shown in the console's own viewer (an iframe of the same origin). */
  'staff.chequeDepositPdf': { method: 'GET', path: '/api/staff/cheque-deposits/:id/pdf', access: staff('regie.manage'), params: idParams, reply: file },
  /** The receipt's id: the cheque of that sale came back unpaid. */
  'staff.rejectCheque': { method: 'POST', path: '/api/staff/cheques/:id/reject', access: staff('regie.manage'), params: idParams, body: chequeRejectionSchema, reply: json<ChequeRejectionResult>(), status: 201 },
});
