import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyDossier } from '../../api/parent.js';
import { Browser, createFamily, createStaff, startHarness, type FamilyFixture, type Harness } from './harness.js';

const nanny = {
  relationship: 'NOUNOU', lastName: 'Bernard', firstName: 'Nadia', address1: '', address2: '', address3: '', postalCode: '33220', city: 'Port-Sainte-Foy',
  phone: '', mobile: '06 11 22 33 44', workPhone: '', workMobile: '', email: '', note: '', useForBilling: false, emergencyContact: true, authorizedPickup: true,
};

let h: Harness;
let fam: FamilyFixture;
let other: FamilyFixture;
const parent = () => new Browser(h.url);

beforeAll(async () => {
  h = await startHarness();
  fam = await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret' });
  other = await createFamily(h.db, { name: 'MARTIN', username: 'paul.martin' });
  await createStaff(h.db, 'secretariat', 'secretariat');
});
afterAll(async () => {
  await h.close();
});

describe('PUT /api/parent/contacts (one validation for all cards)', () => {
  it('saves all cards or none, with each mistake at its card and field, and refuses hostile bodies with a 400', async () => {
    const p = parent();
    await p.loginParent('chantal.devret');
    const start = (await p.get<FamilyDossier>('/api/parent/family')).body;
    const mother = start.contacts[0]!;

    const bad = await p.put<{ error: { code: string; message: string; details: { issues: Array<{ path: string; message: string }> } } }>('/api/parent/contacts', {
      cards: [
        { ...mother, mobile: '06 99 99 99 99' },
        { ...nanny, id: null, postalCode: '12' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues).toContainEqual({ path: 'cards.1.postalCode', message: 'Code postal : 5 chiffres attendus (exemple : 33220).' });
    expect((await p.get<FamilyDossier>('/api/parent/family')).body).toEqual(start);

    const ok = await p.put<FamilyDossier>('/api/parent/contacts', { cards: [{ ...mother, mobile: '0699999999' }, { ...nanny, id: null }] });
    expect(ok.status).toBe(200);
    expect(ok.body.contacts.map((c) => [c.relationship, c.lastName, c.mobile])).toEqual([
      ['MERE', 'DEVRET', '06 99 99 99 99'],
      ['NOUNOU', 'BERNARD', '06 11 22 33 44'],
    ]);

    for (const body of [{}, { cards: 'tout' }, { cards: [] }, { cards: [{ ...nanny, id: 'x' }] }, { cards: [{ ...nanny, id: null, useForBilling: 'oui' }] }, '[[[[', { cards: [{ ...nanny, id: -1 }] }]) {
      const r = await p.request('PUT', '/api/parent/contacts', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).not.toMatch(/Invalid|Expected|stack/);
    }
    // Another family's card id: "introuvable", and that family's card is untouched.
    const theirs = (await h.db('contacts').where('family_id', other.familyId).first()) as { id: number; mobile: string };
    const stolen = await p.put('/api/parent/contacts', { cards: [{ ...nanny, id: theirs.id }] });
    expect(stolen.status).toBe(404);
    expect((await h.db('contacts').where('id', theirs.id).first()).mobile).toBe(theirs.mobile);
    // Without the CSRF token: refused.
    expect((await p.put('/api/parent/contacts', { cards: [{ ...nanny, id: null }] }, { csrf: false })).status).toBe(403);
  });
});

describe('DELETE /api/parent/contacts/:id', () => {
  it('removes the family’s own card, keeps the account’s card, and shows the removal to the secretariat in French', async () => {
    const p = parent();
    await p.loginParent('chantal.devret');
    const added = await p.post<{ id: number }>('/api/parent/contacts', { ...nanny, firstName: 'Odile' });
    expect(added.status).toBe(201);

    const theirs = (await h.db('contacts').where('family_id', other.familyId).first()) as { id: number };
    expect((await p.delete(`/api/parent/contacts/${theirs.id}`)).status).toBe(404);
    expect((await p.delete('/api/parent/contacts/abc')).status).toBe(400);
    const own = await p.delete<{ error: { message: string } }>(`/api/parent/contacts/${fam.contactId}`);
    expect(own.status).toBe(409);
    expect(own.body.error.message).toMatch(/liée à un compte du portail/);

    const gone = await p.delete<FamilyDossier>(`/api/parent/contacts/${added.body.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body.contacts.some((c) => c.id === added.body.id)).toBe(false);
    expect((await p.delete(`/api/parent/contacts/${added.body.id}`)).status).toBe(404);

    const staff = new Browser(h.url);
    await staff.loginStaff('secretariat');
    const changes = await staff.get<{ changes: Array<{ action: string; note: string; before: Record<string, unknown> | null }> }>(`/api/staff/changes?familyId=${fam.familyId}`);
    expect(changes.body.changes[0]).toMatchObject({ action: 'contact.delete', note: 'Fiche supprimée NOUNOU > BERNARD Odile', before: { firstName: 'Odile', mobile: '06 11 22 33 44' } });
    const journal = await staff.get<{ rows: Array<{ action: string; actionLabel: string; changes: string[] }> }>(`/api/staff/audit?familyId=${fam.familyId}&action=contact.delete`);
    expect(journal.body.rows[0]).toMatchObject({ actionLabel: 'Fiche de contact supprimée' });
    expect(journal.body.rows[0]!.changes).toContain('Lien avec l’enfant : NOUNOU');
  });
});
