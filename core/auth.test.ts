import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  changePassword,
  createParentAccount,
  generateTemporaryPassword,
  hashPassword,
  loginParent,
  loginStaff,
  resetParentAccountPassword,
  resolveSession,
  verifyPassword,
} from './auth.js';
import { initialScryptTarget, needsRehash, OWASP_SCRYPT, scryptTarget } from './passwords.js';
import { createTestDb, type TestDb } from './test-support.js';

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies', async () => {
    const a = await hashPassword('eticket-demo');
    const b = await hashPassword('eticket-demo');
    expect(a).toMatch(new RegExp(`^scrypt\\$${scryptTarget().N}\\$8\\$1\\$`));
    expect(a).not.toBe(b);
    expect(await verifyPassword('eticket-demo', a)).toBe(true);
    expect(await verifyPassword('eticket-demo ', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('hashes at OWASP cost (scrypt N=2^17, r=8, p=1) outside the test runner, off the event loop', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    expect(initialScryptTarget({})).toEqual(OWASP_SCRYPT);
    // The cheap cost is for the test runner only: a server given the variable ignores it.
    expect(initialScryptTarget({ ETICKET_TEST_SCRYPT_LOG_N: '10' })).toEqual(OWASP_SCRYPT);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const strong = await hashPassword('eticket-demo', OWASP_SCRYPT); // 128 MiB: past Node's default maxmem
    clearInterval(timer);
    expect(strong).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(ticks).toBeGreaterThan(0); // the event loop kept turning while scrypt ran
    expect(await verifyPassword('eticket-demo', strong)).toBe(true);
    expect(needsRehash(strong, OWASP_SCRYPT)).toBe(false);
    expect(needsRehash('scrypt$16384$8$1$c2Fs$aGFzaA==', OWASP_SCRYPT)).toBe(true);
    // A planted hash asking for gigabytes is refused rather than computed.
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$c2Fs$aGFzaA==')).toBe(false);
  });

  it('makes temporary passwords without look-alike characters', () => {
    for (let i = 0; i < 50; i++) expect(generateTemporaryPassword()).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
  });
});

describe('portal accounts managed by the secretariat', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  it('creates a login with a temporary password that must be changed, and resets it', async () => {
    const created = await createParentAccount(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, username: 'Olivier.Devret', email: 'o@exemple.fr' });
    expect(created.username).toBe('olivier.devret');
    const first = await loginParent(t.ctx, { username: 'olivier.devret', password: created.temporaryPassword });
    expect(first.session.auth).toMatchObject({ kind: 'parent', familyId: t.ids.familyId, mustChangePassword: true });
    await expect(createParentAccount(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, username: 'olivier.devret' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createParentAccount(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, username: 'autre.nom' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createParentAccount(t.ctx, t.actors.parent, { familyId: t.ids.familyId, username: 'autre.nom' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createParentAccount(t.ctx, t.actors.admin, { familyId: t.ids.familyId, username: 'a b' })).rejects.toMatchObject({ code: 'VALIDATION' });

    const reset = await resetParentAccountPassword(t.ctx, t.actors.secretariat, { parentAccountId: created.parentAccountId });
    expect(reset.temporaryPassword).not.toBe(created.temporaryPassword);
    expect(await resolveSession(t.ctx, first.token)).toBeNull(); // signed out everywhere
    await expect(loginParent(t.ctx, { username: 'olivier.devret', password: created.temporaryPassword })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await loginParent(t.ctx, { username: 'olivier.devret', password: reset.temporaryPassword })).session.auth.mustChangePassword).toBe(true);
    const audits = await t.db('audit_log').whereIn('action', ['account.create', 'account.password_reset_by_staff']).count({ n: '*' }).first();
    expect(audits).toMatchObject({ n: 2 });
  });
});

describe('sign-in throttling (real SQLite file)', () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-auth-'));
    t = await createTestDb({ filename: path.join(dir, 'eticket.sqlite') });
    const hash = await hashPassword('bon-mot-de-passe');
    await t.db('parent_accounts').update({ password_hash: hash });
    await t.db('staff_users').update({ password_hash: hash });
  });
  afterEach(async () => {
    await t.db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const failures = (n: number, login: typeof loginParent, username: string) =>
    Promise.allSettled(Array.from({ length: n }, () => login(t.ctx, { username, password: 'mauvais' })));

  it('42 parallel wrong passwords end with the account locked, with the time and « Mot de passe oublié »', async () => {
    await failures(42, loginParent, 'chantal.devret');
    const row = await t.db('parent_accounts').where('username', 'chantal.devret').first();
    expect(row.locked_until > t.clock.now().toISOString()).toBe(true);
    // Even the right password is refused now; 10:00 Paris + 15 min.
    const locked = loginParent(t.ctx, { username: 'chantal.devret', password: 'bon-mot-de-passe' });
    await expect(locked).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
    const message = await locked.catch((e: Error) => e.message);
    expect(message).toContain('bloqué jusqu’à 10:15');
    expect(message).toContain('« Mot de passe oublié »');
    expect(await t.db('sessions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    t.clock.advanceMinutes(16);
    expect((await loginParent(t.ctx, { username: 'chantal.devret', password: 'bon-mot-de-passe' })).session.auth.kind).toBe('parent');
  });

  it('gives staff growing delays (30 s, 1 min, 2 min…, 5 min at most) instead of a long lock', async () => {
    const lockedFor = async () => {
      const row = await t.db('staff_users').where('username', 'secretariat').first();
      return (new Date(row.locked_until).getTime() - t.clock.now().getTime()) / 1000;
    };
    const first = await loginStaff(t.ctx, { username: 'secretariat', password: 'mauvais' }).catch((e: Error) => e.message);
    expect(first).toBe('Identifiant ou mot de passe incorrect. Après 5 essais infructueux, le compte est bloqué quelques minutes.');
    await failures(4, loginStaff, 'secretariat');
    expect(await lockedFor()).toBe(30);
    const message = await loginStaff(t.ctx, { username: 'secretariat', password: 'bon-mot-de-passe' }).catch((e: Error) => e.message);
    expect(message).toMatch(/^Ce compte est bloqué jusqu’à 10:00 /);
    expect(message).toContain('administrateur');
    const steps: number[] = [];
    for (let i = 0; i < 6; i++) {
      t.clock.set(new Date(t.clock.now().getTime() + (await lockedFor()) * 1000 + 1000));
      await failures(1, loginStaff, 'secretariat');
      steps.push(await lockedFor());
    }
    expect(steps).toEqual([60, 120, 240, 300, 300, 300]);
    // Parallel attempts of a stranger never lock the desk for more than 5 minutes.
    t.clock.advanceMinutes(6);
    await failures(40, loginStaff, 'secretariat');
    expect(await lockedFor()).toBeLessThanOrEqual(300);
    t.clock.advanceMinutes(6);
    const ok = await loginStaff(t.ctx, { username: 'secretariat', password: 'bon-mot-de-passe' });
    expect(ok.session.auth.kind).toBe('staff');
    expect(await t.db('staff_users').where('username', 'secretariat').first()).toMatchObject({ failed_logins: 0, locked_until: null });
  });

  it('re-hashes an old-cost password at the next sign-in', async () => {
    const old = await hashPassword('bon-mot-de-passe', { N: 1024, r: 8, p: 1 });
    await t.db('parent_accounts').where('username', 'chantal.devret').update({ password_hash: old });
    await loginParent(t.ctx, { username: 'chantal.devret', password: 'bon-mot-de-passe' });
    const stored: string = (await t.db('parent_accounts').where('username', 'chantal.devret').first()).password_hash;
    expect(stored).not.toBe(old);
    expect(stored.split('$').slice(1, 4).map(Number)).toEqual([scryptTarget().N, 8, 1]);
    expect(needsRehash(stored)).toBe(false);
    expect(await verifyPassword('bon-mot-de-passe', stored)).toBe(true);
    // A wrong password re-hashes nothing.
    await t.db('parent_accounts').where('username', 'chantal.devret').update({ password_hash: old });
    await failures(1, loginParent, 'chantal.devret');
    expect((await t.db('parent_accounts').where('username', 'chantal.devret').first()).password_hash).toBe(old);
  });

  it('refuses common passwords with a French message naming the field', async () => {
    const { session, token } = await loginParent(t.ctx, { username: 'chantal.devret', password: 'bon-mot-de-passe' });
    const change = (newPassword: string) =>
      changePassword(t.ctx, session.auth, session.tokenHash, { currentPassword: 'bon-mot-de-passe', newPassword });
    for (const weak of ['azerty123', 'motdepasse', 'soleil2024', 'Marseille13', 'chantal.devret2026']) {
      const err = await change(weak).catch((e: { code: string; message: string; details?: { field?: string } }) => e);
      expect(err, weak).toMatchObject({ code: 'VALIDATION', details: { field: 'newPassword' } });
      expect((err as { message: string }).message, weak).toMatch(/au moins 10 caractères|trop facile à deviner|identifiant/);
    }
    expect(await resolveSession(t.ctx, token)).not.toBeNull();
    await change('girafe-crayon-tempete');
    expect((await loginParent(t.ctx, { username: 'chantal.devret', password: 'girafe-crayon-tempete' })).session.auth.kind).toBe('parent');
  });
});
