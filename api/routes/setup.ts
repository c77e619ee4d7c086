import { defineRoutes, json, publicRoute } from '../contract.js';
import type { OkResponse } from '../common.js';
import { setupCodeInput, setupInputSchema, setupStepInput, setupStepParams, type SetupDone, type SetupStatus, type SetupTemplate } from '../setup.js';

/**
 * The "Mise en service" (/api/setup): public routes, because nobody exists yet to sign in. The
 * server opens them only while no administrator exists, and then only on its own machine or with
 * the one-time code of its log (header X-Setup-Code); once done every route answers 409.
 */
export const setupRoutes = defineRoutes({
  'setup.status': { method: 'GET', path: '/api/setup/status', access: publicRoute, reply: json<SetupStatus>() },
  /** The code typed on another machine, checked (and counted) before the steps are shown. */
  'setup.checkCode': { method: 'POST', path: '/api/setup/code', access: publicRoute, body: setupCodeInput, reply: json<OkResponse>() },
  'setup.template': { method: 'GET', path: '/api/setup/template', access: publicRoute, reply: json<SetupTemplate>() },
  /** One step checked on "Suivant", with the same rules as the end. */
  'setup.checkStep': { method: 'POST', path: '/api/setup/check/:step', access: publicRoute, params: setupStepParams, body: setupStepInput, reply: json<OkResponse>() },
  /** "Terminer la mise en service": everything written in one transaction. */
  'setup.complete': { method: 'POST', path: '/api/setup', access: publicRoute, body: setupInputSchema, reply: json<SetupDone>(), status: 201 },
});
