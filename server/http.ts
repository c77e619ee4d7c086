import type { Response } from 'express';
import type { z } from 'zod';
import type { CoreContext } from '../core/context.js';
import type { ServerDeps } from './app.js';

/** Small helpers shared by the routers. Express 5 forwards rejected promises to the error middleware. */

/** Parses with an api/ schema; a ZodError becomes a 400 with the schema's French message. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(value);
}

export function coreContext(deps: ServerDeps): CoreContext {
  return { db: deps.db, clock: deps.clock };
}

/** Sends PDF bytes; `inline` opens in the browser's viewer, `attachment` downloads. */
export function sendPdf(res: Response, bytes: Uint8Array, filename: string, disposition: 'inline' | 'attachment' = 'attachment'): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(bytes.byteLength));
  res.setHeader('Content-Disposition', contentDisposition(filename, disposition));
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** RFC 6266 header with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string, disposition: 'inline' | 'attachment' = 'attachment'): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
