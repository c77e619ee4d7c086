import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../db/index.js';
import { openTestDb } from '../../db/test-db.js';
import { FixedClock } from '../../core/clock.js';
import { hashPassword } from '../../core/auth.js';
import { createServer } from '../../server/app.js';
import type { ServerConfig } from '../../server/config.js';

/**
 * In-process API harness: a real SQLite database (in memory), the real Express app on an
 * ephemeral port, a pinned clock, and a small cookie-keeping fetch client per user.
 */

export const PASSWORD = 'mot-de-passe-test';

export interface Harness {
  db: Db;
  clock: FixedClock;
  url: string;
  config: ServerConfig;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { now?: string; db?: Db; clock?: FixedClock; config?: Partial<ServerConfig> } = {},
): Promise<Harness> {
  const db = opts.db ?? (await openTestDb());
  const clock = opts.clock ?? new FixedClock(opts.now ?? '2026-05-20T08:00:00Z');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-api-'));
  const config: ServerConfig = { dataDir, publicUrl: 'http://portail.test', demo: false, secureCookies: false, ...opts.config };
  const app = createServer({ db, config, clock });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    clock,
    url,
    config,
    dataDir,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  bytes?: Uint8Array;
}

/** One browser: keeps the session cookie and the CSRF token. */
export class Browser {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    p: string,
    body?: unknown,
    opts: { csrf?: boolean; raw?: boolean; headers?: Record<string, string>; formData?: FormData } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (opts.formData) payload = opts.formData;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.base + p, { method, headers, body: payload, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === 'eticket_session') this.cookie = value ? `eticket_session=${value}` : '';
      if (name === 'eticket_session' && /Expires=Thu, 01 Jan 1970/i.test(c)) this.cookie = '';
    }
    const type = res.headers.get('content-type') ?? '';
    if (opts.raw || !type.includes('json')) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, body: undefined as T, headers: res.headers, bytes };
    }
    const json = (await res.json()) as T;
    if (json && typeof json === 'object' && 'csrfToken' in json) this.csrf = String((json as { csrfToken: string }).csrfToken);
    return { status: res.status, body: json, headers: res.headers };
  }

  get<T = Record<string, unknown>>(p: string, opts?: { raw?: boolean }) {
    return this.request<T>('GET', p, undefined, opts);
  }
  post<T = Record<string, unknown>>(p: string, body?: unknown, opts?: { csrf?: boolean; formData?: FormData }) {
    return this.request<T>('POST', p, body ?? {}, opts);
  }
  put<T = Record<string, unknown>>(p: string, body?: unknown, opts?: { csrf?: boolean }) {
    return this.request<T>('PUT', p, body ?? {}, opts);
  }
  delete<T = Record<string, unknown>>(p: string, opts?: { csrf?: boolean }) {
    return this.request<T>('DELETE', p, undefined, opts);
  }

  async loginParent(username: string, password = PASSWORD) {
    return this.post('/api/auth/parent/login', { username, password });
  }
  async loginStaff(username: string, password = PASSWORD) {
    return this.post('/api/auth/staff/login', { username, password });
  }
}

let cachedHash: Promise<string> | undefined;
const passwordHash = () => (cachedHash ??= hashPassword(PASSWORD));

const ts = '2026-01-01T00:00:00.000Z';

export async function insertId(db: Db, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? Number((r as { id: number }).id) : Number(r);
}

export interface FamilyFixture {
  familyId: number;
  parentAccountId: number;
  username: string;
  contactId: number;
  childIds: number[];
}

/** A family with one MERE card, a parent login and the given children. */
export async function createFamily(
  db: Db,
  opts: { name: string; username: string; children?: string[]; mustChangePassword?: boolean; email?: string },
): Promise<FamilyFixture> {
  const familyId = await insertId(db, 'families', {
    code: `F-${opts.name}`,
    name: opts.name,
    quotient_familial: 800,
    search_text: opts.name.toLowerCase(),
    created_at: ts,
    updated_at: ts,
  });
  const contactId = await insertId(db, 'contacts', {
    family_id: familyId,
    relationship: 'MERE',
    last_name: opts.name,
    first_name: 'Maman',
    address1: '1 rue des Écoles',
    postal_code: '33220',
    city: 'PORT-SAINTE-FOY',
    mobile: '06 07 89 70 15',
    email: opts.email ?? `${opts.username}@exemple.fr`,
    use_for_billing: true,
    emergency_contact: true,
    authorized_pickup: true,
    created_at: ts,
    updated_at: ts,
  });
  const parentAccountId = await insertId(db, 'parent_accounts', {
    family_id: familyId,
    contact_id: contactId,
    username: opts.username,
    email: opts.email ?? `${opts.username}@exemple.fr`,
    password_hash: await passwordHash(),
    must_change_password: opts.mustChangePassword ?? false,
    created_at: ts,
    updated_at: ts,
  });
  const childIds: number[] = [];
  for (const first of opts.children ?? []) {
    childIds.push(
      await insertId(db, 'children', {
        family_id: familyId,
        first_name: first,
        last_name: opts.name,
        birth_date: '2017-03-04',
        class_name: 'CE1',
        created_at: ts,
        updated_at: ts,
      }),
    );
  }
  return { familyId, parentAccountId, username: opts.username, contactId, childIds };
}

export async function createStaff(db: Db, username: string, role: 'admin' | 'secretariat' | 'restauration'): Promise<number> {
  return insertId(db, 'staff_users', {
    username,
    display_name: `Agent ${username}`,
    role,
    password_hash: await passwordHash(),
    must_change_password: false,
    created_at: ts,
    updated_at: ts,
  });
}

/** Gives the accounts of core/test-support.ts a real password (PASSWORD). */
export async function setPasswords(db: Db): Promise<void> {
  await db('parent_accounts').update({ password_hash: await passwordHash() });
  await db('staff_users').update({ password_hash: await passwordHash() });
}

/** A browser signed in as a staff account of core/test-support.ts (after setPasswords). */
export async function signedInStaff(h: Harness, username: string): Promise<Browser> {
  const b = new Browser(h.url);
  const res = await b.loginStaff(username);
  if (res.status !== 200) throw new Error(`sign-in of ${username} refused: ${res.status} ${JSON.stringify(res.body)}`);
  return b;
}

/** Row counts of every table a parent route may write, to prove that a refused request wrote nothing. */
export async function snapshotCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'bookings',
    'subscriptions',
    'ledger_entries',
    'contacts',
    'children',
    'documents',
    'message_threads',
    'messages',
    'audit_log',
    'online_payments',
    'invoices',
    'mail_outbox',
    'password_resets',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await db(t).count({ n: '*' }).first();
    out[t] = Number(row?.n ?? 0);
  }
  // Updates leave counts unchanged: fingerprint the rows parents may edit as well.
  const contacts = await db('contacts').orderBy('id').select();
  const children = await db('children').orderBy('id').select();
  const bookings = await db('bookings').orderBy('id').select();
  const messages = await db('messages').orderBy('id').select();
  const documents = await db('documents').orderBy('id').select();
  const subs = await db('subscriptions').orderBy('id').select();
  out.fingerprint = hashOf(JSON.stringify([contacts, children, bookings, messages, documents, subs]));
  return out;
}

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
