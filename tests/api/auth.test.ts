import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createFamily, createStaff, PASSWORD, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', children: ['Julia'] });
  await createStaff(h.db, 'secretariat', 'secretariat');
});
afterEach(async () => {
  await h.close();
});

describe('sign-in and sign-out', () => {
  it('signs a parent in with an HttpOnly SameSite cookie, answers /me, and signs out', async () => {
    const b = new Browser(h.url);
    expect((await b.get('/api/auth/me')).status).toBe(401);
    const res = await b.post('/api/auth/parent/login', { username: 'Chantal.Devret ', password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('eticket_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(res.body).toMatchObject({ kind: 'parent', familyName: 'DEVRET', username: 'chantal.devret', mustChangePassword: false });
    expect(res.body.displayName).toBe('Maman DEVRET');
    expect(typeof res.body.csrfToken).toBe('string');
    // The table holds the token's hash, never the token itself.
    const token = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
    const rows = await h.db('sessions').select();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toBe(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

    const me = await b.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.body.kind).toBe('parent');

    expect((await b.post('/api/auth/logout')).status).toBe(200);
    expect(await h.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect((await b.get('/api/auth/me')).status).toBe(401);
  });

  it('signs staff in on their own route with role and name, and a parent login is not a staff login', async () => {
    const b = new Browser(h.url);
    const res = await b.loginStaff('secretariat');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'staff', role: 'secretariat', name: 'Agent secretariat' });
    const wrong = await new Browser(h.url).post('/api/auth/staff/login', { username: 'chantal.devret', password: PASSWORD });
    expect(wrong.status).toBe(401);
    // A staff session is refused on parent routes, a parent session on staff-only ones.
    expect((await b.get('/api/parent/family')).status).toBe(403);
  });

  it('answers bad login input with 400 and a French message', async () => {
    const b = new Browser(h.url);
    const res = await b.post('/api/auth/parent/login', { username: '', password: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION', message: 'Saisissez votre identifiant.' } });
    const res2 = await b.post('/api/auth/parent/login', '{"username":', {});
    expect(res2.status).toBe(400);
    expect((res2.body as { error: { message: string } }).error.message).toBe('Requête mal formée.');
  });
});

describe('throttling', () => {
  it('locks an account for 15 minutes after 5 failures, saying until when and pointing to « Mot de passe oublié »', async () => {
    const b = new Browser(h.url);
    const unknown = await b.loginParent('personne.inconnue', 'nimporte-quoi');
    expect(unknown.status).toBe(401);
    const genericMessage = (unknown.body as { error: { message: string } }).error.message;
    for (let i = 0; i < 4; i++) {
      const res = await b.loginParent('chantal.devret', 'mauvais-mot-de-passe');
      expect(res.status).toBe(401);
      expect((res.body as { error: { message: string } }).error.message).toBe(genericMessage);
    }
    // The fifth failure locks; 08:00Z is 10:00 in Paris, so until 10:15.
    const fifth = await b.loginParent('chantal.devret', 'mauvais-mot-de-passe');
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({ error: { code: 'TOO_MANY_ATTEMPTS', details: { lockedUntil: '2026-05-20T08:15:00.000Z' } } });
    // Locked: even the right password is refused, with the same explanation.
    const locked = await b.loginParent('chantal.devret');
    expect(locked.status).toBe(429);
    const message = (locked.body as { error: { message: string } }).error.message;
    expect(message).toBe((fifth.body as { error: { message: string } }).error.message);
    expect(message).toMatch(/^Votre compte est bloqué jusqu’à 10:15 .*« Mot de passe oublié »/);
    expect(await h.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    h.clock.advanceMinutes(14);
    expect((await b.loginParent('chantal.devret')).status).toBe(429);
    h.clock.advanceMinutes(2);
    expect((await b.loginParent('chantal.devret')).status).toBe(200);
    const row = await h.db('parent_accounts').where('username', 'chantal.devret').first();
    expect(row.failed_logins).toBe(0);
    expect(row.locked_until).toBeNull();
  });

  it('limits login attempts per IP address', async () => {
    await h.close();
    process.env.ETICKET_LOGIN_RATE_LIMIT = '3';
    try {
      h = await startHarness();
      const b = new Browser(h.url);
      for (let i = 0; i < 3; i++) expect((await b.loginParent('x', 'y')).status).toBe(401);
      const res = await b.loginParent('x', 'y');
      expect(res.status).toBe(429);
      expect((res.body as { error: { message: string } }).error.message).toMatch(/Trop de tentatives/);
    } finally {
      delete process.env.ETICKET_LOGIN_RATE_LIMIT;
    }
  });
});

describe('CSRF', () => {
  it('refuses a change without the X-CSRF-Token header, or with a wrong one, and writes nothing', async () => {
    const b = new Browser(h.url);
    await b.loginParent('chantal.devret');
    const before = await h.db('audit_log').count({ n: '*' }).first();
    const noToken = await b.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'un-nouveau-mot-de-passe' }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toMatchObject({ error: { code: 'CSRF' } });
    expect((noToken.body as { error: { message: string } }).error.message).toMatch(/jeton de sécurité/);
    const wrong = await b.request('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'un-nouveau-mot-de-passe' }, {
      csrf: false,
      headers: { 'x-csrf-token': 'faux' },
    });
    expect(wrong.status).toBe(403);
    expect((await b.post('/api/auth/logout', {}, { csrf: false })).status).toBe(403);
    expect(await h.db('audit_log').count({ n: '*' }).first()).toEqual(before);
    // With the token it goes through.
    const ok = await b.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'un-nouveau-mot-de-passe' });
    expect(ok.status).toBe(200);
  });
});

describe('session expiry', () => {
  it('expires a parent session after 2 hours idle, sliding with activity, and after 12 hours in any case', async () => {
    const b = new Browser(h.url);
    await b.loginParent('chantal.devret');
    h.clock.advanceMinutes(119);
    expect((await b.get('/api/auth/me')).status).toBe(200); // slides the expiry
    h.clock.advanceMinutes(119);
    expect((await b.get('/api/auth/me')).status).toBe(200);
    h.clock.advanceMinutes(121);
    const gone = await b.get('/api/auth/me');
    expect(gone.status).toBe(401);
    expect(await h.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    // Absolute limit: active every hour, still signed out at 12 h.
    const c = new Browser(h.url);
    await c.loginParent('chantal.devret');
    for (let i = 0; i < 11; i++) {
      h.clock.advanceMinutes(60);
      expect((await c.get('/api/auth/me')).status).toBe(200);
    }
    h.clock.advanceMinutes(61);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('keeps a staff session for 10 hours idle', async () => {
    const b = new Browser(h.url);
    await b.loginStaff('secretariat');
    h.clock.advanceMinutes(9 * 60 + 59);
    expect((await b.get('/api/auth/me')).status).toBe(200);
    h.clock.advanceMinutes(10 * 60 + 1);
    expect((await b.get('/api/auth/me')).status).toBe(401);
  });
});

describe('first-login password change', () => {
  it('refuses parent routes until the password is changed, then lets them through', async () => {
    await createFamily(h.db, { name: 'NOUVEAU', username: 'nouveau.parent', mustChangePassword: true });
    const b = new Browser(h.url);
    const login = await b.loginParent('nouveau.parent');
    expect(login.body.mustChangePassword).toBe(true);
    const blocked = await b.get('/api/parent/family');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ error: { code: 'PASSWORD_CHANGE_REQUIRED' } });

    const tooShort = await b.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'court' });
    expect(tooShort.status).toBe(400);
    expect((tooShort.body as { error: { message: string } }).error.message).toMatch(/au moins 10 caractères/);
    const wrongCurrent = await b.post('/api/auth/password', { currentPassword: 'faux-faux-faux', newPassword: 'tout-nouveau-secret' });
    expect(wrongCurrent.status).toBe(400);
    expect((wrongCurrent.body as { error: { message: string } }).error.message).toBe('Le mot de passe actuel est incorrect.');

    // A second device is signed out by the change; this one stays.
    const other = new Browser(h.url);
    await other.loginParent('nouveau.parent');
    const changed = await b.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'tout-nouveau-secret' });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect((await b.get('/api/parent/family')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await new Browser(h.url).loginParent('nouveau.parent', 'tout-nouveau-secret')).status).toBe(200);
    expect((await new Browser(h.url).loginParent('nouveau.parent')).status).toBe(401);
  });
});

describe('password reset', () => {
  it('queues a mail with a one-time link for a known account, answers the same for an unknown one', async () => {
    const b = new Browser(h.url);
    const unknown = await b.post('/api/auth/password-reset/request', { identifier: 'inconnu@exemple.fr' });
    const known = await b.post('/api/auth/password-reset/request', { identifier: 'chantal.devret@exemple.fr' });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(unknown.body).toEqual(known.body);
    const mails = await h.db('mail_outbox').select();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'password_reset', to_address: 'chantal.devret@exemple.fr' });
    const link = /http:\/\/portail\.test\/reinitialisation\?token=([A-Za-z0-9_-]+)/.exec(mails[0].text_body);
    expect(link).not.toBeNull();
    const token = link![1]!;

    const ok = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'apres-reinitialisation' });
    expect(ok.status).toBe(200);
    const again = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'encore-une-autre-fois' });
    expect(again.status).toBe(400);
    expect((again.body as { error: { message: string } }).error.message).toMatch(/n’est plus valable/);
    expect((await new Browser(h.url).loginParent('chantal.devret', 'apres-reinitialisation')).status).toBe(200);
  });

  it('refuses a link older than one hour', async () => {
    const b = new Browser(h.url);
    await b.post('/api/auth/password-reset/request', { identifier: 'chantal.devret' });
    const mail = await h.db('mail_outbox').first();
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    h.clock.advanceMinutes(61);
    const res = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'apres-reinitialisation' });
    expect(res.status).toBe(400);
    expect((await new Browser(h.url).loginParent('chantal.devret')).status).toBe(200);
  });
});
