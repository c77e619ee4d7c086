import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  changePasswordSchema,
  loginSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  type MeResponse,
} from '../../api/auth.js';
import {
  changePassword,
  confirmPasswordReset,
  describeParent,
  loginParent,
  loginStaff,
  logout,
  requestPasswordReset,
  type ResolvedSession,
} from '../../core/auth.js';
import type { ServerDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import { coreContext, validate } from '../http.js';
import { clearSessionCookie, setSessionCookie } from '../session.js';
import { oneSignInAtATimePerClient } from '../sign-in-queue.js';
import { portalPublicUrl } from '../../core/settings/portal.js';

/**
 * Per-IP ceiling on sign-in and reset attempts, on top of the per-account lock. The address is
 * the socket's unless ETICKET_TRUST_PROXY names the proxy in front (server/config.ts).
 */
function attemptLimiter(limit: number) {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Without a configured proxy, X-Forwarded-For is a client's claim: ignored, not worth a warning.
    validate: { xForwardedForHeader: false },
    handler: (_req, res) => {
      res
        .status(429)
        .json(errorBody('TOO_MANY_ATTEMPTS', 'Trop de tentatives depuis cette connexion. Réessayez dans quelques minutes.'));
    },
  });
}

async function meOf(deps: ServerDeps, session: ResolvedSession): Promise<MeResponse> {
  const auth = session.auth;
  if (auth.kind === 'parent') {
    const who = await describeParent(deps.db, auth.parentAccountId);
    return {
      kind: 'parent',
      parentAccountId: auth.parentAccountId,
      familyId: auth.familyId,
      familyName: who?.familyName ?? '',
      username: auth.username,
      displayName: who?.displayName ?? auth.username,
      mustChangePassword: auth.mustChangePassword,
      csrfToken: session.csrfToken,
    };
  }
  return {
    kind: 'staff',
    staffUserId: auth.staffUserId,
    role: auth.role,
    name: auth.name,
    username: auth.username,
    mustChangePassword: auth.mustChangePassword,
    csrfToken: session.csrfToken,
  };
}

export function authRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);
  const limit = Number(process.env.ETICKET_LOGIN_RATE_LIMIT ?? 100);
  const loginLimiter = attemptLimiter(limit);
  const resetLimiter = attemptLimiter(Math.max(5, Math.floor(limit / 4)));

  const signIn = (login: typeof loginParent) => async (req: Request, res: Response) => {
    const input = validate(loginSchema, req.body);
    // A new sign-in replaces whatever session this browser had (no session fixation).
    if (req.authSession) await logout(ctx, req.authSession.tokenHash);
    const { token, session, maxAgeMs } = await login(ctx, input);
    setSessionCookie(res, deps, token, session.auth.kind, maxAgeMs);
    res.json(await meOf(deps, session));
  };

  const oneAtATime = oneSignInAtATimePerClient();
  router.post('/parent/login', loginLimiter, oneAtATime, signIn(loginParent));
  router.post('/staff/login', loginLimiter, oneAtATime, signIn(loginStaff));

  router.post('/logout', async (req, res) => {
    if (req.authSession) await logout(ctx, req.authSession.tokenHash);
    clearSessionCookie(res, deps);
    res.json({ ok: true });
  });

  router.get('/me', async (req, res) => {
    if (!req.authSession) {
      res.status(401).json(errorBody('UNAUTHENTICATED', 'Veuillez vous connecter.'));
      return;
    }
    res.json(await meOf(deps, req.authSession));
  });

  router.post('/password', async (req, res) => {
    if (!req.authSession) {
      res.status(401).json(errorBody('UNAUTHENTICATED', 'Veuillez vous connecter.'));
      return;
    }
    const input = validate(changePasswordSchema, req.body);
    await changePassword(ctx, req.authSession.auth, req.authSession.tokenHash, input);
    const session = req.authSession;
    res.json(await meOf(deps, { ...session, auth: { ...session.auth, mustChangePassword: false } }));
  });

  router.post('/password-reset/request', resetLimiter, async (req, res) => {
    const input = validate(passwordResetRequestSchema, req.body);
    await requestPasswordReset(ctx, { identifier: input.identifier, publicUrl: await portalPublicUrl(deps.db, deps.config) });
    // Same answer whether or not an account matched.
    res.json({
      ok: true,
      message: 'Si un compte correspond à cet identifiant ou à cette adresse, un e-mail avec un lien vient d’être envoyé.',
    });
  });

  router.post('/password-reset/confirm', resetLimiter, oneAtATime, async (req, res) => {
    const input = validate(passwordResetConfirmSchema, req.body);
    await confirmPasswordReset(ctx, input);
    res.json({ ok: true, message: 'Votre mot de passe a été modifié. Vous pouvez vous connecter.' });
  });

  return router;
}

