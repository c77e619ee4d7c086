import { Readable } from 'node:stream';
import type { Response } from 'express';
import type { CoreContext } from '../core/context.js';
import { addDays, isoWeekday, mondayOf, parisToday } from '../core/dates.js';
import type { LedgerHistoryEntry } from '../core/wallet.js';
import type { LedgerLine } from '../api/parent.js';
import { serverPorts, type ServerDeps } from './deps.js';

/** Small helpers shared by the routers. Express 5 forwards rejected promises to the error middleware. */

export function coreContext(deps: ServerDeps): CoreContext {
  return { db: deps.db, clock: deps.clock, ports: serverPorts(deps) };
}

/** Sends PDF bytes; `inline` opens in the browser's viewer, `attachment` downloads. */
export function sendPdf(res: Response, bytes: Uint8Array, filename: string, disposition: 'inline' | 'attachment' = 'attachment'): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(bytes.byteLength));
  res.setHeader('Content-Disposition', contentDisposition(filename, disposition));
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Streams a stored file (a family's document) with its sniffed type, size and a name whose
 * extension matches that type. Resolves once the
 * whole file is sent; a read error goes to the error middleware. Extra headers (a CSP for an
 * inline view) are set by the caller before.
 */
export async function sendStoredFile(
  res: Response,
  file: { stream(): AsyncIterable<Uint8Array>; mimeType: string; sizeBytes: number; downloadName: string },
  disposition: 'inline' | 'attachment' = 'attachment',
): Promise<void> {
  res.setHeader('Content-Type', file.mimeType);
  res.setHeader('Content-Length', String(file.sizeBytes));
  res.setHeader('Content-Disposition', contentDisposition(file.downloadName, disposition));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  await new Promise<void>((resolve, reject) => {
    const stream = Readable.from(file.stream());
    stream.on('error', reject);
    stream.on('end', () => resolve());
    stream.pipe(res);
  });
}

/** The week a planning opens on: this week, or next week from Saturday on (Paris time). */
export function defaultWeek(deps: ServerDeps): string {
  const today = parisToday(deps.clock.now());
  return isoWeekday(today) >= 6 ? addDays(mondayOf(today), 7) : mondayOf(today);
}

/** RFC 6266 header with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(filename: string, disposition: 'inline' | 'attachment' = 'attachment'): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A ledger entry as the parent's API shows it; the staff API adds its own fields to it. */
export function ledgerLine(e: LedgerHistoryEntry): LedgerLine {
  return {
    id: e.id,
    walletId: e.walletId,
    walletLabel: e.walletLabel,
    amountCents: e.amountCents,
    kind: e.kind,
    label: e.label,
    childFirstName: e.childFirstName,
    activityName: e.activityName,
    serviceDate: e.serviceDate,
    createdAt: e.createdAt,
  };
}
