// "Utiliser le serveur de la commune": the addresses accepted, and the check run against a
// real eTicket server (startServer on a temp folder), a closed port, and servers that are
// not eTicket. Plus the session cookie of a central server reached over https.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/bootstrap.js';
import { Browser, createFamily, PASSWORD, startHarness } from '../tests/api/harness.js';
import { checkCentralServer, isPrivateLanHost, NO_SERVER_MESSAGE, parseServerAddress, type CheckFetch } from './central-server.js';

const nodeFetch: CheckFetch = (url, init) => fetch(url, init);

describe('isPrivateLanHost', () => {
  it('accepts the mairie network ranges, .local names and this computer', () => {
    for (const h of ['10.0.0.1', '10.255.255.254', '172.16.0.1', '172.31.255.255', '192.168.1.20', 'serveur.local', 'SERVEUR.LOCAL', '127.0.0.1', 'localhost', '[::1]', '[fd12:3456::1]']) {
      expect(isPrivateLanHost(h), h).toBe(true);
    }
  });

  it('refuses public addresses, look-alikes and bare names', () => {
    for (const h of ['8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.1.1', '11.0.0.1', 'eticket.mairie.fr', 'local', '.local', 'serveur', '10.0.0.1.evil.example', 'local.evil.example', '[2001:db8::1]', '300.1.1.1']) {
      expect(isPrivateLanHost(h), h).toBe(false);
    }
  });
});

describe('parseServerAddress', () => {
  it('keeps the origin of an https address, or an http one on the LAN', () => {
    expect(parseServerAddress('https://eticket.mairie-exemple.fr')).toEqual({ ok: true, origin: 'https://eticket.mairie-exemple.fr' });
    expect(parseServerAddress('  https://ETICKET.mairie-exemple.fr:8443/  ')).toEqual({ ok: true, origin: 'https://eticket.mairie-exemple.fr:8443' });
    expect(parseServerAddress('http://192.168.1.20:3000')).toEqual({ ok: true, origin: 'http://192.168.1.20:3000' });
    expect(parseServerAddress('http://10.0.0.5:3000/staff/familles?x=1')).toEqual({ ok: true, origin: 'http://10.0.0.5:3000' });
    expect(parseServerAddress('http://mairie.local:3000/')).toEqual({ ok: true, origin: 'http://mairie.local:3000' });
  });

  it('guesses the scheme when it is missing: http on the LAN, https elsewhere', () => {
    expect(parseServerAddress('192.168.1.20:3000')).toEqual({ ok: true, origin: 'http://192.168.1.20:3000' });
    expect(parseServerAddress('eticket.mairie-exemple.fr')).toEqual({ ok: true, origin: 'https://eticket.mairie-exemple.fr' });
  });

  it('refuses plain http on the internet, with the reason in French', () => {
    const r = parseServerAddress('http://eticket.mairie-exemple.fr');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/réseau local de la mairie/);
      expect(r.message).toMatch(/en clair/);
      expect(r.message).toMatch(/https:\/\//);
    }
    expect(parseServerAddress('http://8.8.8.8:3000').ok).toBe(false);
    expect(parseServerAddress('http://172.32.0.1:3000').ok).toBe(false);
  });

  it('refuses empty, hostile or foreign input with a French message', () => {
    const message = (input: unknown) => {
      const r = parseServerAddress(input);
      return r.ok ? null : r.message;
    };
    expect(message('')).toBe('Indiquez l’adresse du serveur de la commune.');
    expect(message('   ')).toBe('Indiquez l’adresse du serveur de la commune.');
    expect(message(42)).toBe('Indiquez l’adresse du serveur de la commune.');
    expect(message(null)).toBe('Indiquez l’adresse du serveur de la commune.');
    expect(message(`https://${'a'.repeat(400)}.fr`)).toMatch(/^Adresse invalide/);
    expect(message('ftp://192.168.1.20')).toMatch(/^Adresse invalide/);
    expect(message('file:///etc/passwd')).toMatch(/^Adresse invalide/);
    expect(message('javascript:alert(1)')).toMatch(/^Adresse invalide/);
    expect(message('https://mairie fr')).toMatch(/^Adresse invalide/);
    expect(message('https://admin:pw@eticket.mairie.fr')).toMatch(/identifiant/);
    expect(message('http://192.168.1.20:3000@evil.example/')).not.toBeNull();
    expect(message('https://eticket.mairie.fr/portail/')).toMatch(/sans chemin/);
  });
});

describe('checkCentralServer', () => {
  let server: RunningServer;
  let dataDir: string;
  let foreign: http.Server;
  let foreignUrl: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-central-'));
    server = await startServer({ host: '127.0.0.1', port: 0, config: { dataDir, demo: false }, log: () => {} });
    // A web server that is not eTicket: /healthz redirects, the rest is a plain page.
    foreign = http.createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(302, { Location: `${server.url}/healthz` });
        res.end();
      } else if (req.url === '/other/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"up"}');
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<h1>Bienvenue</h1>');
      }
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => foreign?.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('recognises a real eTicket server and reads its commune', async () => {
    const result = await checkCentralServer(server.url, nodeFetch);
    expect(result.ok).toBe(true);
    if (result.ok) expect(typeof result.communeName).toBe('string');
  });

  it('says "Aucun serveur eTicket ne répond à cette adresse." for a closed port', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    expect(await checkCentralServer(`http://127.0.0.1:${port}`, nodeFetch, 2_000)).toEqual({ ok: false, message: NO_SERVER_MESSAGE });
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('refuses a server that is not eTicket, or that redirects elsewhere', async () => {
    expect(await checkCentralServer(foreignUrl, nodeFetch)).toEqual({ ok: false, message: NO_SERVER_MESSAGE });
    const stub = (answers: Record<string, unknown>): CheckFetch => async (url) => {
      const body = answers[new URL(url).pathname];
      return { ok: body !== undefined, status: body === undefined ? 404 : 200, json: async () => body };
    };
    expect((await checkCentralServer('https://x.fr', stub({ '/healthz': { status: 'up' } }))).ok).toBe(false);
    expect((await checkCentralServer('https://x.fr', stub({ '/healthz': { ok: true } }))).ok).toBe(false);
    expect((await checkCentralServer('https://x.fr', stub({ '/healthz': { ok: true }, '/api/public/commune': { name: 12 } }))).ok).toBe(false);
    expect(await checkCentralServer('https://x.fr', stub({ '/healthz': { ok: true }, '/api/public/commune': { name: 'Saint-Exemple' } }))).toEqual({ ok: true, communeName: 'Saint-Exemple' });
  });

  it('explains an https certificate this computer does not trust', async () => {
    const failing: CheckFetch = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    };
    const r = await checkCentralServer('https://eticket.mairie-exemple.fr', failing);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.startsWith(NO_SERVER_MESSAGE)).toBe(true);
      expect(r.message).toMatch(/certificat/);
    }
    const chromium: CheckFetch = async () => {
      throw new Error('net::ERR_CERT_AUTHORITY_INVALID');
    };
    expect(await checkCentralServer('https://eticket.mairie-exemple.fr', chromium)).toMatchObject({ ok: false, message: expect.stringMatching(/certificat/) });
  });
});

describe('session cookie of a central server', () => {
  it('is Secure when the desk reaches it over https through the trusted proxy, not otherwise', async () => {
    const h = await startHarness({ config: { trustProxy: 'loopback' } });
    try {
      await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
      const cookieOf = (res: { headers: Headers }) => res.headers.getSetCookie().find((c) => c.startsWith('eticket_session='))!;
      const overHttps = await new Browser(h.url).request('POST', '/api/auth/parent/login', { username: 'chantal.devret', password: PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.status).toBe(200);
      expect(cookieOf(overHttps)).toMatch(/;\s*Secure/i);
      const plain = await new Browser(h.url).loginParent('chantal.devret');
      expect(cookieOf(plain)).not.toMatch(/Secure/i);
    } finally {
      await h.close();
    }
  });

  it('ignores X-Forwarded-Proto from an untrusted client', async () => {
    const h = await startHarness();
    try {
      await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
      const res = await new Browser(h.url).request('POST', '/api/auth/parent/login', { username: 'chantal.devret', password: PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.getSetCookie().find((c) => c.startsWith('eticket_session='))).not.toMatch(/Secure/i);
    } finally {
      await h.close();
    }
  });
});
