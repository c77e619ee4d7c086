import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createParentAccount, generateTemporaryPassword, hashPassword, loginParent, resetParentAccountPassword, resolveSession, verifyPassword } from './auth.js';
import { createTestDb, type TestDb } from './test-support.js';

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies', async () => {
    const a = await hashPassword('eticket-demo');
    const b = await hashPassword('eticket-demo');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('eticket-demo', a)).toBe(true);
    expect(await verifyPassword('eticket-demo ', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
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
