import type { Express, Request, RequestHandler, Response } from 'express';
import type { Access, JsonReply, RouteDef, RouteParsed, RouteTable } from '../api/contract.js';
import type { SessionAuth } from '../core/auth.js';
import type { Actor } from '../core/context.js';
import { can } from '../core/policy.js';
import { errorBody } from './errors.js';
import { parentOf, staffOf } from './session.js';
import { refuseOversizedUpload } from './uploads.js';

/**
 * Registers the route table: every route the server answers is one of api/routes/, with its
 * access checked by the policy before its schemas are parsed and its handler runs. A handler is
 * typed from its route: it receives the parsed params/query/body and the signed-in person, and
 * returns the route's JSON reply (file and page routes write the response themselves).
 */

type ParentMe = ReturnType<typeof parentOf>;
type StaffMe = ReturnType<typeof staffOf>;

type MeFor<A extends Access> = A extends { kind: 'parent' }
  ? ParentMe
  : A extends { kind: 'staff' }
    ? StaffMe
    : A extends { kind: 'session' }
      ? SessionAuth & { actor: Actor }
      : undefined;

export type HandlerInput<R extends RouteDef> = RouteParsed<R> & { me: MeFor<R['access']>; req: Request; res: Response };
type HandlerResult<R extends RouteDef> = R['reply'] extends JsonReply<infer T> ? T : void;
export type Handler<R extends RouteDef> = (input: HandlerInput<R>) => Promise<HandlerResult<R>> | HandlerResult<R>;
/** A handler, or one with express middleware to run before it (a rate limiter). */
export type RouteHandler<R extends RouteDef> = Handler<R> | { readonly before: readonly RequestHandler[]; readonly handle: Handler<R> };
export type Handlers<T extends RouteTable> = { readonly [K in keyof T]: RouteHandler<T[K]> };

const unauthenticated = (res: Response) => res.status(401).json(errorBody('UNAUTHENTICATED', 'Veuillez vous connecter.'));
const forbidden = (res: Response) => res.status(403).json(errorBody('FORBIDDEN', 'Accès refusé.'));
const passwordChangeRequired = (res: Response) =>
  res.status(403).json(errorBody('PASSWORD_CHANGE_REQUIRED', 'Vous devez d’abord choisir un nouveau mot de passe (rubrique « Mot de passe »).'));

/** The access check of a route, from the policy: 401 without a session, 403 for a caller the policy refuses. */
export function accessGuard(access: Access): RequestHandler {
  return (req, res, next) => {
    if (access.kind === 'public') return next();
    const auth = req.auth;
    const actor = req.actor;
    if (!auth || !actor) return void unauthenticated(res);
    if (access.kind === 'session') return next();
    if (auth.kind !== access.kind) return void forbidden(res);
    if (auth.mustChangePassword) return void passwordChangeRequired(res);
    if (!can(actor, access.action)) return void forbidden(res);
    next();
  };
}

function meOf(access: Access, req: Request): unknown {
  switch (access.kind) {
    case 'parent':
      return parentOf(req);
    case 'staff':
      return staffOf(req);
    case 'session':
      return { ...req.auth, actor: req.actor };
    case 'public':
      return undefined;
  }
}

/**
 * Literal segments before parameters, so '/families/search' is never taken for '/families/:id':
 * paths compared by the kinds of their segments, then by length, a total order as sort() needs
 * (two paths that can match one address have the same length).
 */
export function routeOrder(a: RouteDef, b: RouteDef): number {
  const sa = a.path.split('/');
  const sb = b.path.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i]!.startsWith(':');
    const pb = sb[i]!.startsWith(':');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return sa.length - sb.length;
}

export function mountRoutes<T extends RouteTable>(app: Express, table: T, handlers: Handlers<T>): void {
  const names = Object.keys(table).sort((x, y) => routeOrder(table[x]!, table[y]!));
  for (const name of names) {
    const def = table[name]!;
    const entry = handlers[name] as RouteHandler<RouteDef> | undefined;
    if (!entry) throw new Error(`Route sans gestionnaire : ${name}`);
    const handle = typeof entry === 'function' ? entry : entry.handle;
    const before = typeof entry === 'function' ? [] : entry.before;
    const stack: RequestHandler[] = [accessGuard(def.access)];
    if (def.upload) stack.push(refuseOversizedUpload(def.upload.maxBytes, def.upload.tooLarge));
    stack.push(...before);
    stack.push(async (req, res) => {
      const parsed: Record<string, unknown> = { me: meOf(def.access, req), req, res };
      if (def.params) parsed.params = def.params.parse(req.params);
      if (def.query) parsed.query = def.query.parse(req.query);
      if (def.body) parsed.body = def.body.parse(req.body ?? {});
      const result = await handle(parsed as HandlerInput<RouteDef>);
      if (def.reply.kind !== 'json' || res.headersSent) return;
      if (def.status) res.status(def.status);
      res.json(result);
    });
    const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    app[method](def.path, ...stack);
  }
}
