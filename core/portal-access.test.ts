import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from './auth.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { createPortalLogin, listPortalAccounts, resetPortalPassword, suggestUsername, welcomeLetter } from './portal-access.js';
import { createTestDb, type TestDb } from './test-support.js';
import { insertedId } from './wallet.js';

let t: TestDb;
let contactId: number;
beforeEach(async () => {
  t = await createTestDb();
  const [row] = await t.db('contacts')
    .insert({
      family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', address1: 'Chemin de la lune',
      postal_code: '45600', city: 'JUMEX', mobile: '06 07 89 70 15', email: 'pasdemail@qjis.fr', created_at: 'x', updated_at: 'x',
    })
    .returning('id');
  contactId = insertedId(row);
});
afterEach(async () => {
  await t.db.destroy();
});

describe('portal access', () => {
  it('suggests a readable, unique username', async () => {
    expect(await suggestUsername(t.ctx, 'Zoé', 'D’Artagnan')).toBe('zoe.d-artagnan');
    expect(await suggestUsername(t.ctx, 'Chantal', 'DEVRET')).toBe('chantal.devret2'); // the fixture holds chantal.devret
  });

  it('creates a login for a contact, then a welcome letter with the credentials', async () => {
    await t.db('parent_accounts').where({ username: 'chantal.devret' }).update({ username: 'ancien.compte' });
    const created = await createPortalLogin(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, contactId });
    expect(created.username).toBe('chantal.devret');
    const accounts = await listPortalAccounts(t.ctx, t.actors.secretariat, t.ids.familyId);
    expect(accounts.find((a) => a.id === created.parentAccountId)).toMatchObject({ contactName: 'Chantal DEVRET', email: 'pasdemail@qjis.fr', mustChangePassword: true });
    await expect(createPortalLogin(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, contactId })).rejects.toMatchObject({ code: 'CONFLICT' });

    const letter = await welcomeLetter(t.ctx, t.actors.secretariat, {
      familyId: t.ids.familyId, parentAccountId: created.parentAccountId, temporaryPassword: created.temporaryPassword, portalUrl: 'https://eticket.port-sainte-foy.info/',
    });
    const text = await pdfToText(letter.pdf);
    expect(letter.filename).toBe('lettre-bienvenue-chantal.devret.pdf');
    expect(text).toContain('Madame Chantal DEVRET');
    expect(text).toContain('Chemin de la lune');
    expect(text).toMatch(/Identifiant :\s+chantal\.devret/);
    expect(text).toContain(created.temporaryPassword);
    expect(text).toContain('https://eticket.port-sainte-foy.info/');

    await expect(
      welcomeLetter(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, parentAccountId: created.parentAccountId, temporaryPassword: 'faux-faux-faux', portalUrl: 'x' }),
    ).rejects.toThrow(/ne correspond plus/);
  });

  it('resets a password to a new temporary one, only within the family, for the secretariat', async () => {
    const reset = await resetPortalPassword(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, parentAccountId: t.ids.parentAccountId });
    const row = await t.db('parent_accounts').where({ id: t.ids.parentAccountId }).first();
    expect(await verifyPassword(reset.temporaryPassword, row.password_hash)).toBe(true);
    expect(!!row.must_change_password).toBe(true);
    expect(await t.db('audit_log').where({ action: 'account.password_reset_by_staff' }).count({ n: '*' }).first()).toEqual({ n: 1 });

    await expect(resetPortalPassword(t.ctx, t.actors.secretariat, { familyId: t.ids.otherFamilyId, parentAccountId: t.ids.parentAccountId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resetPortalPassword(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, parentAccountId: t.ids.parentAccountId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listPortalAccounts(t.ctx, t.actors.restauration, t.ids.familyId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
