import { defineRoutes, page, publicRoute } from '../contract.js';
import { payfipCallbackInput } from '../payments.js';

/**
 * PayFiP's two calls back, outside /api and any session: urlnotif (server to server, a plain
 * "OK") and urlredirect (the parent's browser, sent back to the portal). Both only make the
 * server ask PayFiP for the payment's result. Forms are urlencoded (server/app.ts).
 */
export const payfipRoutes = defineRoutes({
  'payfip.notification': { method: 'POST', path: '/payfip/notification', access: publicRoute, body: payfipCallbackInput, query: payfipCallbackInput, reply: page },
  'payfip.return': { method: 'POST', path: '/payfip/retour', access: publicRoute, body: payfipCallbackInput, query: payfipCallbackInput, reply: page },
  'payfip.returnGet': { method: 'GET', path: '/payfip/retour', access: publicRoute, query: payfipCallbackInput, reply: page },
});
