import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { actorOf, resolveSession, SESSION_POLICY, type ResolvedSession, type SessionAuth } from '../core/auth.js';
import type { Actor } from '../core/context.js';
import type { ServerDeps } from './deps.js';
import { portalPublicUrl } from '../core/settings/portal.js';
import { cookiesSecure } from './config.js';
import { errorBody } from './errors.js';

/**
 * Sessions and CSRF for everything under /api.
 *
 * The cookie `eticket_session` (HttpOnly, SameSite=Lax, Secure when the public URL is https) carries a random
 * token; the sessions table keys on its SHA-256. Each session has its own CSRF token, which the
 * clients get from the login answer or GET /api/auth/me and send back as `X-CSRF-Token` on every
 * change (synchronizer token): a page of another site can make the browser send the cookie, but
 * cannot read the token.
 */

export const SESSION_COOKIE = 'eticket_session';
export const CSRF_HEADER = 'x-csrf-token';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Who is signed in on this request, if anybody. */
      auth?: SessionAuth;
      /** The same person as a core Actor, for domain functions. */
      actor?: Actor;
      /** The session row behind req.auth (token hash, CSRF token). */
      authSession?: ResolvedSession;
    }
  }
}

/** Paths under /api that change state without a session yet, so without a CSRF token. */
const CSRF_EXEMPT = new Set([
  '/auth/parent/login',
  '/auth/staff/login',
  '/auth/password-reset/request',
  '/auth/password-reset/confirm',
]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function setSessionCookie(res: Response, deps: ServerDeps, token: string, kind: SessionAuth['kind'], maxAgeMs = SESSION_POLICY[kind].absoluteMs): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // Also Secure when the request itself came over https (a central server behind a trusted proxy).
    secure: cookiesSecure(deps.config) || res.req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

export function clearSessionCookie(res: Response, deps: ServerDeps): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: cookiesSecure(deps.config) || res.req.secure, path: '/' });
}

function sameToken(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/**
 * A change must come from one of our own pages, on top of the CSRF token: browsers send Origin
 * (and Sec-Fetch-Site) on every POST, so a form or fetch of another site is refused here, even
 * for the sign-in routes that have no token yet. A request without either header is not a
 * browser's (scripts, tests), hence no cookie to abuse.
 */
async function sameOrigin(req: Request, deps: ServerDeps): Promise<boolean> {
  if (req.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const originOf = (url: string): string | null => {
    try {
      return new URL(url).origin;
    } catch {
      return null; // a malformed address allows nothing more
    }
  };
  if (origin === `${req.protocol}://${req.get('host') ?? ''}` || origin === originOf(deps.config.publicUrl)) return true;
  // Behind an https proxy, the address set in Paramètres › Portail (read only in that case).
  return origin === originOf(await portalPublicUrl(deps.db, deps.config));
}

/** Mounted on /api: resolves the session, sets req.auth/req.actor, and enforces CSRF on changes. */
export function sessionMiddleware(deps: ServerDeps): RequestHandler {
  const ctx = { db: deps.db, clock: deps.clock };
  return async (req, res, next) => {
    // Answers carry personal data: never cached by the browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      const session = await resolveSession(ctx, token);
      if (session) {
        req.authSession = session;
        req.auth = session.auth;
        req.actor = actorOf(session.auth);
      } else {
        clearSessionCookie(res, deps);
      }
    }
    if (!SAFE_METHODS.has(req.method) && !(await sameOrigin(req, deps))) {
      res
        .status(403)
        .json(errorBody('CSRF', 'Requête refusée : elle ne vient pas d’une page d’eTicket. Rechargez la page et réessayez.'));
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !CSRF_EXEMPT.has(req.path) && req.authSession) {
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!sent || !sameToken(sent, req.authSession.csrfToken)) {
        res
          .status(403)
          .json(errorBody('CSRF', 'Requête refusée : jeton de sécurité absent ou périmé. Rechargez la page et réessayez.'));
        return;
      }
    }
    next();
  };
}

/** Narrowed accessors for handlers of parent and staff routes (server/route-mount.ts checked the access). */
export function parentOf(req: Request): Extract<SessionAuth, { kind: 'parent' }> & { actor: Extract<Actor, { kind: 'parent' }> } {
  const auth = req.auth;
  if (!auth || auth.kind !== 'parent') throw new Error('parentOf() outside a parent route');
  return { ...auth, actor: { kind: 'parent', parentAccountId: auth.parentAccountId, familyId: auth.familyId } };
}

export function staffOf(req: Request): Extract<SessionAuth, { kind: 'staff' }> & { actor: Extract<Actor, { kind: 'staff' }> } {
  const auth = req.auth;
  if (!auth || auth.kind !== 'staff') throw new Error('staffOf() outside a staff route');
  return { ...auth, actor: { kind: 'staff', staffUserId: auth.staffUserId, role: auth.role, name: auth.name } };
}
