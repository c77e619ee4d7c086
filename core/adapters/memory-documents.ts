/**
 * A DocumentStore in memory: a second real adapter of the port (core runs on it in tests,
 * without a data folder), and the shape any other store (an object store, a share) would take.
 */
import type { DocumentStore, ReceivedFile } from '../ports.js';

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** An upload held in memory (a test's, or one received without touching the disk). */
export function receivedBytes(bytes: Uint8Array): ReceivedFile & { discarded: boolean } {
  const file = {
    sizeBytes: bytes.byteLength,
    discarded: false,
    head: async (n: number) => bytes.subarray(0, n),
    stream: () => once(bytes),
    discard: async () => {
      file.discarded = true;
    },
  };
  return file;
}

export interface MemoryDocumentStore extends DocumentStore {
  /** What it holds, by name. */
  readonly files: Map<string, Uint8Array>;
}

export function memoryDocumentStore(): MemoryDocumentStore {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async put(name, file) {
      files.set(name, await readAll(file.stream()));
    },
    async open(name) {
      const bytes = files.get(name);
      return bytes ? { sizeBytes: bytes.byteLength, stream: () => once(bytes) } : null;
    },
    async delete(name) {
      files.delete(name);
    },
  };
}
