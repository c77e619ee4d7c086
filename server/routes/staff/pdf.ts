import type { Response } from 'express';
import { sendPdf } from '../../http.js';

/**
 * Sends a PDF that the console shows in its own viewer (an iframe of the same origin): the
 * global CSP forbids any framing, so this answer relaxes frame-ancestors to 'self' only, and
 * keeps the PDF itself from loading or running anything.
 */
export function sendViewablePdf(res: Response, bytes: Uint8Array, filename: string): void {
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  sendPdf(res, bytes, filename, 'inline');
}
