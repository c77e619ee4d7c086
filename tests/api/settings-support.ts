/**
 * Helpers of tests/api/settings-screens.test.ts: a real SMTP server on loopback, the DGFiP's XSD
 * check of a SOAP body (where xmllint and ../shared/payfip-wsdl are present), a port nobody
 * listens on.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { expect } from 'vitest';
import type { Db } from '../../db/index.js';
import { Browser, signedInStaff, type Harness } from './harness.js';

export type ErrorAnswer = { error: { code: string; message: string; details?: { field?: string; issues?: Array<{ path: string }> } } };
export const fieldOf = (body: ErrorAnswer) => body.error.details?.issues?.[0]?.path ?? body.error.details?.field;


export interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that requires the login eticket / secret-smtp-123 and keeps what it receives. */
export async function startSmtp(opts: { rejectRecipient?: string } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'eticket' && auth.password === 'secret-smtp-123') cb(null, { user: auth.username });
      else cb(new Error('Identifiants refusés'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === opts.rejectRecipient) cb(Object.assign(new Error('Boîte inconnue'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A loopback port that was free a moment ago: connecting to it is refused. */
export async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// The DGFiP's schema shared next to the project (as tests/api/split-payment.test.ts finds it).
function findXsd(): string {
  for (let d = path.resolve(__dirname, '..', '..'); d !== path.dirname(d); d = path.dirname(d)) {
    const candidate = path.join(d, 'shared', 'payfip-wsdl', 'PaiementSecuriseService_schema1.xsd');
    if (fs.existsSync(candidate)) return candidate;
  }
  return '';
}
const XSD = process.env.PAYFIP_WSDL_DIR ? path.join(process.env.PAYFIP_WSDL_DIR, 'PaiementSecuriseService_schema1.xsd') : findXsd();
export const canValidateXsd = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return fs.existsSync(XSD);
  } catch {
    return false;
  }
})();

/** The operation element of a SOAP body, with its namespace declared on it, validated by xmllint. */
export function validateBody(envelope: string, element: string): void {
  const m = new RegExp(`<(\\w+):${element}(\\s[^>]*)?>[\\s\\S]*</\\1:${element}>`).exec(envelope);
  expect(m, `${element} dans ${envelope.slice(0, 200)}`).toBeTruthy();
  const prefix = m![1]!;
  const ns = new RegExp(`xmlns:${prefix}="([^"]+)"`).exec(envelope)![1]!;
  const xml = m![2]?.includes(`xmlns:${prefix}=`) ? m![0] : m![0].replace(`<${prefix}:${element}`, `<${prefix}:${element} xmlns:${prefix}="${ns}"`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payfip-xsd-')), 'body.xml');
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>${xml}`);
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
}

/** Bad bodies: each refused 400 with a French message naming `field`, nothing stored under `key`. */
export async function refusesAllBodies(ctx: { db: Db; admin: Browser }, url: string, good: Record<string, unknown>, cases: Array<[string, unknown, RegExp]>, key: string) {
  const before = await ctx.db('settings').where('key', key).first();
  for (const [field, value, message] of cases) {
    const res = await ctx.admin.put<ErrorAnswer>(url, { ...good, [field]: value });
    expect(res.status, `${field}=${JSON.stringify(value)?.slice(0, 40)}`).toBe(400);
    expect(res.body.error.message, field).toMatch(message);
    expect(fieldOf(res.body), field).toBe(field);
  }
  // Hostile bodies: not an object, an extra field, a huge string.
  expect((await ctx.admin.put(url, 'pas un objet')).status).toBe(400);
  expect((await ctx.admin.put(url, [good])).status).toBe(400);
  expect((await ctx.admin.put<ErrorAnswer>(url, { ...good, isAdmin: true })).status).toBe(400);
  for (const k of Object.keys(good).filter((k) => typeof good[k] === 'string')) {
    expect((await ctx.admin.put(url, { ...good, [k]: 'x'.repeat(100_000) })).status, k).toBe(400);
  }
  expect(await ctx.db('settings').where('key', key).first()).toEqual(before);
}

export async function refusedToOthers(h: Harness, method: 'get' | 'put' | 'post', url: string, body: unknown = {}) {
  for (const who of ['secretariat', 'restauration']) {
    const b = await signedInStaff(h, who);
    expect((method === 'get' ? await b.get(url) : await b[method](url, body)).status, `${who} ${url}`).toBe(403);
  }
  const parent = new Browser(h.url);
  expect((await parent.loginParent('chantal.devret')).status).toBe(200);
  expect((method === 'get' ? await parent.get(url) : await parent[method](url, body)).status).toBe(403);
  const anonymous = new Browser(h.url);
  expect((method === 'get' ? await anonymous.get(url) : await anonymous[method](url, body)).status).toBe(401);
}
