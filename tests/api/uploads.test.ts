import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { durableFiles } from '../../core/durable-files.js';
import { uploadStorage } from '../../server/uploads.js';
import { Browser, createFamily, createStaff, startHarness, type Harness } from './harness.js';

/** Uploads: names shown and sent, a full disk, durability, and oversized bodies. */

let h: Harness;
let parent: Browser;
let staff: Browser;
beforeEach(async () => {
  h = await startHarness();
  await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  await createStaff(h.db, 'secretariat', 'secretariat');
  parent = new Browser(h.url);
  staff = new Browser(h.url);
  await parent.loginParent('chantal.devret');
  await staff.loginStaff('secretariat');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.close();
});

const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
function form(bytes: Uint8Array, name: string) {
  const f = new FormData();
  f.set('title', 'Attestation CAF');
  f.set('file', new Blob([new Uint8Array(bytes)]), name);
  return f;
}
const upload = (bytes: Uint8Array, name: string) =>
  parent.post<{ id: number; originalName: string; error?: { code: string; message: string } }>('/api/parent/documents', undefined, { formData: form(bytes, name) });

describe('download names', () => {
  it('names a staff download after the sniffed type, never the parent’s ".html", without bidi or control characters', async () => {
    // Shown as "rapport‮lmth.pdf" with the override: reads "rapportfdp.html" backwards.
    const sent = await upload(pdfBytes, 'rapport\u202Efdp.html\u200F');
    expect(sent.status).toBe(201);
    expect(sent.body.originalName).toBe('rapportfdp.html');
    const list = await staff.get<{ documents: Array<{ originalName: string }> }>('/api/staff/documents');
    expect(list.body.documents.map((d) => d.originalName)).toEqual(['rapportfdp.html']);
    const file = await staff.get(`/api/staff/documents/${sent.body.id}/file`, { raw: true });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = file.headers.get('content-disposition')!;
    expect(disposition).toBe(`inline; filename="rapportfdp.pdf"; filename*=UTF-8''rapportfdp.pdf`);
    expect(Buffer.from(file.bytes!)).toEqual(pdfBytes);
    // A name already stored with a bidi mark (before this rule) is cleaned on the way out too.
    await h.db('documents').where('id', sent.body.id).update({ original_name: 'photo\u202Egpj\u0007\u0085.exe' });
    const again = await staff.get(`/api/staff/documents/${sent.body.id}/file`, { raw: true });
    expect(again.headers.get('content-disposition')).toMatch(/filename="photogpj\.pdf"/);
    const mine = await parent.get(`/api/parent/documents/${sent.body.id}/file`, { raw: true });
    expect(mine.headers.get('content-disposition')).toMatch(/^attachment; filename="photogpj\.pdf"/);
  });
});

describe('a full disk', () => {
  it('fails the upload with a French message, keeps no file or row, and the server keeps serving', async () => {
    vi.spyOn(uploadStorage, 'createWriteStream').mockImplementation(
      () =>
        new Writable({
          write(_chunk, _enc, callback) {
            callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          },
        }),
    );
    const big = Buffer.alloc(512 * 1024, 0x20);
    pdfBytes.copy(big);
    const res = await upload(big, 'attestation.pdf');
    expect(res.status).toBe(507);
    expect(res.body.error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(res.body.error!.message).toMatch(/^Le fichier n’a pas pu être enregistré : l’espace disque du serveur est plein/);
    expect(await h.db('documents').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(fs.readdirSync(path.join(h.dataDir, 'tmp'))).toEqual([]);
    // The same server answers the next requests.
    expect((await parent.get('/api/parent/documents')).status).toBe(200);
    vi.restoreAllMocks();
    expect((await upload(pdfBytes, 'attestation.pdf')).status).toBe(201);
  });

  it('fsyncs the file and its folder before the document row commits', async () => {
    const steps: string[] = [];
    const syncFile = durableFiles.syncFile.bind(durableFiles);
    const syncDir = durableFiles.syncDir.bind(durableFiles);
    vi.spyOn(durableFiles, 'syncFile').mockImplementation((file) => {
      steps.push(`sync file in ${path.basename(path.dirname(file))}/`);
      return syncFile(file);
    });
    vi.spyOn(durableFiles, 'syncDir').mockImplementation((dir) => {
      steps.push(`sync ${path.basename(dir)}/`);
      return syncDir(dir);
    });
    const onQuery = (q: { sql: string }) => {
      if (/^insert into .documents./i.test(q.sql)) steps.push('insert row');
      if (/^commit/i.test(q.sql)) steps.push('commit');
    };
    h.db.on('query', onQuery);
    expect((await upload(pdfBytes, 'attestation.pdf')).status).toBe(201);
    h.db.off('query', onQuery);
    expect(steps.filter((s, i) => s !== 'commit' || steps.indexOf('insert row') < i).slice(0, 4)).toEqual([
      'sync file in tmp/',
      'sync documents/',
      'insert row',
      'commit',
    ]);
  });
});

describe('oversized uploads', () => {
  it('answers 413 from the Content-Length alone, before the body is sent', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${h.url}/api/parent/documents`, {
        method: 'POST',
        headers: {
          cookie: parent.cookie,
          'x-csrf-token': parent.csrf,
          'content-type': 'multipart/form-data; boundary=xyz',
          'content-length': String(50 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.flushHeaders(); // headers only: not a byte of the 50 MB
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'TOO_LARGE', message: expect.stringMatching(/trop volumineux : 5 Mo au maximum/) } });
    expect((await parent.get('/api/parent/documents')).status).toBe(200);
  });
});
