import type { Response } from 'express';
import { returnUrlFor } from '../../api/payment-parts.js';
import type { payfipRoutes } from '../../api/routes/payfip.js';
import { settlePayment, type SettleResult } from '../../core/payments.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';

/** How long a PayFiP call may hold the notifier's request before we answer anyway (the checker finishes later). */
const NOTIFY_ANSWER_WITHIN_MS = 3_000;
const RETURN_ANSWER_WITHIN_MS = 10_000;

/** Only `idop` is read from what PayFiP (or anyone) posts; everything else comes from PayFiP's own answer. */
function idopOf(sent: { body?: { idop?: string }; query: { idop?: string } }): string {
  return (sent.body?.idop ?? sent.query.idop ?? '').trim().slice(0, 100);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * PayFiP's two calls back: urlnotif (server to server) and urlredirect (the parent's browser).
 * Both only trigger settlePayment, which asks PayFiP for the result; neither needs a session.
 */
export function payfipHandlers(deps: ServerDeps): Handlers<typeof payfipRoutes> {
  const ctx = coreContext(deps);
  // Notifications for one idOp arriving together share one settlement (the database would
  // credit once anyway; this saves PayFiP the duplicate questions).
  const inFlight = new Map<string, Promise<SettleResult>>();

  function settle(idOp: string): Promise<SettleResult> {
    const running = inFlight.get(idOp);
    if (running) return running;
    const p = settlePayment(ctx, idOp).finally(() => inFlight.delete(idOp));
    inFlight.set(idOp, p);
    return p;
  }

  const back = async (idOp: string, res: Response) => {
    let payment: { id: number; return_path: string | null } | undefined;
    if (idOp) {
      await within(
        settle(idOp).catch((err: unknown) => {
          console.error('PayFiP : retour non traité', idOp, err);
          return null;
        }),
        RETURN_ANSWER_WITHIN_MS,
      );
      payment = await deps.db('online_payments').where('id_op', idOp).first('id', 'return_path');
    }
    res.setHeader('Cache-Control', 'no-store');
    // Back where the parent started (a local portal path, checked again), with the payment's id.
    res.redirect(303, payment ? returnUrlFor(payment.return_path, payment.id) : '/factures');
  };

  return {
    'payfip.notification': async (sent) => {
      const idOp = idopOf(sent);
      if (!idOp) {
        sent.res.status(400).type('text/plain').send('idop manquant');
        return;
      }
      const settling = settle(idOp).catch((err: unknown) => {
        console.error('PayFiP : notification non traitée', idOp, err);
        return null;
      });
      await within(settling, NOTIFY_ANSWER_WITHIN_MS);
      // The same answer whatever the idop: nothing is revealed to whoever posts here.
      sent.res.status(200).type('text/plain').send('OK');
    },
    'payfip.return': (sent) => back(idopOf(sent), sent.res),
    'payfip.returnGet': (sent) => back(idopOf(sent), sent.res),
  };
}
