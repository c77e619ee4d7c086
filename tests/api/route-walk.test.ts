import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../server/app.js';
import { tableNames } from '../../db/test-db.js';
import { declaredRoutes, type Route } from './declared-routes.js';
import { Browser, createFamily, createStaff, startHarness, type Harness } from './harness.js';

/**
 * Walks every route the app declares, as a parent, as an administrator and signed out, with
 * hostile path parameters, query strings and bodies: none may answer 5xx, each refusal is
 * French; no GET may change a row.
 */

// The last one names real rows (the family, its child, its thread), so a GET reaches its handler.
const HOSTILE_IDS = ['99999999999999999999', '-1', 'abc', '%E0%A4%A', '1.5', '1'];
const HOSTILE_DATES = ['9999-12-31', '0000-00-00', '2026-02-30', '10000-01-01', '1e309'];
const FIELDS = ['week', 'weekStart', 'date', 'from', 'to', 'dateFrom', 'dateTo', 'month', 'serviceDate', 'birthDate', 'day', 'until', 'start', 'end'];

function hostileQuery(value: string): string {
  const q = new URLSearchParams();
  for (const f of FIELDS) q.set(f, value);
  for (const f of ['familyId', 'childId', 'schoolId', 'activityId', 'walletId', 'limit', 'offset']) q.set(f, '1e400');
  q.set('status', 'tout');
  q.set('q', '\u0000%');
  return q.toString();
}

function hostileBody(value: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of FIELDS) body[f] = value;
  Object.assign(body, {
    childId: 1,
    activityId: 1,
    familyId: 1,
    amountCents: 1e308,
    action: 'book',
    changes: [{ childId: 1, activityId: 1, date: value, action: 'book' }],
    weekdays: [1, 9],
    status: { $ne: null },
    username: ['admin'],
    password: { toString: 'x' },
  });
  return body;
}

let h: Harness;
let routes: Route[];
const browsers = {} as Record<'parent' | 'admin' | 'anonymous', Browser>;

beforeAll(async () => {
  h = await startHarness();
  const fam = await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  await createStaff(h.db, 'admin', 'admin');
  await createStaff(h.db, 'secretariat', 'secretariat');
  browsers.parent = new Browser(h.url);
  browsers.admin = new Browser(h.url);
  browsers.anonymous = new Browser(h.url);
  expect((await browsers.parent.loginParent('chantal.devret')).status).toBe(200);
  expect((await browsers.admin.loginStaff('admin')).status).toBe(200);
  expect(fam.familyId).toBe(1);
  // A thread with an unread message on each side, for the GETs of both to find.
  const thread = await browsers.parent.post<{ id: number }>('/api/parent/messages', { subject: 'Question', body: 'Bonjour' });
  expect(thread.body.id).toBe(1);
  expect((await browsers.admin.post('/api/staff/messages/1/reply', { body: 'Réponse' })).status).toBe(201);
  routes = declaredRoutes(createServer({ db: h.db, clock: h.clock, config: h.config }));
});
afterAll(async () => {
  await h.close();
});

/** Every row of every table but the sessions (whose sliding expiry a GET may touch). */
async function databaseFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const name of await tableNames(h.db)) if (name !== 'sessions') parts.push(name, JSON.stringify(await h.db(name).select().orderByRaw('1')));
  return parts.join('\n');
}

const SKIP = new Set(['POST /api/auth/logout', 'POST /api/auth/parent/login', 'POST /api/auth/staff/login']);

describe('every declared route', () => {
  it('finds the routes of every router', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths.length).toBeGreaterThan(80);
    expect(paths).toContain('GET /api/parent/planning');
    expect(paths).toContain('GET /api/staff/messages/:id');
    expect(paths).toContain('POST /api/auth/parent/login');
  });

  it('answers hostile input with a French 4xx, never a 5xx, and no GET changes a row', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (SKIP.has(`${route.method} ${route.path}`) || !route.path.startsWith('/api')) continue;
      for (const [who, browser] of Object.entries(browsers)) {
        for (let i = 0; i < HOSTILE_IDS.length; i++) {
          const path = route.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'month' ? '9999-12' : name === 'date' ? HOSTILE_DATES[i % HOSTILE_DATES.length]! : HOSTILE_IDS[i]!));
          const value = HOSTILE_DATES[i % HOSTILE_DATES.length]!;
          const watch = route.method === 'GET' && (i === 0 || i === HOSTILE_IDS.length - 1);
          const before = watch ? await databaseFingerprint() : '';
          const res = await browser.request(route.method, `${path}?${hostileQuery(value)}`, route.method === 'GET' ? undefined : hostileBody(value), { raw: true });
          const where = `${who} ${route.method} ${path} (${value})`;
          if (res.status >= 500) failures.push(`${where}: ${res.status} ${Buffer.from(res.bytes ?? []).toString().slice(0, 200)}`);
          if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('json')) {
            const message = (JSON.parse(Buffer.from(res.bytes ?? []).toString()) as { error?: { message?: string } }).error?.message ?? '';
            if (!/[a-zàâçéèêëîïôûùüÿœ’]/i.test(message) || /^(Invalid|Expected|Required|Cannot|Unexpected)/.test(message)) failures.push(`${where}: message « ${message} »`);
          }
          if (watch && (await databaseFingerprint()) !== before) failures.push(`${where}: a GET changed the database`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});

describe('hostile encodings and addresses', () => {
  const raw = (path: string, headers: Record<string, string>, body: string) =>
    fetch(h.url + path, { method: 'POST', headers: { cookie: browsers.admin.cookie, 'x-csrf-token': browsers.admin.csrf, ...headers }, body });

  it('refuses an unknown charset or Content-Encoding with a French 415', async () => {
    const charset = await raw('/api/staff/families', { 'content-type': 'application/json; charset=klingon' }, '{"name":"X"}');
    expect(charset.status).toBe(415);
    expect(await charset.json()).toMatchObject({ error: { message: 'Jeu de caractères non pris en charge : envoyez la requête en UTF-8.' } });
    const encoding = await raw('/api/staff/families', { 'content-type': 'application/json', 'content-encoding': 'x-klingon' }, '{"name":"X"}');
    expect(encoding.status).toBe(415);
    expect(((await encoding.json()) as { error: { message: string } }).error.message).toMatch(/^Compression de la requête non prise en charge/);
    const badGzip = await raw('/api/staff/families', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'pas du gzip');
    expect(badGzip.status).toBe(400);
  });

  it('refuses a year-9999 date with a French 400', async () => {
    const week = await browsers.parent.get('/api/parent/planning?week=9999-12-27');
    expect(week.status).toBe(400);
    expect(week.body).toMatchObject({ error: { code: 'VALIDATION', message: 'Date hors limites (entre 1900 et 2199).' } });
    const statement = await browsers.parent.get('/api/parent/statements/9999-12/pdf');
    expect(statement.status).toBe(400);
  });

  it('answers unknown addresses outside the API with a French 404', async () => {
    const page = await fetch(`${h.url}/nulle-part/ici`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain('Page introuvable');
    const json = await fetch(`${h.url}/payfip/inconnu`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'Cette adresse n’existe pas.' } });
    const badUri = await fetch(`${h.url}/api/parent/messages/%E0%A4%A`, { headers: { cookie: browsers.parent.cookie } });
    expect(badUri.status).toBeLessThan(500);
  });
});
