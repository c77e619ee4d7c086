import type { RequestHandler } from 'express';
import type { ServerDeps } from './app.js';

// Placeholder: sessions, CSRF and role checks come with the parent portal issue.
export function sessionMiddleware(_deps: ServerDeps): RequestHandler {
  return (_req, _res, next) => next();
}
