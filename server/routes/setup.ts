import type { Request, RequestHandler } from 'express';
import type { setupRoutes } from '../../api/routes/setup.js';
import { SETUP_CODE_HEADER, SETUP_STEPS, type SetupStep } from '../../api/setup.js';
import { DomainError } from '../../core/errors.js';
import { checkSetupCode } from '../../core/setup-code.js';
import { setupTemplate } from '../../core/setup-template.js';
import { checkSetupStep, completeSetup, requireSetupPending } from '../../core/setup.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';

/**
 * Whether a request comes from the server's own machine. The socket's address, never req.ip
 * (which `trust proxy` takes from X-Forwarded-For); and a request relayed by a proxy, even one on
 * loopback, is somebody else's: so any forwarding header, or a configured proxy, means "not local".
 */
export function isLocalRequest(req: Request, deps: Pick<ServerDeps, 'config'>): boolean {
  if (deps.config.trustProxy?.trim() && !['0', 'false'].includes(deps.config.trustProxy.trim())) return false;
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined) return false;
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

/**
 * The setup's own guard, run before a body is read: open only while no administrator exists,
 * and then only from the server's machine or with the one-time code of its log (X-Setup-Code).
 */
export function setupGuard(deps: ServerDeps): RequestHandler {
  const ctx = coreContext(deps);
  return async (req, _res, next) => {
    await requireSetupPending(ctx);
    if (!isLocalRequest(req, deps)) await checkSetupCode(deps.db, req.get(SETUP_CODE_HEADER), deps.clock.now());
    next();
  };
}

/** An unknown step is an unknown address, whoever asks. */
const knownStep: RequestHandler = (req, _res, next) => {
  if (!SETUP_STEPS.includes(req.params.step as SetupStep)) throw new DomainError('NOT_FOUND', 'Étape inconnue.');
  next();
};

/**
 * /api/setup: the "Mise en service" of a production install, open only while no administrator
 * exists, and then only from the machine itself or with the one-time code of the server's log
 * (header X-Setup-Code). Once done, every route answers 409 and changes nothing.
 */
export function setupHandlers(deps: ServerDeps): Handlers<typeof setupRoutes> {
  const ctx = coreContext(deps);
  const allow = setupGuard(deps);
  return {
    'setup.status': async ({ req }) => {
      await requireSetupPending(ctx);
      return { required: true, local: isLocalRequest(req, deps) };
    },
    // The code typed on another machine, checked (and counted) before the steps are shown.
    'setup.checkCode': async ({ req, body }) => {
      await requireSetupPending(ctx);
      if (!isLocalRequest(req, deps)) await checkSetupCode(deps.db, body.code ?? '', deps.clock.now());
      return { ok: true };
    },
    'setup.template': { before: [allow], handle: () => setupTemplate() },
    // Core checks the step with its own schema (the table's is the whole setup's, every part optional).
    'setup.checkStep': {
      before: [knownStep, allow],
      handle: async ({ params, req }) => {
        await checkSetupStep(ctx, params.step as SetupStep, req.body);
        return { ok: true };
      },
    },
    'setup.complete': { before: [allow], handle: ({ req }) => completeSetup(ctx, req.body) },
  };
}
