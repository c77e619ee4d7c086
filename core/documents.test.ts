/**
 * "Mes documents" with core on the in-memory DocumentStore (core/adapters/memory-documents.ts):
 * the second real adapter of the port, no data folder at all. Filing, reading back, refusing,
 * a file gone missing, and the GDPR export and anonymisation all go through the store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryDocumentStore, receivedBytes, type MemoryDocumentStore } from './adapters/memory-documents.js';
import { portsOf, type CoreContext } from './context.js';
import { listDocuments, openDocument, storeUploadedDocument } from './documents.js';
import { anonymiseFamily } from './gdpr/anonymise.js';
import { exportFamilyData } from './gdpr/export.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
let store: MemoryDocumentStore;
let ctx: CoreContext;

beforeEach(async () => {
  t = await createTestDb();
  store = memoryDocumentStore();
  ctx = { ...t.ctx, ports: { ...portsOf(t.ctx), documents: store } };
});
afterEach(async () => {
  await t.db.destroy();
});

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

function upload(bytes: Uint8Array, title = 'Attestation CAF') {
  const file = receivedBytes(bytes);
  const done = storeUploadedDocument(ctx, t.actors.parent, { familyId: t.ids.familyId, childId: t.ids.childJuliaId, title, originalName: 'caf.pdf', upload: file });
  return { file, done };
}

describe('documents on an in-memory store', () => {
  it('files an upload under a random name, reads it back for its family only, and discards the upload', async () => {
    const { file, done } = upload(pdf);
    const record = await done;
    expect(record).toMatchObject({ title: 'Attestation CAF', mimeType: 'application/pdf', sizeBytes: pdf.byteLength, status: 'pending', childFirstName: 'Julia' });
    expect(file.discarded).toBe(true);
    const [name] = [...store.files.keys()];
    expect(name).toMatch(/^[0-9a-f]{40}\.pdf$/);
    expect((await t.db('documents').where('id', record.id).first()).stored_name).toBe(name);

    const opened = await openDocument(ctx, t.actors.parent, { documentId: record.id });
    expect(opened).toMatchObject({ mimeType: 'application/pdf', downloadName: 'caf.pdf', sizeBytes: pdf.byteLength });
    expect((await readAll(opened.stream())).equals(pdf)).toBe(true);
    expect((await openDocument(ctx, t.actors.secretariat, { documentId: record.id })).sizeBytes).toBe(pdf.byteLength);
    await expect(openDocument(ctx, t.actors.otherParent, { documentId: record.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listDocuments(ctx, t.actors.parent, t.ids.familyId)).map((d) => d.id)).toEqual([record.id]);
  });

  it('refuses a file by its bytes, not its name, keeping nothing; the upload is discarded all the same', async () => {
    const { file, done } = upload(Buffer.from('MZ\x90\x00 not a pdf'));
    await expect(done).rejects.toThrow(/n’est pas un PDF, un JPEG ou un PNG/);
    expect(file.discarded).toBe(true);
    expect(store.files.size).toBe(0);
    expect(await t.db('documents').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await expect(upload(Buffer.alloc(0)).done).rejects.toThrow(/vide/);
  });

  it('removes the stored file when the row is refused (a child of another family)', async () => {
    const file = receivedBytes(pdf);
    const done = storeUploadedDocument(ctx, t.actors.parent, { familyId: t.ids.familyId, childId: t.ids.otherChildId, title: 'CAF', originalName: 'caf.pdf', upload: file });
    await expect(done).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.files.size).toBe(0);
    expect(file.discarded).toBe(true);
  });

  it('says in French when a document’s file is gone from the store', async () => {
    const record = await upload(pdf).done;
    await store.delete([...store.files.keys()][0]!);
    await expect(openDocument(ctx, t.actors.parent, { documentId: record.id })).rejects.toThrow(/Le fichier de ce document est introuvable/);
  });

  it('the GDPR export reads the files from the store; anonymisation deletes them from it', async () => {
    const a = await upload(pdf).done;
    const b = await upload(pdf, 'Assurance').done;
    expect(store.files.size).toBe(2);
    const out = await exportFamilyData(ctx, t.actors.secretariat, { familyId: t.ids.familyId });
    const zip = await readAll(out.stream);
    // A zip names its entries in clear: both documents are in, none listed as missing.
    for (const d of [a, b]) expect(zip.includes(Buffer.from(`documents/${d.id}-caf.pdf`))).toBe(true);
    expect((await t.db('audit_log').where('action', 'gdpr.export').first()).after_json).toContain('"documents":2');

    await anonymiseFamily(ctx, t.actors.admin, { familyId: t.ids.familyId, body: { confirm: true } });
    expect(store.files.size).toBe(0);
  });
});
