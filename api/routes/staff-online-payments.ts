import { idParams } from '../common.js';
import { defineRoutes, json, staff } from '../contract.js';
import { onlinePaymentsQuery, type OnlinePaymentsPage, type OnlinePaymentVerifyResult } from '../online-payments.js';

/** "Paiements en ligne" of the régie: the PayFiP payments and their check with the Trésor Public. */
export const staffOnlinePaymentRoutes = defineRoutes({
  'staff.onlinePayments': { method: 'GET', path: '/api/staff/online-payments', access: staff('online-payments.verify'), query: onlinePaymentsQuery, reply: json<OnlinePaymentsPage>() },
  'staff.verifyOnlinePayment': {
    method: 'POST',
    path: '/api/staff/online-payments/:id/verify',
    access: staff('online-payments.verify'),
    params: idParams,
    reply: json<OnlinePaymentVerifyResult>(),
  },
});
