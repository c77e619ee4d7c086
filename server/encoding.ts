import zlib from 'node:zlib';
import type { RequestHandler, Response } from 'express';

/**
 * Content-coding negotiation for a poor line: the static server picks a pre-compressed file,
 * the API gzips its larger JSON answers.
 */

export type Coding = 'br' | 'gzip';

/** Accept-Encoding as coding -> q (RFC 9110 §12.5.3); "*" stands for any coding not named. */
function parseAcceptEncoding(header: string | undefined): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    q.set(name, weight);
  }
  return q;
}

/** The best coding the client accepts among `available` (in the server's order of preference), or null for identity. */
export function chooseCoding(header: string | undefined, available: readonly Coding[]): Coding | null {
  const q = parseAcceptEncoding(header);
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of available) {
    const weight = q.get(coding) ?? q.get('*') ?? 0;
    if (weight > bestQ) {
      best = coding;
      bestQ = weight;
    }
  }
  return best;
}

/** Adds a field to Vary without repeating it. */
export function addVary(res: Response, field: string): void {
  const current = String(res.getHeader('Vary') ?? '');
  const fields = current.split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('Vary', [...fields, field].join(', '));
}

/** Below this a gzip header and an extra CPU pass cost more than they save. */
export const JSON_GZIP_MIN_BYTES = 1024;

/**
 * Gzips res.json answers of at least 1 KB for clients that accept gzip. Only res.json is
 * touched: PDFs, spreadsheets and stored files are sent with res.end or a stream and keep
 * their exact bytes and Content-Length. res.send then adds the ETag of the compressed bytes
 * and answers 304 to a matching If-None-Match, as for any body.
 */
export const compressJson: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    const text = JSON.stringify(body);
    if (text === undefined || res.headersSent) return json(body);
    if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    // The text already made is sent as it is: res.json would stringify the body a second time.
    if (Buffer.byteLength(text) < JSON_GZIP_MIN_BYTES) return res.send(text);
    addVary(res, 'Accept-Encoding');
    if (chooseCoding(req.headers['accept-encoding'], ['gzip']) !== 'gzip') return res.send(text);
    // Level 6 compresses a 100 KB week grid in about a millisecond.
    const gz = zlib.gzipSync(text, { level: 6 });
    res.setHeader('Content-Encoding', 'gzip');
    return res.send(gz);
  };
  next();
};
