import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeContact, saveContactCards } from './family-cards.js';
import { addContact, listFamilyChanges, type ContactValues } from './family.js';
import { queryJournal } from './journal.js';
import { createTestDb, type TestDb } from './test-support.js';

const mother: ContactValues = {
  relationship: 'MERE', lastName: 'Devret', firstName: 'Chantal', address1: 'Chemin de la lune', address2: '', address3: '', postalCode: '45600',
  city: 'Jumex', phone: '', mobile: '06 07 89 70 15', workPhone: '', workMobile: '', email: 'pasdemail@qjis.fr',
  note: '', useForBilling: true, emergencyContact: true, authorizedPickup: true,
};
const nanny: ContactValues = { ...mother, relationship: 'NOUNOU', lastName: 'Bernard', firstName: 'Nadia', email: '', useForBilling: false };

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const auditRows = () => t.db('audit_log').where('entity', 'contact').orderBy('id').select('action', 'entity_id', 'before_json', 'after_json', 'needs_review');

describe('Je valide mes modifications, for all cards at once', () => {
  it('saves the changed cards and the new one in one go, auditing each changed card and nothing for an unchanged one', async () => {
    const m = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: mother });
    const n = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: nanny });
    await t.db('audit_log').delete();
    const dossier = await saveContactCards(t.ctx, t.actors.parent, {
      familyId: t.ids.familyId,
      cards: [
        { id: m.id, values: { ...mother, mobile: '0611223344' } },
        { id: n.id, values: { ...nanny, lastName: 'BERNARD', city: 'JUMEX' } },
        { id: null, values: { ...nanny, relationship: 'AUTRE', firstName: 'Odile', lastName: 'Faure' } },
      ],
    });
    expect(dossier.contacts.map((c) => `${c.relationship} ${c.lastName} ${c.firstName} ${c.mobile}`)).toEqual([
      'MERE DEVRET Chantal 06 11 22 33 44',
      'NOUNOU BERNARD Nadia 06 07 89 70 15',
      'AUTRE FAURE Odile 06 07 89 70 15',
    ]);
    const rows = await auditRows();
    expect(rows.map((r) => [r.action, Boolean(r.needs_review)])).toEqual([
      ['contact.update', true],
      ['contact.create', true],
    ]);
    expect(JSON.parse(rows[0]!.after_json)).toEqual({ mobile: '06 11 22 33 44' });
  });

  it('saves nothing when any card has a mistake, and names each card’s field', async () => {
    const m = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: mother });
    const before = await t.db('contacts').orderBy('id').select();
    const err = await saveContactCards(t.ctx, t.actors.parent, {
      familyId: t.ids.familyId,
      cards: [
        { id: m.id, values: { ...mother, mobile: '06 99 99 99 99' } },
        { id: null, values: { ...nanny, postalCode: '3322' } },
        { id: null, values: { ...nanny, firstName: '  ' } },
      ],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'VALIDATION',
      message: '2 fiches sont à corriger : Code postal : 5 chiffres attendus (exemple : 33220).',
      details: {
        issues: [
          { path: 'cards.1.postalCode', message: 'Code postal : 5 chiffres attendus (exemple : 33220).' },
          { path: 'cards.2.firstName', message: 'Prénom : ce champ est obligatoire.' },
        ],
      },
    });
    expect(await t.db('contacts').orderBy('id').select()).toEqual(before);
    expect(await auditRows()).toHaveLength(1);
  });

  it('refuses another family’s card, a card sent twice and a thirteenth card, changing nothing', async () => {
    const m = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: mother });
    const theirs = await addContact(t.ctx, t.actors.otherParent, { familyId: t.ids.otherFamilyId, values: mother });
    const save = (cards: Array<{ id: number | null; values: ContactValues }>) => saveContactCards(t.ctx, t.actors.parent, { familyId: t.ids.familyId, cards });
    await expect(save([{ id: m.id, values: { ...mother, city: 'Paris' } }, { id: theirs.id, values: nanny }])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(save([{ id: m.id, values: mother }, { id: m.id, values: nanny }])).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(save(Array.from({ length: 12 }, () => ({ id: null, values: nanny })))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('12 fiches') });
    await expect(saveContactCards(t.ctx, t.actors.otherParent, { familyId: t.ids.familyId, cards: [{ id: m.id, values: nanny }] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.db('contacts').where('id', m.id).first()).city).toBe('JUMEX');
    expect(await t.db('contacts').where('family_id', t.ids.familyId).count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});

describe('Supprimer cette fiche', () => {
  it('removes the old nanny, keeps her whole card in the audit, and the secretariat reads it in French', async () => {
    await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: mother });
    const n = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: nanny });
    const dossier = await removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: n.id });
    expect(dossier.contacts.map((c) => c.firstName)).toEqual(['Chantal']);
    expect(await t.db('contacts').where('id', n.id).first()).toBeUndefined();

    const [row] = (await auditRows()).filter((r) => r.action === 'contact.delete');
    expect(row!.entity_id).toBe(String(n.id));
    expect(JSON.parse(row!.before_json)).toMatchObject({ relationship: 'NOUNOU', lastName: 'BERNARD', firstName: 'Nadia', mobile: '06 07 89 70 15' });
    expect(row!.after_json).toBeNull();

    const changes = await listFamilyChanges(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId });
    expect(changes[0]).toMatchObject({ action: 'contact.delete', note: 'Fiche supprimée NOUNOU > BERNARD Nadia', needsReview: true });
    const journal = await queryJournal(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId });
    const entry = journal.rows.find((r) => r.action === 'contact.delete')!;
    expect(entry.actionLabel).toBe('Fiche de contact supprimée');
    expect(entry.changes).toContain('Prénom : Nadia');

    // Removed already (a second tap): the card is gone, nothing else happens.
    await expect(removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: n.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the last parent card, the billing card and the card of a portal account, with the reason in French', async () => {
    const m = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: { ...mother, useForBilling: false } });
    const billingNanny = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: { ...nanny, useForBilling: true } });
    await expect(removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: m.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Le dossier doit garder au moins une fiche de parent ou de tuteur : cette fiche ne peut pas être supprimée.',
    });
    await expect(removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: billingNanny.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('porte l’adresse de facturation'),
    });
    const father = await addContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, values: { ...mother, relationship: 'PERE', firstName: 'Marc' } });
    await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ contact_id: father.id });
    await expect(removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: father.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('liée à un compte du portail'),
    });
    // With the father's card there, the mother's may go.
    await removeContact(t.ctx, t.actors.parent, { familyId: t.ids.familyId, contactId: m.id });
    // Another family's card and canteen staff: refused.
    await expect(removeContact(t.ctx, t.actors.otherParent, { familyId: t.ids.familyId, contactId: billingNanny.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(removeContact(t.ctx, t.actors.parent, { familyId: t.ids.otherFamilyId, contactId: billingNanny.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(removeContact(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, contactId: billingNanny.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.db('contacts').where('id', billingNanny.id).first()).toBeDefined();
  });
});
