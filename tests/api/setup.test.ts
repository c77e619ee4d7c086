// The "Mise en service" over HTTP on a fresh production database: from the machine itself, or
// with the one-time code from elsewhere (counted, locked after five wrong codes); all or nothing;
// once only; then the admin signs in and nothing of the demo exists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicInstall, SetupInput, SetupTemplate } from '../../api/setup.js';
import { ensureInstallMode, getInstallState } from '../../core/install.js';
import { issueSetupCode, SETUP_CODE_KEY } from '../../core/setup-code.js';
import { ACTIVITY_TEMPLATE } from '../../core/setup-template.js';
import { Browser, startHarness, type Harness } from './harness.js';

type ErrorBody = { error: { code: string; message: string; details?: { field?: string; issues?: Array<{ path: string }> } } };

const REMOTE = { 'x-forwarded-for': '203.0.113.7' };
const PASSWORD = 'girafe-crayon-tempête';

function input(over: Partial<SetupInput> = {}): SetupInput {
  return {
    commune: { name: 'Saint-Exemple', department: 'Gironde', address: ['Mairie', '1 place de la République', '33000 Saint-Exemple'], service: 'Service enfance', email: 'enfance@saint-exemple.fr', phone: '05 56 00 00 00', website: '', regie: 'Régie périscolaire', regisseur: 'Anne Roux, régisseuse' },
    admin: { username: 'anne.roux', displayName: 'Anne Roux', password: PASSWORD, confirm: PASSWORD },
    activities: ACTIVITY_TEMPLATE.map(({ walletLabel: _w, meal: _m, ...a }) => ({ ...a, weekdays: [...a.weekdays] })),
    schools: [
      { name: 'École maternelle Les Tilleuls', kind: 'maternelle' },
      { name: 'École élémentaire Victor Hugo', kind: 'elementaire' },
    ],
    ...over,
  };
}

let h: Harness;
let code: string;
beforeEach(async () => {
  h = await startHarness({ config: { demo: false } });
  await ensureInstallMode(h.db, 'production', h.clock.now());
  code = await issueSetupCode(h.db, h.clock.now());
});
afterEach(async () => {
  await h.close();
});

/** A visitor of another machine (a proxy's forwarded header is never "local"). */
function remote(headers: Record<string, string> = {}) {
  const b = new Browser(h.url);
  const request = b.request.bind(b);
  b.request = (method, p, body, opts = {}) => request(method, p, body, { ...opts, headers: { ...REMOTE, ...headers, ...opts.headers } });
  return b;
}

const count = async (table: string) => Number((await h.db(table).count({ n: '*' }).first())?.n ?? 0);

describe('the setup of a production install', () => {
  it('is announced by the public install route; the portal and console know it before anyone signs in', async () => {
    const b = new Browser(h.url);
    expect((await b.get<PublicInstall>('/api/public/install')).body).toEqual({ mode: 'production', setupRequired: true });
    expect((await b.get('/api/setup/status')).body).toEqual({ required: true, local: true });
    expect((await remote().get('/api/setup/status')).body).toEqual({ required: true, local: false });
  });

  it('runs from the machine itself without a code, in one transaction, audited; then the admin signs in', async () => {
    const b = new Browser(h.url);
    const template = await b.get<SetupTemplate>('/api/setup/template');
    expect(template.body.activities.map((a) => a.name)).toEqual(['Cantine', 'Garderie matin', 'Garderie soir', 'Bus']);
    expect((await b.post('/api/setup/check/commune', { commune: input().commune })).status).toBe(200);

    const done = await b.post('/api/setup', input());
    expect(done.status).toBe(201);
    expect(done.body).toEqual({ username: 'anne.roux' });

    expect(await getInstallState(h.db)).toEqual({ mode: 'production', setupDone: true });
    expect(await h.db('settings').where('key', SETUP_CODE_KEY).first()).toBeUndefined();
    expect((await h.db('wallets').orderBy('position').select('label')).map((w) => w.label)).toEqual(['Restauration scolaire', 'Accueil périscolaire', 'Transport scolaire']);
    const cantine = await h.db('activities').where('code', 'CANTINE').first();
    expect(cantine).toMatchObject({ name: 'Cantine', weekdays: '1,2,4,5', book_days_before: 2 });
    expect(!!cantine.meal).toBe(true);
    expect(await h.db('tariffs').where('activity_id', cantine.id).select('price_cents', 'qf_min', 'qf_max')).toEqual([{ price_cents: 310, qf_min: 0, qf_max: null }]);
    expect((await h.db('schools').orderBy('position').select('name', 'kind'))).toEqual([
      { name: 'École maternelle Les Tilleuls', kind: 'maternelle' },
      { name: 'École élémentaire Victor Hugo', kind: 'elementaire' },
    ]);
    const audit = await h.db('audit_log').where('action', 'setup.done').first();
    expect(JSON.parse(audit.after_json)).toMatchObject({ commune: 'Saint-Exemple', admin: 'anne.roux' });
    expect((await b.get<PublicInstall>('/api/public/install')).body).toEqual({ mode: 'production', setupRequired: false });

    const admin = new Browser(h.url);
    const login = await admin.loginStaff('anne.roux', PASSWORD);
    expect(login.status).toBe(200);
    expect((await admin.get('/api/staff/settings/commune')).body).toMatchObject({ name: 'Saint-Exemple' });

    // Nothing of the demo anywhere: no families, no demo accounts, no demo commune.
    expect(await count('families')).toBe(0);
    expect(await count('parent_accounts')).toBe(0);
    expect(await count('info_pages')).toBe(0);
    expect((await h.db('staff_users').select('username')).map((r) => r.username)).toEqual(['anne.roux']);
    const settings = JSON.stringify(await h.db('settings').select());
    expect(settings).not.toMatch(/Port-Sainte-Foy/);
  });

  it('is refused from another machine without the code, accepted with it', async () => {
    const stranger = remote();
    const refused = await stranger.post<ErrorBody>('/api/setup', input());
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Code de mise en service incorrect/);
    expect((await stranger.get('/api/setup/template')).status).toBe(403);
    expect(await count('staff_users')).toBe(0);

    // Typed as read in the log, in lower case or with spaces: accepted.
    expect((await remote().post('/api/setup/code', { code: ` ${code.toLowerCase()} ` })).status).toBe(200);
    const done = await remote({ 'x-setup-code': code }).post('/api/setup', input());
    expect(done.status).toBe(201);
  });

  it('locks the code after five wrong attempts, even the right code, for a quarter of an hour', async () => {
    const stranger = remote();
    for (let i = 0; i < 4; i++) {
      const r = await stranger.post<ErrorBody>('/api/setup/code', { code: '0000-AAAA' });
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(new RegExp(`encore ${4 - i} essai`));
    }
    const fifth = await stranger.post<ErrorBody>('/api/setup/code', { code: '0000-AAAA' });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.message).toMatch(/bloquée jusqu’à/);
    expect((await remote({ 'x-setup-code': code }).post('/api/setup', input())).status).toBe(429);
    // A restart's new code does not lift the lock; the quarter of an hour does.
    code = await issueSetupCode(h.db, h.clock.now());
    expect((await remote().post('/api/setup/code', { code })).status).toBe(429);
    h.clock.set(new Date(h.clock.now().getTime() + 16 * 60_000));
    expect((await remote().post('/api/setup/code', { code })).status).toBe(200);
    expect(await count('staff_users')).toBe(0);
  });

  it('writes nothing when the last step is bad, and names the field in French', async () => {
    const b = new Browser(h.url);
    const bad = await b.post<ErrorBody>('/api/setup', input({ schools: [{ name: 'École A', kind: 'maternelle' }, { name: 'école a', kind: 'elementaire' }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ message: 'Deux écoles portent ce nom.', details: { field: 'schools.1.name' } });
    const none = await b.post<ErrorBody>('/api/setup', input({ schools: [] }));
    expect(none.body.error.message).toBe('Indiquez au moins une école.');
    for (const table of ['staff_users', 'wallets', 'activities', 'schools', 'audit_log']) expect(await count(table), table).toBe(0);
    expect(await h.db('settings').where('key', 'commune').first()).toBeUndefined();
    expect(await getInstallState(h.db)).toEqual({ mode: 'production', setupDone: false });
  });

  it('refuses weak, demo or mismatched passwords next to their field', async () => {
    const b = new Browser(h.url);
    const cases: Array<[Partial<SetupInput['admin']>, string, RegExp]> = [
      [{ password: 'eticket-demo', confirm: 'eticket-demo' }, 'admin.password', /démonstration/],
      [{ password: 'motdepasse2024', confirm: 'motdepasse2024' }, 'admin.password', /trop facile à deviner/],
      [{ password: 'court', confirm: 'court' }, 'admin.password', /au moins 10 caractères/],
      [{ confirm: 'autre-chose-tout-à-fait' }, 'admin.confirm', /pas identiques/],
      [{ username: 'A B' }, 'admin.username', /Identifiant invalide/],
    ];
    for (const [patch, field, message] of cases) {
      const admin = { ...input().admin, ...patch };
      const step = await b.post<ErrorBody>('/api/setup/check/admin', { admin });
      expect(step.status, field).toBe(400);
      expect(step.body.error.message, field).toMatch(message);
      expect(step.body.error.details?.field, field).toBe(field);
      expect((await b.post('/api/setup', input({ admin }))).status).toBe(400);
    }
    expect(await count('staff_users')).toBe(0);
  });

  it('answers hostile bodies with a French 400, never a 500', async () => {
    const b = new Browser(h.url);
    const bodies: unknown[] = [
      'pas du json',
      [],
      { ...input(), extra: true },
      { ...input(), commune: 'Saint-Exemple' },
      { ...input(), activities: [{ code: 'PISCINE', included: true }] },
      { ...input(), activities: [{ ...input().activities[0], priceCents: 2.5 }] },
      { ...input(), activities: [{ ...input().activities[0], priceCents: '3,10' }] },
      { ...input(), activities: [{ ...input().activities[0], weekdays: [] }] },
      { ...input(), activities: [{ ...input().activities[0], startTime: '25:00' }] },
      { ...input(), activities: input().activities.map((a) => ({ code: a.code, included: false })) },
      { ...input(), schools: [{ name: 'x'.repeat(5000), kind: 'maternelle' }] },
      { ...input(), schools: [{ name: 'École', kind: 'collège' }] },
      { ...input(), admin: { ...input().admin, password: 'x'.repeat(100_000) } },
    ];
    for (const body of bodies) {
      const res = await b.request<ErrorBody>('POST', '/api/setup', body);
      expect([400, 413], JSON.stringify(body).slice(0, 80)).toContain(res.status);
      expect(res.body.error.message).toMatch(/[a-zé]/);
    }
    expect((await b.post<ErrorBody>('/api/setup/check/inconnue', {})).status).toBe(404);
    expect(await count('staff_users')).toBe(0);
  });

  it('happens once: a double click makes one setup, a second attempt is refused and changes nothing', async () => {
    const b = new Browser(h.url);
    const [first, second] = await Promise.all([b.post('/api/setup', input()), b.post('/api/setup', input({ admin: { ...input().admin, username: 'autre.admin' } }))]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect(await count('staff_users')).toBe(1);
    expect(await count('schools')).toBe(2);

    const again = await b.post<ErrorBody>('/api/setup', input({ commune: { ...input().commune, name: 'Ailleurs' } }));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/déjà faite/);
    expect((await b.get('/api/setup/status')).status).toBe(409);
    expect((await remote().post('/api/setup/code', { code })).status).toBe(409);
    expect((await h.db('settings').where('key', 'commune').first()).value).toMatch(/Saint-Exemple/);
    expect(await count('audit_log')).toBeGreaterThan(0);
    expect(await h.db('audit_log').where('action', 'setup.done').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('refuses the demo password at sign-in on a production install, even with a matching hash', async () => {
    const b = new Browser(h.url);
    await b.post('/api/setup', input());
    const { hashPassword } = await import('../../core/auth.js');
    await h.db('staff_users').update({ password_hash: await hashPassword('eticket-demo') });
    const res = await new Browser(h.url).loginStaff('anne.roux', 'eticket-demo');
    expect(res.status).toBe(401);
  });
});

describe('a demo install', () => {
  it('has the banner flag and no setup', async () => {
    const demo = await startHarness({ config: { demo: true } });
    try {
      await ensureInstallMode(demo.db, 'demo', demo.clock.now());
      const b = new Browser(demo.url);
      expect((await b.get<PublicInstall>('/api/public/install')).body).toEqual({ mode: 'demo', setupRequired: false });
      expect((await b.post<ErrorBody>('/api/setup', input())).status).toBe(404);
      expect((await b.get('/api/setup/status')).status).toBe(404);
    } finally {
      await demo.close();
    }
  });
});
