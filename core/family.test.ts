import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalisePhone } from '../api/rules.js';
import { addContact, cleanContact, getFamilyDossier, listFamilyChanges, markFamilyChangesReviewed, normaliseFrenchPhone, updateChildHealth, updateContact, type ContactValues } from './family.js';
import { createTestDb, type TestDb } from './test-support.js';

const card: ContactValues = {
  relationship: 'MERE', lastName: 'Devret', firstName: 'Chantal', address1: 'Chemin de la lune', address2: '', address3: '', postalCode: '45600',
  city: 'Jumex', phone: '', mobile: '06 07 89 70 15', workPhone: '04 76 89 10 11', workMobile: '04 76 89 10 11', email: 'pasdemail@qjis.fr',
  note: '', useForBilling: true, emergencyContact: true, authorizedPickup: true,
};

describe('phone numbers', () => {
  it.each([
    ['06 07 89 70 15', '06 07 89 70 15'],
    ['0607897015', '06 07 89 70 15'],
    ['06.07.89.70.15', '06 07 89 70 15'],
    ['+33 6 07 89 70 15', '06 07 89 70 15'],
    ['+33 (0)6 07 89 70 15', '06 07 89 70 15'],
    ['0033607897015', '06 07 89 70 15'],
    ['05-53-22-24-13', '05 53 22 24 13'],
    ['+44 20 7946 0958', '+442079460958'],
    ['', ''],
    ['06 07 89', null],
    ['00 00 00 00 00', null],
    ['06 07 89 70 15 16', null],
    ['téléphone', null],
  ])('%s -> %s, the same in core and in the clients', (input, expected) => {
    expect(normaliseFrenchPhone(input)).toBe(expected);
    expect(normalisePhone(input)).toBe(expected);
  });
});

describe('contact cards', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  it('normalises a card: upper-case name and city, formatted phones, trimmed fields', () => {
    const clean = cleanContact({ ...card, lastName: ' devret ', mobile: '0607897015' });
    expect(clean).toMatchObject({ lastName: 'DEVRET', city: 'JUMEX', mobile: '06 07 89 70 15' });
    expect(() => cleanContact({ ...card, email: 'x@' })).toThrow('Mél : adresse e-mail invalide');
    expect(() => cleanContact({ ...card, postalCode: '4560' })).toThrow('Code postal');
    expect(() => cleanContact({ ...card, firstName: '' })).toThrow('Prénom : ce champ est obligatoire.');
  });

  it('audits a parent’s change with only the changed fields, flagged for the secretariat; staff changes are not flagged', async () => {
    const added = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: card });
    await updateContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: added.id, values: { ...card, mobile: '06 11 22 33 44' } });
    // Saving the same values again writes nothing.
    await updateContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: added.id, values: { ...card, mobile: '06 11 22 33 44' } });
    await updateContact(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, contactId: added.id, values: { ...card, mobile: '06 99 99 99 99' } });
    const rows = await t.db('audit_log').where('entity', 'contact').orderBy('id');
    expect(rows.map((r) => [r.action, r.actor_kind, Boolean(r.needs_review)])).toEqual([
      ['contact.create', 'parent', true],
      ['contact.update', 'parent', true],
      ['contact.update', 'staff', false],
    ]);
    expect(JSON.parse(rows[1].before_json)).toEqual({ mobile: '06 07 89 70 15' });

    const pending = await listFamilyChanges(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId });
    expect(pending.map((c) => c.action)).toEqual(['contact.update', 'contact.create']);
    await expect(listFamilyChanges(t.ctx, t.actors.restauration)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await markFamilyChangesReviewed(t.ctx, t.actors.secretariat, pending.map((c) => c.id))).toBe(2);
    expect(await listFamilyChanges(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId })).toEqual([]);
  });

  it('keeps families apart and keeps canteen staff out of the family file', async () => {
    const added = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: card });
    await expect(updateContact(t.ctx, t.actors.otherParent, { familyId: t.ids.otherFamilyId, contactId: added.id, values: card })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(updateContact(t.ctx, t.actors.otherParent, { familyId: t.ids.familyId, contactId: added.id, values: card })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(updateChildHealth(t.ctx, t.actors.parent, { familyId: t.ids.familyId, childId: t.ids.otherChildId, diet: 'vegetarien', allergies: '' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getFamilyDossier(t.ctx, t.actors.restauration, t.ids.familyId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const child = await updateChildHealth(t.ctx, t.actors.parent, { familyId: t.ids.familyId, childId: t.ids.childJuliaId, diet: 'sans_gluten', allergies: ' Kiwi ' });
    expect(child).toMatchObject({ diet: 'sans_gluten', allergies: 'Kiwi' });
  });
});
