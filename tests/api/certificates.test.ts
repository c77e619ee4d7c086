// "Factures et attestations" over HTTP (real SQLite or PostgreSQL, the real Express app, sessions):
// who may ask, the parent's own family only, French 400s on bad years and periods, PDFs read back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildcareCertificate, PresenceCertificate } from '../../api/certificates.js';
import type { InvoicesResponse } from '../../api/parent.js';
import { hashPassword } from '../../core/auth.js';
import { recordAttendance } from '../../core/attendance.js';
import { applyBookingChanges } from '../../core/bookings.js';
import { recordCounterSale } from '../../core/sales.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, PASSWORD, signedInStaff, snapshotCounts, startHarness, type Harness } from './harness.js';

// Monday 9 March 2026, 10:00 Paris.
const NOW = '2026-03-09T09:00:00.000Z';
let t: TestDb;
let h: Harness;

const F = () => `/api/staff/families/${t.ids.familyId}`;
const parentOf = async (username: string): Promise<Browser> => {
  const b = new Browser(h.url);
  expect((await b.loginParent(username)).status).toBe(200);
  return b;
};

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId, amountCents: 2000, method: 'especes' });
  const { garderieMatin, garderieSoir } = t.ids.activityIds;
  await applyBookingChanges(t.ctx, t.actors.secretariat, {
    familyId: t.ids.familyId,
    changes: [
      { childId: t.ids.childMargotId, activityId: garderieMatin, date: '2026-03-10', action: 'book' },
      { childId: t.ids.childMargotId, activityId: garderieSoir, date: '2026-03-10', action: 'book' },
    ],
  });
  t.clock.set('2026-03-10T18:00:00.000Z');
  await recordAttendance(t.ctx, t.actors.secretariat, { activityId: garderieMatin, date: '2026-03-10', marks: [{ childId: t.ids.childMargotId, present: true, justified: false }] });
  h = await startHarness({ db: t.db, clock: t.clock });
});
afterEach(async () => {
  await h.close();
});

describe('roles', () => {
  it('admin and secretariat issue; restauration and parents get 403 on staff routes; no session 401; nothing written', async () => {
    const before = await snapshotCounts(t.db);
    for (const who of ['admin', 'secretariat']) {
      const b = await signedInStaff(h, who);
      const c = await b.get<ChildcareCertificate>(`${F()}/certificates/childcare?annee=2026`);
      expect(c.status, who).toBe(200);
      expect(c.body.totalCents).toBe(150 + 200);
      expect((await b.get(`${F()}/invoices`)).status).toBe(200);
    }
    const cook = await signedInStaff(h, 'restauration');
    const refused = await cook.get<{ error: { message: string } }>(`${F()}/certificates/childcare?annee=2026`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/^Accès refusé|réservée/);
    expect((await cook.get(`${F()}/certificates/presence/pdf?du=2026-03-01&au=2026-03-31`)).status).toBe(403);
    expect((await (await parentOf('chantal.devret')).get(`${F()}/certificates/childcare?annee=2026`)).status).toBe(403);
    expect((await new Browser(h.url).get('/api/parent/certificates/childcare?annee=2026')).status).toBe(401);
    expect(await snapshotCounts(t.db)).toEqual(before);
  });
});

describe('the parent', () => {
  it('downloads the family’s childcare and presence attestations, read back', async () => {
    const b = await parentOf('chantal.devret');
    const c = await b.get<ChildcareCertificate>('/api/parent/certificates/childcare?annee=2026');
    expect(c.body.lines.map((l) => [l.firstName, l.paidCents, l.days])).toEqual([['Margot', 350, 1]]);
    const pdf = await b.get('/api/parent/certificates/childcare/pdf?annee=2026');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfToText(pdf.bytes!)).replace(/\s+/g, ' ');
    expect(text).toContain('Attestation de frais de garde');
    expect(text).toContain('DEVRET Margot');
    expect(text).toContain('20/06/2021');
    expect(text).toContain('3,50 €');

    const p = await b.get<PresenceCertificate>('/api/parent/certificates/presence?du=2026-03-01&au=2026-03-31');
    expect(p.body.children.map((ch) => [ch.firstName, ch.activities.map((a) => a.days)])).toEqual([['Margot', [1]]]);
    const presence = await b.get('/api/parent/certificates/presence/pdf?du=2026-03-01&au=2026-03-31');
    expect(presence.status).toBe(200);
    expect((await pdfToText(presence.bytes!)).replace(/\s+/g, ' ')).toContain('mars 2026 : 10');
  });

  it('a parent of another family reaches only their own: no DEVRET child, and no paper', async () => {
    const b = await parentOf('paul.martin');
    const c = await b.get<ChildcareCertificate>('/api/parent/certificates/childcare?annee=2026');
    expect(c.status).toBe(200);
    expect(c.body.familyName).toBe('MARTIN');
    expect(c.body.lines).toEqual([]);
    const pdf = await b.get<{ error: { message: string } }>('/api/parent/certificates/childcare/pdf?annee=2026');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.message).toBe('Aucun enfant de la famille n’avait moins de 6 ans au 1er janvier 2026 : pas d’attestation de frais de garde pour cette année.');
  });

  it('refuses bad years and periods with a French 400', async () => {
    const b = await parentOf('chantal.devret');
    const cases: Array<[string, RegExp]> = [
      ['childcare?annee=abc', /^Année invalide/],
      ['childcare?annee=1999', /^Année invalide/],
      ['childcare?annee=2027', /^L’année 2027 n’est pas encore commencée/],
      ['childcare', /Année invalide/],
      ['presence?du=2026-02-30&au=2026-03-01', /Cette date n’existe pas/],
      ['presence?du=2026-03-10&au=2026-03-01', /La date de fin doit être postérieure/],
      ['presence?du=2024-01-01&au=2026-01-01', /un an/],
      ['presence/pdf?du=2026-01-01&au=2026-01-31', /^Aucune présence pointée du 01\/01\/2026 au 31\/01\/2026/],
    ];
    for (const [q, message] of cases) {
      const r = await b.get<{ error: { message: string } }>(`/api/parent/certificates/${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toMatch(message);
    }
  });
});

describe('the staff card', () => {
  it('lists the invoices and statement months, serves them, and answers 404 for another family’s invoice', async () => {
    const [inv] = await t.db('invoices').where('family_id', t.ids.familyId).select('id', 'number');
    const b = await signedInStaff(h, 'secretariat');
    const list = await b.get<InvoicesResponse>(`${F()}/invoices`);
    expect(list.body.statementMonths).toEqual(['2026-03']);
    // The counter sale of the set-up issued the family's invoice.
    expect(inv).toBeDefined();
    expect(list.body.invoices.map((i) => i.number)).toEqual([inv.number]);
    const pdf = await b.get(`${F()}/invoices/${inv.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(await pdfToText(pdf.bytes!)).toContain(inv.number);
    expect((await b.get(`/api/staff/families/${t.ids.otherFamilyId}/invoices/${inv.id}/pdf`)).status).toBe(404);
    const statement = await b.get(`${F()}/statements/2026-03/pdf`);
    expect(statement.status).toBe(200);
    expect((await b.get('/api/staff/families/999999/certificates/childcare?annee=2026')).status).toBe(404);
    expect((await b.get('/api/staff/families/999999/invoices')).status).toBe(404);
  });

  it('reads the attestation in a fixed number of queries, whatever the number of children', async () => {
    const b = await signedInStaff(h, 'secretariat');
    let n = 0;
    const count = () => {
      n += 1;
    };
    t.db.on('query', count);
    await b.get(`${F()}/certificates/childcare?annee=2026`);
    const withThree = n;
    for (let i = 0; i < 5; i++) {
      await t.db('children').insert({ family_id: t.ids.familyId, first_name: `Enfant${i}`, last_name: 'DEVRET', birth_date: '2022-01-10', created_at: NOW, updated_at: NOW });
    }
    n = 0;
    await b.get(`${F()}/certificates/childcare?annee=2026`);
    t.db.off('query', count);
    expect(n).toBe(withThree);
  });
});
