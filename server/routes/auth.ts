import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { LoginInput, MeResponse } from '../../api/auth.js';
import type { authRoutes } from '../../api/routes/auth.js';
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
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';
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

export function authHandlers(deps: ServerDeps): Handlers<typeof authRoutes> {
  const ctx = coreContext(deps);
  const limit = Number(process.env.ETICKET_LOGIN_RATE_LIMIT ?? 100);
  const loginLimiter = attemptLimiter(limit);
  const resetLimiter = attemptLimiter(Math.max(5, Math.floor(limit / 4)));
  const oneAtATime = oneSignInAtATimePerClient();

  const signIn = (login: typeof loginParent) => ({
    before: [loginLimiter, oneAtATime],
    handle: async ({ body, req, res }: { body: LoginInput; req: Request; res: Response }): Promise<MeResponse> => {
      // A new sign-in replaces whatever session this browser had (no session fixation).
      if (req.authSession) await logout(ctx, req.authSession.tokenHash);
      const { token, session, maxAgeMs } = await login(ctx, body);
      setSessionCookie(res, deps, token, session.auth.kind, maxAgeMs);
      return meOf(deps, session);
    },
  });

  return {
    'auth.parentLogin': signIn(loginParent),
    'auth.staffLogin': signIn(loginStaff),
    'auth.logout': async ({ req, res }) => {
      if (req.authSession) await logout(ctx, req.authSession.tokenHash);
      clearSessionCookie(res, deps);
      return { ok: true };
    },
    // The access check has seen a session: req.authSession is set.
    'auth.me': ({ req }) => meOf(deps, req.authSession!),
    'auth.changePassword': async ({ body, req }) => {
      const session = req.authSession!;
      await changePassword(ctx, session.auth, session.tokenHash, body);
      return meOf(deps, { ...session, auth: { ...session.auth, mustChangePassword: false } });
    },
    'auth.requestPasswordReset': {
      before: [resetLimiter],
      handle: async ({ body }) => {
        await requestPasswordReset(ctx, { identifier: body.identifier, publicUrl: await portalPublicUrl(deps.db, deps.config) });
        // Same answer whether or not an account matched.
        return { ok: true, message: 'Si un compte correspond à cet identifiant ou à cette adresse, un e-mail avec un lien vient d’être envoyé.' };
      },
    },
    'auth.confirmPasswordReset': {
      before: [resetLimiter, oneAtATime],
      handle: async ({ body }) => {
        await confirmPasswordReset(ctx, body);
        return { ok: true, message: 'Votre mot de passe a été modifié. Vous pouvez vous connecter.' };
      },
    },
  };
}
