// The disk DocumentStore on its own: an upload on disk is moved in, one in memory is written in,
// both read back; a missing name opens as null; delete is idempotent; a full disk is French and
// leaves no file behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { durableFiles } from '../durable-files.js';
import { diskDocumentStore, receivedFileAt } from './disk-documents.js';
import { receivedBytes } from './memory-documents.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-store-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

async function read(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

describe('diskDocumentStore', () => {
  it('moves an upload from disk, writes one from memory, reads both back and deletes them', async () => {
    const store = diskDocumentStore(path.join(root, 'documents'));
    const temp = path.join(root, 'upload.tmp');
    fs.writeFileSync(temp, '%PDF-1.4 sur disque');
    const onDisk = await receivedFileAt(temp);
    expect(onDisk.sizeBytes).toBe(19);
    expect(Buffer.from(await onDisk.head(5)).toString()).toBe('%PDF-');
    await store.put('a.pdf', onDisk);
    expect(fs.existsSync(temp)).toBe(false);
    await store.put('b.png', receivedBytes(Buffer.from('\x89PNG en mémoire', 'latin1')));
    expect(fs.readdirSync(path.join(root, 'documents')).sort()).toEqual(['a.pdf', 'b.png']);

    const a = await store.open('a.pdf');
    expect(a?.sizeBytes).toBe(19);
    expect((await read(a!.stream())).toString()).toBe('%PDF-1.4 sur disque');
    expect((await read((await store.open('b.png'))!.stream())).toString('latin1')).toBe('\x89PNG en mémoire');
    expect(await store.open('absent.pdf')).toBeNull();
    await store.delete('a.pdf');
    await store.delete('a.pdf');
    expect(await store.open('a.pdf')).toBeNull();
  });

  it('turns a full disk into the French STORAGE_UNAVAILABLE', async () => {
    vi.spyOn(durableFiles, 'syncDir').mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    const store = diskDocumentStore(path.join(root, 'documents'));
    await expect(store.put('c.pdf', receivedBytes(Buffer.from('%PDF-')))).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringMatching(/espace disque du serveur est plein/),
    });
    expect(fs.readdirSync(path.join(root, 'documents'))).toEqual([]);
  });
});
