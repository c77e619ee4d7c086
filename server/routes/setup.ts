import { Router, type Request } from 'express';
import { SETUP_CODE_HEADER, SETUP_STEPS, type SetupDone, type SetupStatus, type SetupStep, type SetupTemplate } from '../../api/setup.js';
import { DomainError } from '../../core/errors.js';
import { checkSetupCode } from '../../core/setup-code.js';
import { setupTemplate } from '../../core/setup-template.js';
import { checkSetupStep, completeSetup, requireSetupPending } from '../../core/setup.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';

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
 * /api/setup: the "Mise en service" of a production install, open only while no administrator
 * exists, and then only from the machine itself or with the one-time code of the server's log
 * (header X-Setup-Code). Once done, every route answers 409 and changes nothing.
 */
export function setupRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  const allow = async (req: Request) => {
    await requireSetupPending(ctx);
    if (!isLocalRequest(req, deps)) await checkSetupCode(deps.db, req.get(SETUP_CODE_HEADER), deps.clock.now());
  };

  router.get('/status', async (req, res) => {
    await requireSetupPending(ctx);
    const body: SetupStatus = { required: true, local: isLocalRequest(req, deps) };
    res.json(body);
  });

  // The code typed on another machine, checked (and counted) before the steps are shown.
  router.post('/code', async (req, res) => {
    await requireSetupPending(ctx);
    if (!isLocalRequest(req, deps)) {
      const code = (req.body as { code?: unknown } | undefined)?.code;
      await checkSetupCode(deps.db, typeof code === 'string' ? code : '', deps.clock.now());
    }
    res.json({ ok: true });
  });

  router.get('/template', async (req, res) => {
    await allow(req);
    const body: SetupTemplate = setupTemplate();
    res.json(body);
  });

  router.post('/check/:step', async (req, res) => {
    const step = req.params.step as SetupStep;
    if (!SETUP_STEPS.includes(step)) throw new DomainError('NOT_FOUND', 'Étape inconnue.');
    await allow(req);
    await checkSetupStep(ctx, step, req.body);
    res.json({ ok: true });
  });

  router.post('/', async (req, res) => {
    await allow(req);
    const body: SetupDone = await completeSetup(ctx, req.body);
    res.status(201).json(body);
  });

  return router;
}
