import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RIGHTS, type Action, type Right } from '../../api/rights.js';
import type { RouteDef } from '../../api/contract.js';
import { routeGroups, routes } from '../../api/routes/index.js';
import { STAFF_ROLES, type StaffRole } from '../../api/rules.js';
import { hashToken, randomToken } from '../../core/auth.js';
import { tableNames } from '../../db/test-db.js';
import { routePathsSource, ROUTE_PATHS_FILE } from '../../scripts/api-paths.js';
import fs from 'node:fs';
import { createServer } from '../../server/app.js';
import { declaredRoutes } from './declared-routes.js';
import path from 'node:path';
import { Browser, createFamily, createStaff, startHarness, type Harness } from './harness.js';

/**
 * The route table against the policy, generated from the table itself: every route is called
 * signed out, as each of two parents and as each staff role, and the answer must be what
 * api/rights.ts says (401 signed out, 403 for a caller the policy refuses, and then nothing
 * written), and a caller the policy allows is never refused for its role. Then each parent: the
 * parent routes that take an id, called by parent B with family A's real ids, answer 404 and
 * write nothing.
 */

type Caller = 'anonyme' | 'parentA' | 'parentB' | StaffRole;
const CALLERS: Caller[] = ['anonyme', 'parentA', 'parentB', ...STAFF_ROLES];

/** What the policy says of a caller on a route: refused with 401 or 403, or let through. */
export function expectedAccess(def: RouteDef, caller: Caller): 401 | 403 | 'allowed' {
  const access = def.access;
  if (access.kind === 'public') return 'allowed';
  if (caller === 'anonyme') return 401;
  if (access.kind === 'session') return 'allowed';
  const isParent = caller === 'parentA' || caller === 'parentB';
  if (access.kind === 'parent') return isParent ? 'allowed' : 403;
  if (isParent) return 403;
  const right: Right = RIGHTS[access.action as Action];
  return right.staff?.includes(caller as StaffRole) ? 'allowed' : 403;
}

const SAMPLE_PARAMS: Record<string, string> = { date: '2026-05-20', month: '2026-05', slug: 'accueil', step: 'commune' };

function samplePath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? '1');
}

let h: Harness;
const accounts = {} as Record<Exclude<Caller, 'anonyme'>, { kind: 'parent' | 'staff'; id: number }>;
/** Family A's real ids, which parent B must never reach. */
const ofA = { childId: 0, contactId: 0, threadId: 0, documentId: 0, invoiceId: 0, subscriptionId: 0, topUpId: 0, activityId: 0 };

beforeAll(async () => {
  h = await startHarness();
  const a = await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  const b = await createFamily(h.db, { name: 'MARTIN', username: 'paul.martin', children: ['Léo'] });
  accounts.parentA = { kind: 'parent', id: a.parentAccountId };
  accounts.parentB = { kind: 'parent', id: b.parentAccountId };
  for (const role of STAFF_ROLES) accounts[role] = { kind: 'staff', id: await createStaff(h.db, `agent-${role}`, role) };
  Object.assign(ofA, await familyAFixtures(a.familyId, a.childIds[0]!, a.contactId, a.parentAccountId));
});

/** One row of each kind a parent reaches by id, for family A (straight into the tables). */
async function familyAFixtures(familyId: number, childId: number, contactId: number, parentAccountId: number) {
  const at = '2026-05-01T08:00:00.000Z';
  const id = async (table: string, row: Record<string, unknown>) => {
    const [r] = await h.db(table).insert(row).returning('id');
    return Number(typeof r === 'object' ? (r as { id: number }).id : r);
  };
  const walletId = await id('wallets', { code: 'RESTAURATION', label: 'Restauration scolaire' });
  const activityId = await id('activities', { code: 'CANTINE', name: 'Cantine', wallet_id: walletId, weekdays: '1,2,4,5', meal: true, created_at: at, updated_at: at });
  const subscriptionId = await id('subscriptions', { child_id: childId, activity_id: activityId, weekdays: '1,2', date_from: '2026-05-25', date_to: '2026-06-30', created_at: at });
  const threadId = await id('message_threads', { family_id: familyId, subject: 'Cantine de Julia', created_at: at, last_message_at: at });
  await id('messages', { thread_id: threadId, author_kind: 'parent', parent_account_id: parentAccountId, body: 'Bonjour', created_at: at });
  const storedName = `${'a'.repeat(40)}.pdf`;
  fs.mkdirSync(path.join(h.dataDir, 'documents'), { recursive: true });
  fs.writeFileSync(path.join(h.dataDir, 'documents', storedName), '%PDF-1.4\n');
  const documentId = await id('documents', {
    family_id: familyId, child_id: childId, title: 'Attestation', original_name: 'attestation.pdf', stored_name: storedName,
    mime_type: 'application/pdf', size_bytes: 9, status: 'pending', parent_account_id: parentAccountId, uploaded_at: at,
  });
  const topUpId = await id('online_payments', {
    refdet: 'REF0001', family_id: familyId, wallet_id: walletId, parent_account_id: parentAccountId, amount_cents: 2000,
    email: 'chantal.devret@exemple.fr', objet: 'Crédit cantine', status: 'pending', created_at: at, updated_at: at,
  });
  const invoiceId = await id('invoices', { number: 'F2026-0001', family_id: familyId, kind: 'topup', issued_on: '2026-05-01', total_cents: 2000, status: 'paid', online_payment_id: topUpId, created_at: at });
  return { childId, contactId, threadId, documentId, invoiceId, subscriptionId, topUpId, activityId };
}

/**
 * Every table's rows but the sessions (which the test itself writes), order aside: equal before
 * and after means nothing was written anywhere, not even an audit row or a mail in the outbox.
 */
async function everyRow(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tableNames(h.db)) {
    if (table === 'sessions') continue;
    const rows: unknown[] = await h.db(table).select();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

afterAll(async () => {
  await h?.close();
});

/** A browser with a fresh session of that caller, written straight into the sessions table (no hashing). */
async function browserOf(caller: Caller): Promise<Browser> {
  const browser = new Browser(h.url);
  if (caller === 'anonyme') return browser;
  const account = accounts[caller];
  const token = randomToken();
  const csrf = randomToken(16);
  const now = h.clock.now();
  await h.db('sessions').insert({
    token_hash: hashToken(token),
    kind: account.kind,
    parent_account_id: account.kind === 'parent' ? account.id : null,
    staff_user_id: account.kind === 'staff' ? account.id : null,
    csrf_token: csrf,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + 3600_000).toISOString(),
  });
  browser.cookie = `eticket_session=${token}`;
  browser.csrf = csrf;
  return browser;
}

async function callRoute(def: RouteDef, caller: Caller, browser?: Browser) {
  browser ??= await browserOf(caller);
  const body = def.method === 'GET' || def.method === 'DELETE' ? undefined : {};
  return browser.request<{ error?: { code: string } }>(def.method, samplePath(def.path), body);
}

/** Puts the accounts back after a call that may have changed them (a password reset, a deactivation). */
async function resetAccounts(): Promise<void> {
  await h.db('parent_accounts').update({ must_change_password: false, active: true, failed_logins: 0, locked_until: null });
  await h.db('staff_users').update({ must_change_password: false, active: true, failed_logins: 0, locked_until: null });
}

describe('the route table', () => {
  it('has unique names and unique method + path pairs', () => {
    const names = routeGroups.flatMap((g) => Object.keys(g));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(routes).length).toBe(names.length);
    const pairs = Object.values(routes as Record<string, RouteDef>).map((d) => `${d.method} ${d.path}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('is every API route the server answers: none declared outside it (the rest serves the built clients)', () => {
    const app = createServer({ db: h.db, clock: h.clock, config: h.config });
    const table = new Set(Object.values(routes as Record<string, RouteDef>).map((d) => `${d.method} ${d.path}`));
    const outside = declaredRoutes(app)
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => /^[A-Z]+ \/(api|payfip)\//.test(r) && !table.has(r));
    expect(outside).toEqual([]);
    expect(declaredRoutes(app).length).toBeGreaterThanOrEqual(table.size);
  });

  it('api/route-paths.ts is generated from the current table (npm run api:paths)', () => {
    expect(fs.readFileSync(ROUTE_PATHS_FILE, 'utf8')).toBe(routePathsSource());
  });

  it('refuses every caller the policy refuses, with 401 or 403, and writes nothing', async () => {
    const before = await everyRow();
    // A refused call never reaches its handler, so one session per caller serves the whole walk.
    const browsers = new Map<Caller, Browser>();
    for (const caller of CALLERS) browsers.set(caller, await browserOf(caller));
    let refused = 0;
    for (const [name, def] of Object.entries(routes as Record<string, RouteDef>)) {
      for (const caller of CALLERS) {
        const expected = expectedAccess(def, caller);
        if (expected === 'allowed') continue;
        const answer = await callRoute(def, caller, browsers.get(caller));
        expect.soft(answer.status, `${name} (${def.method} ${def.path}) as ${caller}`).toBe(expected);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(await everyRow()).toEqual(before);
  });

  it('lets through every caller the policy allows: never 401, never refused for its role, never 5xx', async () => {
    let allowed = 0;
    for (const [name, def] of Object.entries(routes as Record<string, RouteDef>)) {
      for (const caller of CALLERS) {
        if (expectedAccess(def, caller) !== 'allowed' || def.access.kind === 'public') continue;
        const answer = await callRoute(def, caller);
        const label = `${name} (${def.method} ${def.path}) as ${caller}: ${answer.status} ${answer.body?.error?.code ?? ''}`;
        expect.soft(answer.status, label).not.toBe(401);
        expect.soft(answer.status >= 500, label).toBe(false);
        expect.soft(answer.status === 403 && answer.body?.error?.code === 'FORBIDDEN', label).toBe(false);
        // Only a change can have touched the accounts (a password reset, a deactivation).
        if (def.method !== 'GET') await resetAccounts();
        allowed++;
      }
    }
    expect(allowed).toBeGreaterThan(0);
  });
});

/** A valid contact card, so that only the id can be why a call is refused. */
const CARD = {
  relationship: 'PERE', lastName: 'MARTIN', firstName: 'Paul', address1: '2 rue des Écoles', address2: '', address3: '',
  postalCode: '33220', city: 'PORT-SAINTE-FOY', phone: '', mobile: '06 07 89 70 16', workPhone: '', workMobile: '',
  email: 'paul.martin@exemple.fr', note: '', useForBilling: true, emergencyContact: true, authorizedPickup: true,
};
const DAY = '2026-05-26';

/** The parent routes that take one of family A's ids, in the path or in the body, with a body that is valid otherwise. */
function reachingA(): Array<{ method: string; path: string; body?: unknown }> {
  const { childId, contactId, threadId, documentId, invoiceId, subscriptionId, topUpId, activityId } = ofA;
  const cell = { childId, activityId, date: DAY, action: 'book' };
  return [
    { method: 'PUT', path: `/api/parent/children/${childId}`, body: { diet: 'sans_porc', allergies: 'arachide' } },
    { method: 'PUT', path: `/api/parent/contacts/${contactId}`, body: CARD },
    { method: 'DELETE', path: `/api/parent/contacts/${contactId}` },
    { method: 'PUT', path: '/api/parent/contacts', body: { cards: [{ ...CARD, id: contactId }] } },
    { method: 'GET', path: `/api/parent/messages/${threadId}` },
    { method: 'POST', path: `/api/parent/messages/${threadId}/replies`, body: { body: 'Bonjour, c’est B.' } },
    { method: 'POST', path: `/api/parent/messages/${threadId}/read`, body: {} },
    { method: 'GET', path: `/api/parent/documents/${documentId}/file` },
    { method: 'GET', path: `/api/parent/invoices/${invoiceId}/pdf` },
    { method: 'POST', path: `/api/parent/subscriptions/${subscriptionId}/end`, body: { from: DAY } },
    { method: 'GET', path: `/api/parent/topups/${topUpId}` },
    { method: 'POST', path: '/api/parent/planning/changes', body: { changes: [cell] } },
    { method: 'POST', path: '/api/parent/planning/week', body: { childId, activityId, weekStart: DAY, action: 'book' } },
    { method: 'POST', path: '/api/parent/planning/day', body: { childId, date: DAY, action: 'book' } },
    { method: 'POST', path: '/api/parent/planning/template', body: { childId, from: DAY, to: '2026-06-05', pattern: [{ activityId, weekdays: [1, 2] }] } },
    { method: 'POST', path: '/api/parent/planning/preview', body: { kind: 'day', childId, date: DAY, action: 'book' } },
    { method: 'POST', path: '/api/parent/subscriptions', body: { childId, activityId, weekdays: [1, 2], from: DAY, to: '2026-06-30' } },
  ];
}

describe('each parent', () => {
  it('reaches no id of another family: 404, and nothing written', async () => {
    const before = await everyRow();
    const parentB = await browserOf('parentB');
    for (const call of reachingA()) {
      const answer = await parentB.request<{ error?: { code: string } }>(call.method, call.path, call.body);
      const label = `${call.method} ${call.path} as parentB: ${answer.status} ${answer.body?.error?.code ?? ''}`;
      expect.soft(answer.status, label).toBe(404);
    }
    expect(await everyRow()).toEqual(before);
  });

  it('covers every parent route of the table that takes an id', () => {
    const covered = new Set(reachingA().map((c) => `${c.method} ${c.path.replace(/\/\d+/g, '/:id')}`));
    const withId = Object.values(routes as Record<string, RouteDef>)
      .filter((d) => d.access.kind === 'parent' && /:(id|contactId|childId|threadId)\b/.test(d.path))
      .map((d) => `${d.method} ${d.path.replace(/:[A-Za-z]+/g, ':id')}`);
    expect(withId.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('parent A reaches the same ids (the 404s above are about the family, not the ids)', async () => {
    const parentA = await browserOf('parentA');
    expect((await parentA.get(`/api/parent/messages/${ofA.threadId}`)).status).toBe(200);
    expect((await parentA.get(`/api/parent/topups/${ofA.topUpId}`)).status).toBe(200);
    expect((await parentA.get(`/api/parent/documents/${ofA.documentId}/file`)).status).toBe(200);
  });
});
