import fs from 'node:fs';
import path from 'node:path';
import type { Express, Request, Response } from 'express';
import { addVary, chooseCoding, type Coding } from './encoding.js';

/**
 * Serves a built client (dist/web, dist/staff) for a poor line: the .br or .gz file written
 * at build time (scripts/precompress.ts) when the client accepts it, hashed assets cached for
 * a year, index.html revalidated on every visit so that a new build is picked up at once.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** The types scripts/precompress.ts compresses; the others (images, fonts) are compressed already. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.ttf']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Vite names what it emits under assets/ with a content hash: "index-BIzgsEp_.js". */
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

interface Variant {
  file: string;
  coding: Coding | null;
  stat: fs.Stats;
}

async function statFile(file: string): Promise<fs.Stats | null> {
  try {
    const s = await fs.promises.stat(file);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/** The file to send: a pre-compressed sibling the client accepts, else the file itself. */
async function pickVariant(req: Request, file: string, stat: fs.Stats, compressible: boolean): Promise<Variant> {
  // A range of compressed bytes is of no use to anyone: ranges are served from the identity file.
  if (!compressible || req.headers.range) return { file, coding: null, stat };
  const candidates: Array<[Coding, string]> = [
    ['br', `${file}.br`],
    ['gzip', `${file}.gz`],
  ];
  const stats = await Promise.all(candidates.map(([, f]) => statFile(f)));
  const available = candidates.filter((_, i) => stats[i]).map(([c]) => c);
  const coding = chooseCoding(req.headers['accept-encoding'], available);
  if (!coding) return { file, coding: null, stat };
  const i = candidates.findIndex(([c]) => c === coding);
  return { file: candidates[i]![1], coding, stat: stats[i]! };
}

/** Strong validator per variant: the compressed and the plain bytes are different representations. */
function etagOf(v: Variant): string {
  return `"${v.stat.size.toString(16)}-${Math.floor(v.stat.mtimeMs).toString(16)}${v.coding ? `-${v.coding}` : ''}"`;
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === etag);
}

/** "bytes=a-b", "bytes=a-", "bytes=-n" on one range; anything else is served whole (RFC 9110 lets a server ignore Range). */
function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (end < start && m[2] !== '') return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Sends one file of the build with its caching and coding headers; GET and HEAD. */
async function sendBuildFile(req: Request, res: Response, file: string, stat: fs.Stats, cacheControl: string): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  const compressible = COMPRESSIBLE.has(ext);
  const variant = await pickVariant(req, file, stat, compressible);
  const etag = etagOf(variant);

  res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', stat.mtime.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  if (compressible) addVary(res, 'Accept-Encoding');
  if (variant.coding) res.setHeader('Content-Encoding', variant.coding);

  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }

  let range: { start: number; end: number } | undefined;
  if (req.headers.range && !variant.coding) {
    const parsed = parseRange(req.headers.range, variant.stat.size);
    if (parsed === 'unsatisfiable') {
      res.status(416).setHeader('Content-Range', `bytes */${variant.stat.size}`);
      res.end();
      return;
    }
    if (parsed) range = parsed;
  }
  const length = range ? range.end - range.start + 1 : variant.stat.size;
  if (range) {
    res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${variant.stat.size}`);
  }
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = fs.createReadStream(variant.file, range ? { start: range.start, end: range.end } : {});
    stream.on('error', reject);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

/** A URL path under the mount, as a file inside `dir`, or null when it would leave it. */
function resolveInside(dir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + decoded));
  return file.startsWith(dir + path.sep) ? file : null;
}

/**
 * Mounts a built single-page client: its files as they are, and index.html for any other
 * path without a file extension (the client's own routes). A missing file with an extension
 * (an old hashed asset) falls through to the 404 page rather than to index.html.
 */
export function serveBuiltClient(
  app: Express,
  mount: string,
  dir: string,
  spaRoute: RegExp,
  /** API answers the page will ask for at once: the browser fetches them while the script is still arriving. */
  preload: (req: Request) => string[] = () => [],
): void {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  const prefix = mount === '/' ? '' : mount;

  app.use(mount, async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const rel = req.path.replace(/^\/+/, '');
    if (!rel || rel.endsWith('.br') || rel.endsWith('.gz')) return next();
    const file = resolveInside(root, rel);
    const stat = file ? await statFile(file) : null;
    if (!file || !stat) return next();
    await sendBuildFile(req, res, file, stat, HASHED.test(path.relative(root, file).split(path.sep).join('/')) ? IMMUTABLE : 'no-cache');
  });

  app.get(spaRoute, async (req, res, next) => {
    const last = req.path.slice(prefix.length).split('/').pop() ?? '';
    if (last.includes('.')) return next();
    const stat = await statFile(index);
    if (!stat) return next();
    // crossorigin (anonymous): the same mode and credentials as the client's fetch, so the browser reuses the answer.
    const links = preload(req).map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`);
    if (links.length) res.setHeader('Link', links.join(', '));
    await sendBuildFile(req, res, index, stat, 'no-cache');
  });
}

/**
 * The portal's first requests, started by the browser with the page itself rather than one
 * round trip after another once the script has run: on a 400 ms line that is most of a
 * second. Only with a session cookie (a signed-out visitor would preload two refusals), and
 * the planning's own week only when no other week is asked for.
 */
export function portalPreloads(req: Request): string[] {
  if (!/(?:^|;\s*)eticket_session=/.test(req.headers.cookie ?? '')) return [];
  const urls = ['/api/auth/me', '/api/parent/messages/unread'];
  if ((req.path === '/planning' || req.path === '/') && req.query.week === undefined) urls.push('/api/parent/planning');
  return urls;
}
