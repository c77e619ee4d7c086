import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { ARCHIVE_EXTENSION, deriveArchiveKey, extractBackup, readBackupManifest, writeBackupArchive, type ArchiveKey } from './archive.js';
import { HEADER_LENGTH } from './crypto-stream.js';

const PASSPHRASE = 'cheval agrafe batterie correcte 1987';
const CHUNK = 4096;
let root: string;
let key: ArchiveKey;
let archive: string;
const dbBytes = randomBytes(3 * CHUNK + 517);
const docA = randomBytes(9000);
const docB = Buffer.from('%PDF-1.4 petit document');

const manifestBase = {
  format: 1 as const,
  takenAt: '2026-12-02T01:00:00.000Z',
  reason: 'nightly' as const,
  appVersion: '0.1.0',
  lastMigration: '0014_school_years_and_classes',
  counts: { families: 3, ledger_entries: 12 },
  lastReceiptNumbers: { '2026': 41 },
  lastInvoiceNumbers: { '2026': 7 },
  commune: 'Test-sur-Mer',
};

function chunkOffsets(file: Buffer): number[] {
  const out: number[] = [];
  for (let pos = HEADER_LENGTH; pos < file.length; pos += 4 + 12 + file.readUInt32BE(pos) + 16) out.push(pos);
  return out;
}

function nth(list: number[], i: number): number {
  const v = list[i];
  if (v === undefined) throw new Error(`no item ${i}`);
  return v;
}

async function expectRefused(file: string, code: 'BACKUP_DAMAGED' | 'BACKUP_PASSPHRASE', secret: string = PASSPHRASE): Promise<void> {
  const dest = fs.mkdtempSync(path.join(root, 'out-'));
  const err = await extractBackup(file, secret, dest).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  expect((err as DomainError).message).toBe(code === 'BACKUP_DAMAGED'
    ? 'Cette sauvegarde est endommagée ou a été modifiée : elle ne peut pas être restaurée.'
    : 'Phrase de passe incorrecte pour cette sauvegarde.');
}

function variant(name: string, change: (buf: Buffer) => Buffer): string {
  const file = path.join(root, `${name}${ARCHIVE_EXTENSION}`);
  fs.writeFileSync(file, change(Buffer.from(fs.readFileSync(archive))));
  return file;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-archive-'));
  const src = path.join(root, 'src');
  fs.mkdirSync(path.join(src, 'documents', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(src, 'eticket.sqlite'), dbBytes);
  fs.writeFileSync(path.join(src, 'documents', 'a.png'), docA);
  fs.writeFileSync(path.join(src, 'documents', 'sub', 'b.pdf'), docB);
  key = await deriveArchiveKey(PASSPHRASE);
  archive = path.join(root, `eticket-test-2026-12-02-0200${ARCHIVE_EXTENSION}`);
  await writeBackupArchive(archive, key, {
    manifest: manifestBase, databaseFile: path.join(src, 'eticket.sqlite'), documentsDir: path.join(src, 'documents'),
  }, { chunkSize: CHUNK });
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('backup archive', () => {
  it('round-trips manifest, database and documents byte for byte', async () => {
    const dest = path.join(root, 'restored');
    const out = await extractBackup(archive, PASSPHRASE, dest);
    expect(out.databaseFile).toBe(path.join(dest, 'eticket.sqlite'));
    expect(fs.readFileSync(out.databaseFile).equals(dbBytes)).toBe(true);
    expect(fs.readFileSync(path.join(out.documentsDir, 'a.png')).equals(docA)).toBe(true);
    expect(fs.readFileSync(path.join(out.documentsDir, 'sub', 'b.pdf')).equals(docB)).toBe(true);
    expect(out.manifest.counts).toEqual({ families: 3, ledger_entries: 12 });
    expect(out.manifest.documents.map((d) => d.path)).toEqual(['a.png', 'sub/b.pdf']);
    expect(out.manifest.database?.size).toBe(dbBytes.length);
    // No temp file is left beside the archive.
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('reads the manifest alone, with the passphrase or the stored key', async () => {
    expect((await readBackupManifest(archive, PASSPHRASE)).lastReceiptNumbers).toEqual({ '2026': 41 });
    expect((await readBackupManifest(archive, key)).commune).toBe('Test-sur-Mer');
  });

  it('keeps the passphrase and the plain data out of the file', () => {
    const raw = fs.readFileSync(archive);
    expect(raw.includes(Buffer.from(PASSPHRASE))).toBe(false);
    expect(raw.includes(Buffer.from('Test-sur-Mer'))).toBe(false);
    expect(raw.includes(docB)).toBe(false);
    expect(raw.includes(key.key)).toBe(false);
  });

  it('refuses a wrong passphrase in French', async () => {
    await expectRefused(archive, 'BACKUP_PASSPHRASE', 'une autre phrase de passe');
    await expect(readBackupManifest(archive, 'mauvaise')).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE' });
  });

  it('refuses any flipped byte: header, lengths, nonces, ciphertext, tags', async () => {
    const size = fs.statSync(archive).size;
    const offsets = chunkOffsets(fs.readFileSync(archive));
    expect(offsets.length).toBeGreaterThanOrEqual(4);
    const spots = [3, 20, 40, 60, nth(offsets, 1), nth(offsets, 1) + 5, nth(offsets, 1) + 100, nth(offsets, 2) + 4 + 12 + 10, size - 1, size - 20];
    for (const spot of spots) {
      await expectRefused(variant(`flip-${spot}`, (b) => { b.writeUInt8(b.readUInt8(spot) ^ 0x01, spot); return b; }), 'BACKUP_DAMAGED');
    }
  });

  it('refuses a cut file, at a chunk boundary or inside one, and bytes added after the end', async () => {
    const offsets = chunkOffsets(fs.readFileSync(archive));
    await expectRefused(variant('cut-boundary', (b) => b.subarray(0, nth(offsets, offsets.length - 1))), 'BACKUP_DAMAGED');
    await expectRefused(variant('cut-middle', (b) => b.subarray(0, nth(offsets, 2) + 50)), 'BACKUP_DAMAGED');
    await expectRefused(variant('cut-header', (b) => b.subarray(0, 30)), 'BACKUP_DAMAGED');
    await expectRefused(variant('empty', () => Buffer.alloc(0)), 'BACKUP_DAMAGED');
    await expectRefused(variant('appended', (b) => Buffer.concat([b, randomBytes(40)])), 'BACKUP_DAMAGED');
    await expectRefused(path.join(root, 'absent.etkbackup'), 'BACKUP_DAMAGED');
  });

  it('refuses two chunks swapped, and a chunk repeated', async () => {
    const offsets = chunkOffsets(fs.readFileSync(archive));
    const swap = (b: Buffer): Buffer => Buffer.concat([
      b.subarray(0, nth(offsets, 1)), b.subarray(nth(offsets, 2), nth(offsets, 3)), b.subarray(nth(offsets, 1), nth(offsets, 2)), b.subarray(nth(offsets, 3)),
    ]);
    await expectRefused(variant('swapped', swap), 'BACKUP_DAMAGED');
    const repeat = (b: Buffer): Buffer => Buffer.concat([b.subarray(0, nth(offsets, 2)), b.subarray(nth(offsets, 1), nth(offsets, 2)), b.subarray(nth(offsets, 2))]);
    await expectRefused(variant('repeated', repeat), 'BACKUP_DAMAGED');
  });

  it('refuses an archive of another key spliced with this one\'s header', async () => {
    const other = path.join(root, `other${ARCHIVE_EXTENSION}`);
    const src = path.join(root, 'src');
    await writeBackupArchive(other, key, { manifest: manifestBase, databaseFile: path.join(src, 'eticket.sqlite'), documentsDir: path.join(src, 'documents') }, { chunkSize: CHUNK });
    const spliced = Buffer.concat([fs.readFileSync(archive).subarray(0, HEADER_LENGTH), fs.readFileSync(other).subarray(HEADER_LENGTH)]);
    const file = path.join(root, `spliced${ARCHIVE_EXTENSION}`);
    fs.writeFileSync(file, spliced);
    await expectRefused(file, 'BACKUP_DAMAGED');
  });

  it('leaves no file under the real name when writing fails', async () => {
    const dest = path.join(root, `failed${ARCHIVE_EXTENSION}`);
    await expect(writeBackupArchive(dest, key, {
      manifest: manifestBase, databaseFile: path.join(root, 'missing.sqlite'), documentsDir: path.join(root, 'src', 'documents'),
    })).rejects.toThrow();
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.readdirSync(root).filter((f) => f.includes('failed'))).toEqual([]);
  });
});
