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

/** Any other unknown address (outside /api): a French page for a browser, JSON otherwise. */
export const notFoundPage: RequestHandler = (req, res) => {
  res.status(404);
  if (req.accepts(['html', 'json']) === 'html') {
    res.type('html').send(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>Page introuvable – eTicket</title>
<h1>Page introuvable</h1><p>Cette adresse n’existe pas. <a href="/">Retour à l’accueil du portail</a>.</p></html>`);
    return;
  }
  res.json(errorBody('NOT_FOUND', 'Cette adresse n’existe pas.'));
};

export function zodMessage(err: ZodError): string {
  const first = err.issues[0];
  if (!first) return 'Données invalides.';
  // Schemas in api/ carry French messages; fall back to a generic one naming the field.
  const field = first.path.join('.');
  return first.message && !/^(Invalid|Expected|Required|Too|Unrecognized)/i.test(first.message)
    ? first.message
    : `Donnée invalide${field ? ` : ${field}` : ''}.`;
}

/** French messages for body-parser's error types (unknown charset or compression, too large…). */
const BODY_ERRORS: Record<string, { status: number; message: string }> = {
  'charset.unsupported': { status: 415, message: 'Jeu de caractères non pris en charge : envoyez la requête en UTF-8.' },
  'encoding.unsupported': { status: 415, message: 'Compression de la requête non prise en charge : envoyez-la sans compression, gzip ou deflate.' },
  'entity.too.large': { status: 413, message: 'Requête trop volumineuse.' },
  'parameters.too.many': { status: 413, message: 'Requête trop volumineuse : trop de paramètres.' },
  'request.aborted': { status: 400, message: 'La requête a été interrompue. Réessayez.' },
  'request.size.invalid': { status: 400, message: 'Requête mal formée : taille annoncée incorrecte.' },
};

const BY_STATUS: Record<number, string> = {
  400: 'Requête mal formée.',
  403: 'Accès refusé.',
  404: 'Cette adresse n’existe pas.',
  405: 'Méthode non autorisée pour cette adresse.',
  413: 'Requête trop volumineuse.',
  415: 'Format de requête non pris en charge.',
  416: 'Plage demandée non disponible.',
};

/**
 * A failure caused by the request rather than by the server: body-parser's and the static
 * file server's errors (they carry a 4xx status), an undecodable URL, and a date library's
 * RangeError on a date out of any calendar (year 9999 plus a week). Null for a real bug.
 */
export function clientError(err: unknown): { status: number; code: string; message: string } | null {
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  const typed = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (typed) return { ...typed, code: typed.status === 413 ? 'TOO_LARGE' : 'VALIDATION' };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : status === 413 ? 'TOO_LARGE' : 'VALIDATION';
    return { status, code, message: BY_STATUS[status] ?? 'Requête refusée.' };
  }
  if (e instanceof URIError) return { status: 400, code: 'VALIDATION', message: 'Adresse mal formée.' };
  if (e instanceof RangeError && /invalid time value|invalid date/i.test(String(e.message))) {
    return { status: 400, code: 'VALIDATION', message: 'Date invalide ou hors des limites du calendrier.' };
  }
  return null;
}

export function errorMiddleware(log: (err: unknown) => void = (e) => console.error(e)): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof DomainError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    if (err instanceof ZodError) {
      // `field` as a DomainError gives it: the clients put the message next to that field.
      const field = err.issues[0]?.path.join('.') ?? '';
      res.status(400).json(errorBody('VALIDATION', zodMessage(err), { ...(field ? { field } : {}), issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }));
      return;
    }
    const client = clientError(err);
    if (client) {
      res.status(client.status).json(errorBody(client.code, client.message));
      return;
    }
    log(err);
    res.status(500).json(errorBody('INTERNAL', 'Une erreur inattendue est survenue. Réessayez ou contactez la mairie.'));
  };
}
