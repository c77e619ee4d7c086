import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RIGHTS, type Action, type Right } from '../../api/rights.js';
import type { RouteDef } from '../../api/contract.js';
import { routeGroups, routes } from '../../api/routes/index.js';
import { STAFF_ROLES, type StaffRole } from '../../api/rules.js';
import { hashToken, randomToken } from '../../core/auth.js';
import { routePathsSource, ROUTE_PATHS_FILE } from '../../scripts/api-paths.js';
import fs from 'node:fs';
import { Browser, createFamily, createStaff, snapshotCounts, startHarness, type Harness } from './harness.js';

/**
 * The route table against the policy, generated from the table itself: every route is called
 * signed out, as each of two parents and as each staff role, and the answer must be what
 * api/rights.ts says (401 signed out, 403 for a caller the policy refuses, and then nothing
 * written), and a caller the policy allows is never refused for its role.
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

beforeAll(async () => {
  h = await startHarness();
  const a = await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  const b = await createFamily(h.db, { name: 'MARTIN', username: 'paul.martin', children: ['Léo'] });
  accounts.parentA = { kind: 'parent', id: a.parentAccountId };
  accounts.parentB = { kind: 'parent', id: b.parentAccountId };
  for (const role of STAFF_ROLES) accounts[role] = { kind: 'staff', id: await createStaff(h.db, `agent-${role}`, role) };
});

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

async function callRoute(def: RouteDef, caller: Caller) {
  const browser = await browserOf(caller);
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

  it('api/route-paths.ts is generated from the current table (npm run api:paths)', () => {
    expect(fs.readFileSync(ROUTE_PATHS_FILE, 'utf8')).toBe(routePathsSource());
  });

  it('refuses every caller the policy refuses, with 401 or 403, and writes nothing', async () => {
    const before = await snapshotCounts(h.db);
    const auditBefore = await h.db('audit_log').count({ n: '*' }).first();
    let refused = 0;
    for (const [name, def] of Object.entries(routes as Record<string, RouteDef>)) {
      for (const caller of CALLERS) {
        const expected = expectedAccess(def, caller);
        if (expected === 'allowed') continue;
        const answer = await callRoute(def, caller);
        expect.soft(answer.status, `${name} (${def.method} ${def.path}) as ${caller}`).toBe(expected);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(await snapshotCounts(h.db)).toEqual(before);
    expect(await h.db('audit_log').count({ n: '*' }).first()).toEqual(auditBefore);
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
        await resetAccounts();
        allowed++;
      }
    }
    expect(allowed).toBeGreaterThan(0);
  });
});
