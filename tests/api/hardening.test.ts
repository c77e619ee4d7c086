import { afterEach, describe, expect, it } from 'vitest';
import { Browser, createFamily, createStaff, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

/** Server hardening: proxies, cookies, origins, password strength at the HTTP edge. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(config: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness(config);
  await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  await createStaff(h.db, 'secretariat', 'secretariat');
  return h;
}

const messageOf = (body: unknown) => (body as { error: { message: string } }).error.message;

describe('trust proxy', () => {
  it('is off by default: X-Forwarded-For does not give a new address to the sign-in limit', async () => {
    process.env.ETICKET_LOGIN_RATE_LIMIT = '3';
    try {
      const { url } = await harness();
      const b = new Browser(url);
      const attempt = (i: number) => b.request('POST', '/api/auth/parent/login', { username: 'x', password: 'y' }, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(401);
      expect((await attempt(99)).status).toBe(429);
    } finally {
      delete process.env.ETICKET_LOGIN_RATE_LIMIT;
    }
  });

  it('follows X-Forwarded-For only when ETICKET_TRUST_PROXY names the proxy', async () => {
    process.env.ETICKET_LOGIN_RATE_LIMIT = '3';
    try {
      const { url } = await harness({ config: { trustProxy: 'loopback' } });
      const b = new Browser(url);
      const attempt = (ip: string) => b.request('POST', '/api/auth/parent/login', { username: 'x', password: 'y' }, { headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).status).toBe(401);
      expect((await attempt('203.0.113.7')).status).toBe(429);
      expect((await attempt('198.51.100.8')).status).toBe(401); // another family behind the proxy
    } finally {
      delete process.env.ETICKET_LOGIN_RATE_LIMIT;
    }
  });
});

describe('cookies', () => {
  it('marks the session cookie Secure whenever the public URL is https', async () => {
    const { url } = await harness({ config: { publicUrl: 'https://eticket.port-sainte-foy.fr' } });
    const res = await new Browser(url).loginParent('chantal.devret');
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('eticket_session='))!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });
});

describe('Origin', () => {
  it('refuses a cross-Origin change even with the right token, and writes nothing', async () => {
    const t = await harness();
    const b = new Browser(t.url);
    await b.loginParent('chantal.devret');
    const before = await t.db('contacts').count({ n: '*' }).first();
    const evil = { headers: { origin: 'https://pirate.example', 'x-csrf-token': b.csrf } };
    const post = await b.request('POST', '/api/parent/contacts', { relationship: 'PERE', lastName: 'X', firstName: 'Y' }, evil);
    expect(post.status).toBe(403);
    expect(post.body).toMatchObject({ error: { code: 'CSRF' } });
    expect(messageOf(post.body)).toMatch(/ne vient pas d’une page d’eTicket/);
    expect(await t.db('contacts').count({ n: '*' }).first()).toEqual(before);
    // Sec-Fetch-Site alone is enough to tell a cross-site request.
    const fetchSite = await b.request('POST', '/api/auth/logout', {}, { headers: { 'sec-fetch-site': 'cross-site', 'x-csrf-token': b.csrf } });
    expect(fetchSite.status).toBe(403);
    // Our own pages are welcome: the request's host, or the configured public URL.
    const own = await b.request('GET', '/api/auth/me');
    expect(own.status).toBe(200);
    const sameHost = await b.request('POST', '/api/parent/messages/999/read', {}, { headers: { origin: t.url } });
    expect(sameHost.status).toBe(404);
    const publicOrigin = await b.request('POST', '/api/parent/messages/999/read', {}, { headers: { origin: 'http://portail.test' } });
    expect(publicOrigin.status).toBe(404);
  });

  it('welcomes the portal address set in Paramètres › Portail (an https proxy in front), and nothing else', async () => {
    const t = await harness();
    await createStaff(t.db, 'admin', 'admin');
    const admin = await signedInStaff(t, 'admin');
    const set = await admin.put('/api/staff/settings/portal', { publicUrl: 'https://portail.saint-exemple.fr', lowBalanceThresholdCents: 1000, welcomeText: '' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const b = new Browser(t.url);
    const proxied = await b.request('POST', '/api/auth/parent/login', { username: 'chantal.devret', password: PASSWORD }, { headers: { origin: 'https://portail.saint-exemple.fr' } });
    expect(proxied.status, JSON.stringify(proxied.body)).toBe(200);
    const other = await new Browser(t.url).request('POST', '/api/auth/parent/login', { username: 'chantal.devret', password: PASSWORD }, { headers: { origin: 'https://saint-exemple.fr.pirate.example' } });
    expect(other.status).toBe(403);
  });

  it('refuses a cross-Origin logout (the session stays) and a cross-Origin sign-in', async () => {
    const t = await harness();
    const b = new Browser(t.url);
    await b.loginParent('chantal.devret');
    const logout = await b.request('POST', '/api/auth/logout', {}, { headers: { origin: 'null', 'x-csrf-token': b.csrf } });
    expect(logout.status).toBe(403);
    expect((await b.get('/api/auth/me')).status).toBe(200);
    expect(await t.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    const login = await new Browser(t.url).request('POST', '/api/auth/staff/login', { username: 'secretariat', password: PASSWORD }, { headers: { origin: 'https://pirate.example' } });
    expect(login.status).toBe(403);
    expect(await t.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect((await b.post('/api/auth/logout', {}, {})).status).toBe(200);
  });
});

describe('password strength', () => {
  it('refuses "azerty123", "motdepasse" and "soleil2024" with a French message, on change and on reset', async () => {
    const t = await harness();
    const b = new Browser(t.url);
    await b.loginParent('chantal.devret');
    for (const weak of ['azerty123', 'motdepasse', 'soleil2024']) {
      const res = await b.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: weak });
      expect(res.status, weak).toBe(400);
      expect(messageOf(res.body), weak).toMatch(/^(Le nouveau mot de passe doit compter au moins 10 caractères|Ce mot de passe est trop facile à deviner)/);
    }
    expect((await new Browser(t.url).loginParent('chantal.devret')).status).toBe(200);

    await b.post('/api/auth/password-reset/request', { identifier: 'chantal.devret' });
    const token = /token=([A-Za-z0-9_-]+)/.exec((await t.db('mail_outbox').first()).text_body)![1]!;
    const weakReset = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'motdepasse' });
    expect(weakReset.status).toBe(400);
    expect(messageOf(weakReset.body)).toMatch(/trop facile à deviner/);
    // The link is still good for a strong one.
    expect((await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'girafe-crayon-tempete' })).status).toBe(200);
  });
});

describe('no GET changes anything', () => {
  it('opening a thread in the console leaves it unread until the console POSTs /read', async () => {
    const t = await harness();
    const parent = new Browser(t.url);
    await parent.loginParent('chantal.devret');
    const thread = await parent.post<{ id: number }>('/api/parent/messages', { subject: 'Cantine de jeudi', body: 'Julia mange-t-elle jeudi ?' });
    expect(thread.status).toBe(201);
    const staff = new Browser(t.url);
    await staff.loginStaff('secretariat');
    const unreadRows = () => t.db('messages').where({ thread_id: thread.body.id, author_kind: 'parent' }).whereNull('read_at').count({ n: '*' }).first();
    const opened = await staff.get<{ messages: unknown[] }>(`/api/staff/messages/${thread.body.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.messages).toHaveLength(1);
    expect(await unreadRows()).toMatchObject({ n: 1 });
    expect((await staff.get<{ unread: number }>('/api/staff/messages')).body.unread).toBe(1);
    const read = await staff.post<{ marked: number; unread: number }>(`/api/staff/messages/${thread.body.id}/read`);
    expect(read.body).toEqual({ marked: 1, unread: 0 });
    expect(await unreadRows()).toMatchObject({ n: 0 });
    // Without the token or from another site, reading is refused like any change.
    expect((await staff.post(`/api/staff/messages/${thread.body.id}/read`, {}, { csrf: false })).status).toBe(403);
  });
});
