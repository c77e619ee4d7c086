import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { trustProxySetting } from './config.js';
import { errorMiddleware, notFoundApi, notFoundPage } from './errors.js';
import { sessionMiddleware } from './session.js';
import { compressJson } from './encoding.js';
import { portalPreloads, serveBuiltClient } from './static.js';
import { mountRouteTable } from './routes/index.js';
import type { ServerDeps } from './deps.js';

export type { ServerDeps };

/**
 * Builds the Express app without listening, so tests drive it in-process.
 * Routes are thin adapters: parse with the api/ schemas, call core/, answer JSON.
 */
export function createServer(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(deps.config));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameSrc: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          // The top-up leaves for PayFiP by a plain navigation to the payment page, not a form post.
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // A city's pointage (every school: ~14,000 marks, ~700 kB) is the one larger body; 200 kB elsewhere.
  app.use('/api/staff/attendance', express.json({ limit: '2mb' }));
  app.use('/api', compressJson, express.json({ limit: '200kb' }), sessionMiddleware(deps));
  // PayFiP posts urlencoded forms to /payfip/*, from outside any session.
  app.use('/payfip', express.urlencoded({ extended: false, limit: '10kb' }));
  mountRouteTable(app, deps);
  app.use('/api', notFoundApi);

  serveClient(app, '/staff', deps.config.staffDist);
  serveClient(app, '/', deps.config.webDist);

  app.use(notFoundPage);
  app.use(errorMiddleware());
  return app;
}

/** Serves a built single-page client, answering index.html for its client-side routes. */
function serveClient(app: Express, mount: string, dir: string | undefined): void {
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    app.get(mount === '/' ? '/' : mount, (_req, res) => {
      res.type('html').send(missingBuildPage(mount));
    });
    return;
  }
  serveBuiltClient(app, mount, dir, mount === '/' ? /^\/(?!api\/|staff(\/|$)|payfip\/).*/ : new RegExp(`^${mount}(/.*)?$`), mount === '/' ? portalPreloads : undefined);
}

function missingBuildPage(mount: string): string {
  return `<!doctype html><html lang="fr"><meta charset="utf-8"><title>eTicket</title>
<h1>eTicket</h1><p>Le serveur fonctionne, mais l’interface ${mount === '/' ? 'du portail' : 'du secrétariat'} n’est pas construite.
Lancez <code>npm run build</code>.</p></html>`;
}
