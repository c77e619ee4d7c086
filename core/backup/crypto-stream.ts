import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { DomainError } from '../errors.js';

/**
 * The encrypted layer of an .etkbackup file.
 *
 *   header (64 bytes): magic "ETKBKP\r\n" | version u8 | log2(N) u8 | r u8 | p u8 | chunk size u32 |
 *                      scrypt salt 16 | archive id 16 | key check 8 | sha256(previous bytes)[0..8]
 *   chunks:            length u32 | nonce 12 | ciphertext | GCM tag 16
 *
 * Each chunk is AES-256-GCM under a key derived (HKDF) from the scrypt key and the archive id; its
 * AAD is the header, its index (u64) and a final flag, so a flipped byte, a removed, repeated or
 * swapped chunk, and a cut file are all detected. The key check (an HMAC of the header by the key)
 * tells a wrong passphrase from a damaged file; the header's own checksum tells a damaged header.
 */

export const MAGIC = Buffer.from('ETKBKP\r\n', 'latin1');
export const FORMAT_VERSION = 1;
export const HEADER_LENGTH = 64;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** scrypt cost of new keys: N = 2^15, r = 8, p = 1 (about 32 MiB and 0.1 s). */
export const DEFAULT_SCRYPT = { logN: 15, r: 8, p: 1 } as const;

export interface ScryptParams { logN: number; r: number; p: number }
/** A key derived from the passphrase, with what derived it (so nightly backups need no person). */
export interface ArchiveKey { key: Buffer; salt: Buffer; scrypt: ScryptParams }

export const passphraseError = (): DomainError =>
  new DomainError('BACKUP_PASSPHRASE', 'Phrase de passe incorrecte pour cette sauvegarde.');
export const damagedError = (): DomainError =>
  new DomainError('BACKUP_DAMAGED', 'Cette sauvegarde est endommagée ou a été modifiée : elle ne peut pas être restaurée.');

function scryptAsync(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Derives the archive key from a passphrase (async scrypt: the event loop stays free). */
export async function deriveArchiveKey(passphrase: string, salt: Buffer = randomBytes(16), params: ScryptParams = DEFAULT_SCRYPT): Promise<ArchiveKey> {
  if (params.logN < 15 || params.logN > 20 || params.r < 1 || params.r > 16 || params.p < 1 || params.p > 4) {
    throw new Error('scrypt parameters out of range');
  }
  return { key: await scryptAsync(passphrase, salt, params), salt: Buffer.from(salt), scrypt: { ...params } };
}

function keyCheck(key: Buffer, headerStart: Buffer): Buffer {
  return createHmac('sha256', key).update('eticket-backup-key-check').update(headerStart).digest().subarray(0, 8);
}

function chunkKey(key: Buffer, archiveId: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, archiveId, 'eticket-backup-chunks', 32));
}

export function buildHeader(archiveKey: ArchiveKey, chunkSize: number, archiveId: Buffer = randomBytes(16)): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 8);
  header.writeUInt8(archiveKey.scrypt.logN, 9);
  header.writeUInt8(archiveKey.scrypt.r, 10);
  header.writeUInt8(archiveKey.scrypt.p, 11);
  header.writeUInt32BE(chunkSize, 12);
  archiveKey.salt.copy(header, 16, 0, 16);
  archiveId.copy(header, 32);
  keyCheck(archiveKey.key, header.subarray(0, 48)).copy(header, 48);
  createHash('sha256').update(header.subarray(0, 56)).digest().copy(header, 56, 0, 8);
  return header;
}

export interface ParsedHeader { raw: Buffer; scrypt: ScryptParams; chunkSize: number; salt: Buffer; archiveId: Buffer }

/** Checks magic, version, checksum and bounds; any mismatch is a damaged file. */
export function parseHeader(raw: Buffer): ParsedHeader {
  if (raw.length !== HEADER_LENGTH || !raw.subarray(0, 8).equals(MAGIC) || raw.readUInt8(8) !== FORMAT_VERSION) throw damagedError();
  const sum = createHash('sha256').update(raw.subarray(0, 56)).digest().subarray(0, 8);
  if (!sum.equals(raw.subarray(56, 64))) throw damagedError();
  const params = { logN: raw.readUInt8(9), r: raw.readUInt8(10), p: raw.readUInt8(11) };
  const chunkSize = raw.readUInt32BE(12);
  // Bounds keep a hostile header from asking for gigabytes of scrypt memory or of buffer.
  if (params.logN < 15 || params.logN > 20 || params.r < 1 || params.r > 16 || params.p < 1 || params.p > 4) throw damagedError();
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) throw damagedError();
  return { raw, scrypt: params, chunkSize, salt: Buffer.from(raw.subarray(16, 32)), archiveId: Buffer.from(raw.subarray(32, 48)) };
}

/** True when the key is the one this archive was written with. */
export function keyMatches(header: ParsedHeader, key: Buffer): boolean {
  return timingSafeEqual(keyCheck(key, header.raw.subarray(0, 48)), header.raw.subarray(48, 56));
}

function aad(header: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail.writeUInt8(final ? 1 : 0, 8);
  return Buffer.concat([header, tail]);
}

/** Writes the header then encrypts what it is given in chunks; `finish` writes the final chunk. */
export class ChunkWriter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private index = 0;
  private readonly key: Buffer;
  bytesWritten = 0;

  constructor(private readonly file: FileHandle, private readonly header: Buffer, archiveKey: ArchiveKey, private readonly chunkSize: number) {
    this.key = chunkKey(archiveKey.key, header.subarray(32, 48));
  }

  async start(): Promise<void> {
    await this.writeRaw(this.header);
  }

  async write(data: Buffer): Promise<void> {
    if (data.length === 0) return;
    this.pending.push(data);
    this.pendingLength += data.length;
    // Strictly more than a chunk: the last full chunk waits, since only `finish` knows it is final.
    while (this.pendingLength > this.chunkSize) {
      const all = Buffer.concat(this.pending);
      await this.writeChunk(all.subarray(0, this.chunkSize), false);
      const rest = all.subarray(this.chunkSize);
      this.pending = [rest];
      this.pendingLength = rest.length;
    }
  }

  async finish(): Promise<void> {
    await this.writeChunk(Buffer.concat(this.pending), true);
    this.pending = [];
    this.pendingLength = 0;
  }

  private async writeChunk(plain: Buffer, final: boolean): Promise<void> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(aad(this.header, this.index, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    await this.writeRaw(Buffer.concat([length, nonce, body, cipher.getAuthTag()]));
    this.index += 1;
  }

  private async writeRaw(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.file.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.bytesWritten += buf.length;
  }
}

async function readFully(file: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

export async function readHeader(file: FileHandle): Promise<ParsedHeader> {
  return parseHeader(await readFully(file, HEADER_LENGTH, 0));
}

/**
 * Decrypts the chunks one by one, each checked before it is yielded. A missing final chunk,
 * bytes after it, or a chunk whose tag fails all throw BACKUP_DAMAGED.
 */
export async function* decryptChunks(file: FileHandle, header: ParsedHeader, key: Buffer): AsyncGenerator<Buffer> {
  const ckey = chunkKey(key, header.archiveId);
  const { size } = await file.stat();
  let position = HEADER_LENGTH;
  for (let index = 0; ; index += 1) {
    const lengthBuf = await readFully(file, 4, position);
    if (lengthBuf.length < 4) throw damagedError();
    const length = lengthBuf.readUInt32BE(0);
    if (length > header.chunkSize) throw damagedError();
    const rest = await readFully(file, 12 + length + 16, position + 4);
    if (rest.length < 12 + length + 16) throw damagedError();
    position += 4 + rest.length;
    const final = position === size;
    const decipher = createDecipheriv('aes-256-gcm', ckey, rest.subarray(0, 12));
    decipher.setAAD(aad(header.raw, index, final));
    decipher.setAuthTag(rest.subarray(12 + length));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(rest.subarray(12, 12 + length)), decipher.final()]);
    } catch {
      // Wrong tag: a changed byte, a chunk out of its place, or a non-final chunk where the file was cut.
      throw damagedError();
    }
    yield plain;
    if (final) return;
  }
}
