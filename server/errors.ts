import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError } from '../core/errors.js';

/** Every failure leaves the server as `{error: {code, message}}` with a French message; never a stack trace. */
export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: details ? { code, message, details } : { code, message } };
}

export const notFoundApi: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', 'Cette adresse n’existe pas.'));
};

export function zodMessage(err: ZodError): string {
  const first = err.issues[0];
  if (!first) return 'Données invalides.';
  // Schemas in api/ carry French messages; fall back to a generic one naming the field.
  const field = first.path.join('.');
  return first.message && !/^(Invalid|Expected|Required|Too)/i.test(first.message)
    ? first.message
    : `Donnée invalide${field ? ` : ${field}` : ''}.`;
}

export function errorMiddleware(log: (err: unknown) => void = (e) => console.error(e)): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof DomainError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json(errorBody('VALIDATION', zodMessage(err), { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }));
      return;
    }
    // body-parser errors (malformed JSON, body too large) carry a status
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status === 400) {
      res.status(400).json(errorBody('VALIDATION', 'Requête mal formée.'));
      return;
    }
    if (status === 413) {
      res.status(413).json(errorBody('VALIDATION', 'Requête trop volumineuse.'));
      return;
    }
    log(err);
    res.status(500).json(errorBody('INTERNAL', 'Une erreur inattendue est survenue. Réessayez ou contactez la mairie.'));
  };
}
