import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import busboy from 'busboy';
import type { Writable } from 'node:stream';
import type { Request, RequestHandler } from 'express';
import { storageError } from '../core/durable-files.js';
import { invalid } from '../core/errors.js';
import { errorBody } from './errors.js';

/**
 * Receives one multipart file by streaming it to a temp file, counting bytes: nothing is held in
 * memory, and a file over the limit is cut off (the rest of the request is read and dropped, so
 * the browser still gets the answer).
 */

export interface ReceivedFile {
  tempPath: string;
  originalName: string;
  sizeBytes: number;
  /** True when the file went past maxBytes: what was kept is incomplete and must be refused. */
  truncated: boolean;
}

export interface ReceivedUpload {
  file: ReceivedFile | null;
  fields: Record<string, string>;
}

/** Where uploads are streamed to; an object so that tests can stand in a full disk. */
export const uploadStorage = {
  createWriteStream(file: string): Writable {
    return fs.createWriteStream(file, { flags: 'wx' });
  },
};

/** Multipart framing around the file (boundaries, part headers, the title field). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Refuses an upload whose announced Content-Length is over the limit before reading a byte of
 * it; the connection is closed after the answer so the rest is never received.
 */
export function refuseOversizedUpload(maxBytes: number, message: string): RequestHandler {
  return (req, res, next) => {
    const announced = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(announced) && announced > maxBytes + MULTIPART_OVERHEAD_BYTES) {
      res.setHeader('Connection', 'close');
      res.status(413).json(errorBody('TOO_LARGE', message));
      return;
    }
    next();
  };
}

const WRITE_FAILED = () => invalid('L’envoi du fichier a échoué. Réessayez.');

export function uploadTempDir(dataDir: string): string {
  return path.join(dataDir, 'tmp');
}

export async function receiveSingleFile(
  req: Request,
  opts: { tmpDir: string; maxBytes: number; fieldName?: string; maxFieldBytes?: number },
): Promise<ReceivedUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw invalid('Envoyez le fichier avec le formulaire (multipart/form-data).');
  try {
    await fs.promises.mkdir(opts.tmpDir, { recursive: true });
  } catch (err) {
    throw storageError(err) ?? err;
  }
  const fieldName = opts.fieldName ?? 'file';

  return new Promise<ReceivedUpload>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: opts.maxBytes, fields: 10, fieldSize: opts.maxFieldBytes ?? 2000, parts: 12 },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(invalid('Formulaire d’envoi mal formé.'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: ReceivedFile | null = null;
    let writeDone: Promise<void> = Promise.resolve();
    let failed = false;

    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      const cleanup = file ? fs.promises.rm(file.tempPath, { force: true }) : Promise.resolve();
      void cleanup.finally(() => reject(err));
    };

    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== fieldName || file) {
        stream.resume();
        return;
      }
      const tempPath = path.join(opts.tmpDir, `upload-${randomBytes(12).toString('hex')}`);
      const received: ReceivedFile = { tempPath, originalName: info.filename ?? 'document', sizeBytes: 0, truncated: false };
      file = received;
      const out = uploadStorage.createWriteStream(tempPath);
      stream.on('data', (chunk: Buffer) => {
        received.sizeBytes += chunk.length;
      });
      stream.on('limit', () => {
        received.truncated = true;
      });
      // A write error (a full disk) fails the upload at once: the rest of the file is drained,
      // and the rejection is always handled, so the server keeps serving.
      writeDone = new Promise<void>((res, rej) => {
        out.on('finish', () => res());
        out.on('error', (err) => {
          stream.unpipe(out);
          stream.resume();
          rej(err);
        });
        stream.on('error', rej);
      });
      writeDone.catch((err: unknown) => fail(storageError(err) ?? WRITE_FAILED()));
      stream.pipe(out);
    });
    bb.on('error', () => fail(invalid('L’envoi du fichier a été interrompu. Réessayez.')));
    bb.on('close', () => {
      writeDone.then(
        () => {
          if (!failed) resolve({ file, fields });
        },
        (err: unknown) => fail(storageError(err) ?? WRITE_FAILED()),
      );
    });
    req.on('aborted', () => fail(invalid('L’envoi du fichier a été interrompu. Réessayez.')));
    req.pipe(bb);
  });
}
