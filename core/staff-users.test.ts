import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from './auth.js';
import { createStaffUser, listStaffUsers, resetStaffPassword, updateStaffUser } from './staff-users.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

describe('staff accounts', () => {
  it('is for the admin only', async () => {
    await expect(listStaffUsers(t.ctx, t.actors.secretariat)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createStaffUser(t.ctx, t.actors.restauration, { username: 'x.y', displayName: 'X Y', role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resetStaffPassword(t.ctx, t.actors.parent, { id: t.ids.staffAdminId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.db('staff_users').count({ n: '*' }).first()).toEqual({ n: 3 });
  });

  it('creates an agent with a temporary password, audited', async () => {
    const { user, temporaryPassword } = await createStaffUser(t.ctx, t.actors.admin, { username: 'Cuisine.Martine', displayName: 'Martine Cuisine', role: 'restauration', email: 'cuisine@mairie.fr' });
    expect(user).toMatchObject({ username: 'cuisine.martine', role: 'restauration', active: true, mustChangePassword: true });
    const row = await t.db('staff_users').where({ id: user.id }).first('password_hash');
    expect(await verifyPassword(temporaryPassword, row.password_hash)).toBe(true);
    const auditRow = await t.db('audit_log').where({ action: 'staff_user.create' }).first();
    expect(auditRow).toMatchObject({ staff_user_id: t.ids.staffAdminId, entity_id: String(user.id) });
    expect(auditRow.after_json).not.toContain(temporaryPassword);

    await expect(createStaffUser(t.ctx, t.actors.admin, { username: 'cuisine.martine', displayName: 'Autre', role: 'secretariat' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createStaffUser(t.ctx, t.actors.admin, { username: 'a', displayName: 'Autre', role: 'secretariat' })).rejects.toThrow(/Identifiant invalide/);
    await expect(createStaffUser(t.ctx, t.actors.admin, { username: 'abc', displayName: 'Autre', role: 'chef' as never })).rejects.toThrow(/Rôle inconnu/);
    expect((await listStaffUsers(t.ctx, t.actors.admin)).map((u) => u.username)).toContain('cuisine.martine');
  });

  it('changes role and active flag, closes sessions, and keeps one active admin', async () => {
    await t.db('sessions').insert({ token_hash: 'h1', kind: 'staff', staff_user_id: t.ids.staffSecretariatId, csrf_token: 'c', created_at: 'x', last_seen_at: 'x', expires_at: '2999-01-01' });
    const updated = await updateStaffUser(t.ctx, t.actors.admin, { id: t.ids.staffSecretariatId, role: 'restauration' });
    expect(updated.role).toBe('restauration');
    expect(await t.db('sessions').where({ staff_user_id: t.ids.staffSecretariatId }).first()).toBeUndefined();
    const a = await t.db('audit_log').where({ action: 'staff_user.update' }).first();
    expect(JSON.parse(a.before_json).role).toBe('secretariat');
    expect(JSON.parse(a.after_json).role).toBe('restauration');

    await expect(updateStaffUser(t.ctx, t.actors.admin, { id: t.ids.staffAdminId, active: false })).rejects.toThrow(/au moins un administrateur/);
    await expect(updateStaffUser(t.ctx, t.actors.admin, { id: t.ids.staffAdminId, role: 'secretariat' })).rejects.toThrow(/au moins un administrateur/);
    await expect(updateStaffUser(t.ctx, t.actors.admin, { id: 999, active: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resets a password and unlocks the account', async () => {
    await t.db('staff_users').where({ id: t.ids.staffRestaurationId }).update({ failed_logins: 5, locked_until: '2999-01-01T00:00:00Z' });
    const { username, temporaryPassword } = await resetStaffPassword(t.ctx, t.actors.admin, { id: t.ids.staffRestaurationId });
    expect(username).toBe('restauration');
    const row = await t.db('staff_users').where({ id: t.ids.staffRestaurationId }).first();
    expect(row.failed_logins).toBe(0);
    expect(row.locked_until).toBeNull();
    expect(!!row.must_change_password).toBe(true);
    expect(await verifyPassword(temporaryPassword, row.password_hash)).toBe(true);
  });
});
