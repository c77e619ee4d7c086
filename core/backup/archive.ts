import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { durableFiles } from '../durable-files.js';
import {
  ChunkWriter, DEFAULT_CHUNK_SIZE, buildHeader, damagedError, decryptChunks, deriveArchiveKey, keyMatches,
  passphraseError, readHeader, type ArchiveKey, type ParsedHeader,
} from './crypto-stream.js';

export { deriveArchiveKey, DEFAULT_SCRYPT, type ArchiveKey, type ScryptParams } from './crypto-stream.js';

/**
 * The .etkbackup archive: one file holding, encrypted (see crypto-stream.ts), the manifest, the
 * database copy and the uploaded documents. This module is the contract shared by backup and
 * restore: add fields, never rename.
 */
export const ARCHIVE_EXTENSION = '.etkbackup';

export interface BackupManifest {
  format: 1;
  /** ISO time the consistent copy was taken (its snapshot's moment). */
  takenAt: string;
  /** 'nuit' | 'manuelle' | 'avant-migration' */
  reason: 'nightly' | 'manual' | 'before-migration';
  appVersion: string;
  /** Name of the last applied migration in the copied database. */
  lastMigration: string;
  /** Row counts per table of the copied database (all tables except knex's). */
  counts: Record<string, number>;
  /** Uploaded documents: path relative to <dataDir>/documents, size in bytes, sha256 hex. */
  documents: Array<{ path: string; size: number; sha256: string }>;
  /** Per year, the last receipt and invoice number in the copy (receipt_counters, invoice_counters). */
  lastReceiptNumbers: Record<string, number>;
  lastInvoiceNumbers: Record<string, number>;
  commune: string;
  /** Size and sha256 hex of the database copy (added by the writer; checked on extraction). */
  database?: { size: number; sha256: string };
}

export interface ExtractedBackup { manifest: BackupManifest; databaseFile: string; documentsDir: string }

// Entries of the plaintext stream: type u8 | name length u16 | name (utf8) | size u64 | bytes.
const ENTRY_MANIFEST = 0x4d; // 'M'
const ENTRY_DATABASE = 0x44; // 'D'
const ENTRY_DOCUMENT = 0x46; // 'F'
const ENTRY_END = 0x45; // 'E'
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const COPY_BUFFER = 256 * 1024;

function entryHead(type: number, name: string, size: number): Buffer {
  const nameBuf = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(1 + 2 + nameBuf.length + 8);
  head.writeUInt8(type, 0);
  head.writeUInt16BE(nameBuf.length, 1);
  nameBuf.copy(head, 3);
  head.writeBigUInt64BE(BigInt(size), 3 + nameBuf.length);
  return head;
}

/** Streams a file into the archive, refusing it if it changed size meanwhile. */
async function writeFileEntry(writer: ChunkWriter, type: number, name: string, file: string, size: number): Promise<void> {
  await writer.write(entryHead(type, name, size));
  const handle = await fs.promises.open(file, 'r');
  try {
    let done = 0;
    while (done < size) {
      const buf = Buffer.alloc(Math.min(COPY_BUFFER, size - done));
      const { bytesRead } = await handle.read(buf, 0, buf.length, done);
      if (bytesRead === 0) throw new Error(`${name} changed while being archived`);
      await writer.write(buf.subarray(0, bytesRead));
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export async function sha256File(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Lists the documents folder (recursively), with sizes and sha256, sorted by path. */
export async function listDocuments(documentsDir: string): Promise<BackupManifest['documents']> {
  const out: BackupManifest['documents'] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), relPath);
      // Half-written uploads (their temp names) are not documents yet.
      else if (e.isFile() && !e.name.startsWith('.')) out.push({ path: relPath, ...(await sha256File(path.join(dir, e.name))) });
    }
  }
  await walk(documentsDir, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface WriteArchiveInput {
  /** Everything but `documents` and `database`, which the writer fills from the files themselves. */
  manifest: Omit<BackupManifest, 'documents' | 'database'>;
  databaseFile: string;
  documentsDir: string;
}

/**
 * Writes the archive at `destFile` through a temp name in the same folder: the file is fsynced,
 * renamed, and the folder fsynced, so the real name never holds half an archive. Returns the
 * complete manifest and the archive's size.
 */
export async function writeBackupArchive(
  destFile: string,
  archiveKey: ArchiveKey,
  input: WriteArchiveInput,
  options: { chunkSize?: number } = {},
): Promise<{ manifest: BackupManifest; size: number }> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const documents = await listDocuments(input.documentsDir);
  const database = await sha256File(input.databaseFile);
  const manifest: BackupManifest = { ...input.manifest, documents, database };
  const dir = path.dirname(destFile);
  const temp = path.join(dir, `.${path.basename(destFile)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await fs.promises.open(temp, 'wx', 0o600);
  let closed = false;
  try {
    const writer = new ChunkWriter(handle, buildHeader(archiveKey, chunkSize), archiveKey, chunkSize);
    await writer.start();
    const manifestBuf = Buffer.from(JSON.stringify(manifest), 'utf8');
    await writer.write(entryHead(ENTRY_MANIFEST, 'manifest.json', manifestBuf.length));
    await writer.write(manifestBuf);
    await writeFileEntry(writer, ENTRY_DATABASE, 'eticket.sqlite', input.databaseFile, database.size);
    for (const doc of documents) {
      await writeFileEntry(writer, ENTRY_DOCUMENT, doc.path, path.join(input.documentsDir, ...doc.path.split('/')), doc.size);
    }
    await writer.write(entryHead(ENTRY_END, '', 0));
    await writer.finish();
    await handle.sync();
    await handle.close();
    closed = true;
    await fs.promises.rename(temp, destFile);
    await durableFiles.syncDir(dir);
    return { manifest, size: writer.bytesWritten };
  } catch (err) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Pulls exact byte counts out of the decrypted chunk stream. */
class PlainReader {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly chunks: AsyncGenerator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.buf.length < n) {
      const next = await this.chunks.next();
      if (next.done) throw damagedError();
      this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value;
    }
  }

  async take(n: number): Promise<Buffer> {
    await this.fill(n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Hands `n` bytes to `sink` piece by piece (never the whole file in memory). */
  async pipe(n: number, sink: (piece: Buffer) => Promise<void>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0) await this.fill(1);
      const piece = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      await sink(piece);
    }
  }

  /** True when nothing is left after the end entry (the final chunk was reached and read). */
  async atEnd(): Promise<boolean> {
    if (this.buf.length) return false;
    const next = await this.chunks.next();
    return !!next.done || (next.value.length === 0 && !!(await this.chunks.next()).done);
  }

  async entry(): Promise<{ type: number; name: string; size: number }> {
    const type = (await this.take(1)).readUInt8(0);
    const nameLength = (await this.take(2)).readUInt16BE(0);
    const name = (await this.take(nameLength)).toString('utf8');
    const size = Number((await this.take(8)).readBigUInt64BE(0));
    if (!Number.isSafeInteger(size)) throw damagedError();
    return { type, name, size };
  }
}

/** Opens the archive with a passphrase or an already derived key, checking which one fits. */
async function openArchive(archivePath: string, secret: string | ArchiveKey): Promise<{ handle: fs.promises.FileHandle; header: ParsedHeader; key: Buffer }> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(archivePath, 'r');
  } catch {
    throw damagedError();
  }
  try {
    const header = await readHeader(handle);
    const key = typeof secret === 'string' ? (await deriveArchiveKey(secret, header.salt, header.scrypt)).key : secret.key;
    if (!keyMatches(header, key)) throw passphraseError();
    return { handle, header, key };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function parseManifest(buf: Buffer): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(buf.toString('utf8')) as BackupManifest;
  } catch {
    throw damagedError();
  }
  if (manifest?.format !== 1 || !Array.isArray(manifest.documents) || typeof manifest.takenAt !== 'string') throw damagedError();
  return manifest;
}

async function readManifestEntry(reader: PlainReader): Promise<BackupManifest> {
  const first = await reader.entry();
  if (first.type !== ENTRY_MANIFEST || first.size > MAX_MANIFEST_BYTES) throw damagedError();
  return parseManifest(await reader.take(first.size));
}

/** Reads the manifest only (it is encrypted too: needs the passphrase, or the stored key). */
export async function readBackupManifest(archivePath: string, passphrase: string | ArchiveKey): Promise<BackupManifest> {
  const { handle, header, key } = await openArchive(archivePath, passphrase);
  try {
    return await readManifestEntry(new PlainReader(decryptChunks(handle, header, key)));
  } finally {
    await handle.close();
  }
}

/** A document path of the manifest as a safe relative path under documents/ (no "..", no absolute path). */
function safeDocumentPath(rel: string): string[] {
  const parts = rel.split('/');
  if (!rel || rel.length > 1000 || parts.some((p) => !p || p === '.' || p === '..' || /[\\\0:]/.test(p))) throw damagedError();
  return parts;
}

async function writeEntryTo(reader: PlainReader, size: number, file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  const out = await fs.promises.open(file, 'wx', 0o600);
  try {
    await reader.pipe(size, async (piece) => {
      hash.update(piece);
      let off = 0;
      while (off < piece.length) off += (await out.write(piece, off, piece.length - off)).bytesWritten;
    });
    await out.sync();
  } finally {
    await out.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Decrypts and checks every chunk, writes <destDir>/eticket.sqlite and <destDir>/documents/…, and
 * checks each document's sha256 against the manifest. Throws DomainError('BACKUP_PASSPHRASE') for a
 * wrong passphrase or DomainError('BACKUP_DAMAGED') for anything else wrong with the file.
 * `destDir` must not hold an eticket.sqlite or a documents/ already.
 */
export async function extractBackup(archivePath: string, passphrase: string | ArchiveKey, destDir: string): Promise<ExtractedBackup> {
  const { handle, header, key } = await openArchive(archivePath, passphrase);
  const databaseFile = path.join(destDir, 'eticket.sqlite');
  const documentsDir = path.join(destDir, 'documents');
  try {
    await fs.promises.mkdir(destDir, { recursive: true });
    await fs.promises.mkdir(documentsDir);
    const reader = new PlainReader(decryptChunks(handle, header, key));
    const manifest = await readManifestEntry(reader);
    const expected = new Map(manifest.documents.map((d) => [d.path, d]));
    const seen = new Set<string>();
    let sawDatabase = false;
    for (;;) {
      const entry = await reader.entry();
      if (entry.type === ENTRY_END) break;
      if (entry.type === ENTRY_DATABASE && !sawDatabase) {
        sawDatabase = true;
        const got = await writeEntryTo(reader, entry.size, databaseFile);
        if (manifest.database && (manifest.database.size !== got.size || manifest.database.sha256 !== got.sha256)) throw damagedError();
      } else if (entry.type === ENTRY_DOCUMENT) {
        const want = expected.get(entry.name);
        if (!want || seen.has(entry.name) || want.size !== entry.size) throw damagedError();
        seen.add(entry.name);
        const parts = safeDocumentPath(entry.name);
        const target = path.join(documentsDir, ...parts);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        const got = await writeEntryTo(reader, entry.size, target);
        if (got.sha256 !== want.sha256) throw damagedError();
      } else {
        throw damagedError();
      }
    }
    if (!sawDatabase || seen.size !== expected.size || !(await reader.atEnd())) throw damagedError();
    return { manifest, databaseFile, documentsDir };
  } finally {
    await handle.close();
  }
}
