import { Router } from 'express';
import { idParams } from '../../../api/common.js';
import { onlinePaymentsQuery, type OnlinePaymentsPage, type OnlinePaymentVerifyResult } from '../../../api/online-payments.js';
import { listOnlinePayments, verifyOnlinePayment } from '../../../core/online-payments.js';
import type { ServerDeps } from '../../deps.js';
import { coreContext, validate } from '../../http.js';
import { staffOf } from '../../session.js';
import { desk } from './guards.js';

/** "Paiements en ligne" of the régie (admin and secretariat). */
export function onlinePaymentsRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.get('/online-payments', desk, async (req, res) => {
    const q = validate(onlinePaymentsQuery, req.query);
    const body: OnlinePaymentsPage = await listOnlinePayments(ctx, staffOf(req).actor, q);
    res.json(body);
  });

  router.post('/online-payments/:id/verify', desk, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const body: OnlinePaymentVerifyResult = await verifyOnlinePayment(ctx, staffOf(req).actor, id);
    res.json(body);
  });

  return router;
}
