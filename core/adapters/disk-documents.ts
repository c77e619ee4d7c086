/**
 * The DocumentStore on this machine's disk: <dataDir>/documents/ (outside any web root), one
 * file per document under the name core gave it. A put is durable before it resolves: the
 * bytes fsynced, the rename into the folder fsynced too (core/durable-files.ts), so an upload
 * that answered "ok" survives a power cut.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { durableFiles, storageError } from '../durable-files.js';
import type { DocumentStore, ReceivedFile } from '../ports.js';

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** An upload the server streamed to a temporary file. */
export async function receivedFileAt(tempPath: string): Promise<ReceivedFile> {
  const stat = await fs.promises.stat(tempPath);
  return {
    sizeBytes: stat.size,
    path: tempPath,
    head: (bytes) => readHead(tempPath, bytes),
    stream: () => fs.createReadStream(tempPath),
    discard: () => fs.promises.rm(tempPath, { force: true }),
  };
}

/** Moves a synced file into place; across file systems, copies, syncs the copy and removes the source. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.promises.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.promises.copyFile(from, to);
    await durableFiles.syncFile(to);
    await fs.promises.unlink(from);
  }
}

export function diskDocumentStore(dir: string): DocumentStore {
  return {
    async put(name, file) {
      const target = path.join(dir, name);
      const partial = `${target}.partial`;
      try {
        await fs.promises.mkdir(dir, { recursive: true });
        if (file.path) {
          // The bytes reach the disk before the rename that puts them in place.
          await durableFiles.syncFile(file.path);
          await moveFile(file.path, target);
        } else {
          await pipeline(Readable.from(file.stream()), fs.createWriteStream(partial));
          await durableFiles.syncFile(partial);
          await fs.promises.rename(partial, target);
        }
        await durableFiles.syncDir(dir);
      } catch (err) {
        // A put that failed leaves nothing behind under the name (the row will not commit).
        await Promise.all([target, partial].map((f) => fs.promises.rm(f, { force: true }).catch(() => undefined)));
        throw storageError(err) ?? err;
      }
    },

    async open(name) {
      const file = path.join(dir, name);
      const stat = await fs.promises.stat(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      if (!stat?.isFile()) return null;
      return { sizeBytes: stat.size, stream: () => fs.createReadStream(file) };
    },

    async delete(name) {
      await fs.promises.rm(path.join(dir, name), { force: true });
    },
  };
}
