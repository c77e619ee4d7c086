import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/precompress.js';
import { chooseCoding } from '../../server/encoding.js';
import { Browser, createFamily, startHarness, type Harness } from './harness.js';

/** Raw HTTP, so the test sees the bytes on the wire (fetch would decompress them). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const JS = `export const planning = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `jour ${i} cantine garderie`))};\n`;
const HASHED = 'assets/index-BIzgsEp_.js';

let h: Harness;
let webDist: string;

beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-wire-web-'));
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'index.html'), `<!doctype html><html lang="fr"><title>eTicket</title>${'<!-- portail -->'.repeat(40)}<div id="root"></div></html>`);
  fs.writeFileSync(path.join(webDist, HASHED), JS);
  fs.writeFileSync(path.join(webDist, 'robots.txt'), 'User-agent: *\n');
  fs.writeFileSync(path.join(webDist, 'assets', 'logo-AbCdEf12.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]));
  precompressDir(webDist);
  h = await startHarness({ config: { webDist } });
});

afterAll(async () => {
  await h.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

describe('build precompression', () => {
  it('writes .br and .gz next to text files that decompress to the same bytes, and none for images or tiny files', () => {
    const js = path.join(webDist, HASHED);
    expect(zlib.brotliDecompressSync(fs.readFileSync(`${js}.br`)).toString()).toBe(JS);
    expect(zlib.gunzipSync(fs.readFileSync(`${js}.gz`)).toString()).toBe(JS);
    expect(fs.existsSync(path.join(webDist, 'assets', 'logo-AbCdEf12.png.br'))).toBe(false);
    // 14 bytes: a compressed copy would be larger, so none is kept.
    expect(fs.existsSync(path.join(webDist, 'robots.txt.br'))).toBe(false);
  });
});

describe('Accept-Encoding negotiation', () => {
  it('prefers brotli, honours q=0 and the wildcard', () => {
    expect(chooseCoding('gzip, deflate, br, zstd', ['br', 'gzip'])).toBe('br');
    expect(chooseCoding('gzip', ['br', 'gzip'])).toBe('gzip');
    expect(chooseCoding('br;q=0, gzip;q=0.5', ['br', 'gzip'])).toBe('gzip');
    expect(chooseCoding('*', ['br', 'gzip'])).toBe('br');
    expect(chooseCoding('*;q=0', ['br', 'gzip'])).toBeNull();
    expect(chooseCoding('identity', ['br', 'gzip'])).toBeNull();
    expect(chooseCoding(undefined, ['br', 'gzip'])).toBeNull();
    expect(chooseCoding('BR;Q=0.9', ['gzip'])).toBeNull();
  });
});

describe('static client files on a poor line', () => {
  it('sends the brotli file with its type, length, Vary and a year of immutable caching', async () => {
    const r = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers.vary).toMatch(/Accept-Encoding/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(JS) / 4);
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(JS);
  });

  it('sends gzip to a gzip-only client and the plain file to a client that accepts nothing', async () => {
    const gz = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(JS);

    const plain = await raw(`${h.url}/${HASHED}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.body.toString()).toBe(JS);
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(JS));
    // Each representation has its own validator.
    expect(plain.headers.etag).not.toBe(gz.headers.etag);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const r = await raw(`${h.url}/${HASHED}`, { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(Number(r.headers['content-length'])).toBe(fs.statSync(path.join(webDist, `${HASHED}.br`)).size);
    expect(r.body.length).toBe(0);
  });

  it('answers 304 to a matching If-None-Match, per representation', async () => {
    const first = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'br' } });
    const again = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The brotli validator does not stand for the gzip bytes.
    const other = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) } });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });

  it('serves a Range from the plain file, and 416 beyond its end', async () => {
    const r = await raw(`${h.url}/${HASHED}`, { headers: { 'accept-encoding': 'br', range: 'bytes=7-19' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-range']).toBe(`bytes 7-19/${Buffer.byteLength(JS)}`);
    expect(r.body.toString()).toBe(JS.slice(7, 20));
    const suffix = await raw(`${h.url}/${HASHED}`, { headers: { range: 'bytes=-5' } });
    expect(suffix.body.toString()).toBe(JS.slice(-5));
    const beyond = await raw(`${h.url}/${HASHED}`, { headers: { range: 'bytes=999999-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${Buffer.byteLength(JS)}`);
  });

  it('sends index.html compressed and never cached without revalidation, for every client route', async () => {
    for (const p of ['/', '/planning', '/dossier?x=1', '/connexion']) {
      const r = await raw(`${h.url}${p}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(r.status, p).toBe(200);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-encoding']).toBe('br');
      expect(zlib.brotliDecompressSync(r.body).toString()).toContain('<div id="root">');
    }
    const direct = await raw(`${h.url}/index.html`);
    expect(direct.headers['cache-control']).toBe('no-cache');
  });

  it('asks the browser to fetch the first API answers with the page, only for a signed-in visitor', async () => {
    const signedIn = await raw(`${h.url}/planning`, { headers: { cookie: 'eticket_session=abc' } });
    expect(signedIn.headers.link).toBe(
      ['/api/auth/me', '/api/parent/messages/unread', '/api/parent/planning'].map((u) => `<${u}>; rel=preload; as=fetch; crossorigin`).join(', '),
    );
    const otherWeek = await raw(`${h.url}/planning?week=2026-05-04`, { headers: { cookie: 'eticket_session=abc' } });
    expect(otherWeek.headers.link).not.toContain('/api/parent/planning');
    const dossier = await raw(`${h.url}/dossier`, { headers: { cookie: 'eticket_session=abc' } });
    expect(dossier.headers.link).toContain('/api/auth/me');
    expect((await raw(`${h.url}/planning`)).headers.link).toBeUndefined();
  });

  it('leaves images as they are, answers 404 for a missing asset and refuses to leave the build folder', async () => {
    const png = await raw(`${h.url}/assets/logo-AbCdEf12.png`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // An old hashed file after a new build: a 404, not index.html served as JavaScript.
    const gone = await raw(`${h.url}/assets/index-OldOld12.js`, { headers: { accept: 'text/html' } });
    expect(gone.status).toBe(404);
    const unhashed = await raw(`${h.url}/robots.txt`);
    expect(unhashed.headers['cache-control']).toBe('no-cache');
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%00.js', '/assets/index-BIzgsEp_.js.br']) {
      const r = await raw(`${h.url}${p}`);
      expect(r.status, p).toBeLessThan(500);
      // At most the portal's own page, never a file from outside the build nor a variant by its name.
      if (r.status === 200) expect(r.body.toString(), p).toContain('<div id="root">');
    }
  });
});

describe('JSON answers', () => {
  it('gzips a JSON answer over 1 KB for a client that accepts it, and not a small one or for one that does not', async () => {
    await createFamily(h.db, { name: 'MARTIN', username: 'claire.martin' });
    const parent = new Browser(h.url);
    await parent.loginParent('claire.martin');
    for (const first of ['Nadia', 'Paul', 'Odile']) {
      const add = await parent.post('/api/parent/contacts', {
        relationship: 'NOUNOU', lastName: 'BERNARD', firstName: first, address1: '3 chemin des Vignes', address2: '', address3: '',
        postalCode: '33220', city: 'Port-Sainte-Foy', phone: '', mobile: '06 11 22 33 44', workPhone: '', workMobile: '', email: '',
        note: 'Récupère les enfants le mercredi à la garderie du soir.', useForBilling: false, emergencyContact: true, authorizedPickup: true,
      });
      expect(add.status).toBe(201);
    }
    const headers = { cookie: parent.cookie };
    const gz = await raw(`${h.url}/api/parent/family`, { headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/^application\/json/);
    expect(gz.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    const plain = await raw(`${h.url}/api/parent/family`, { headers });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(zlib.gunzipSync(gz.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    // The same ETag mechanics as an uncompressed answer: a revalidation costs no body.
    const again = await raw(`${h.url}/api/parent/family`, { headers: { ...headers, 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) } });
    expect(again.status).toBe(304);

    const small = await raw(`${h.url}/api/parent/messages/unread`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    const refused = await raw(`${h.url}/api/parent/family`, { headers: { ...headers, 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });
});
