import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { adjustWallet } from '../../core/wallet.js';
import { writeTransaction } from '../../core/tx.js';
import { issueInvoice } from '../../core/invoices.js';
import { createThread, replyAsStaff } from '../../core/messages.js';
import { pdfToText } from '../support/pdf-text.js';
import { Browser, setPasswords, snapshotCounts, startHarness, insertId, type Harness } from './harness.js';

/**
 * The parent API end to end, in process: a real SQLite database with the core fixtures
 * (DEVRET with Julia, Louis, Margot; MARTIN with Léo), the real Express app, real HTTP.
 * The clock is Monday 2 March 2026, 10:00 in Paris.
 */

let t: TestDb;
let h: Harness;
let devret: Browser;
let martin: Browser;
let fixtures: { martinSubscriptionId: number; martinPaymentId: number; martinContactId: number; martinInvoiceId: number; martinThreadId: number; martinDocumentId: number; devretContactId: number };

const ts = '2026-01-01T00:00:00.000Z';
const NEXT_THURSDAY = '2026-03-12';

function contactBody(overrides: Record<string, unknown> = {}) {
  return {
    relationship: 'MERE', lastName: 'DEVRET', firstName: 'Chantal', address1: 'Chemin de la lune', address2: '', address3: '',
    postalCode: '45600', city: 'JUMEX', phone: '', mobile: '06 07 89 70 15', workPhone: '04 76 89 10 11', workMobile: '04 76 89 10 11',
    email: 'pasdemail@qjis.fr', note: '', useForBilling: true, emergencyContact: true, authorizedPickup: true, ...overrides,
  };
}

beforeEach(async () => {
  t = await createTestDb();
  await setPasswords(t.db);
  h = await startHarness({ db: t.db, clock: t.clock });
  const devretContactId = await insertId(t.db, 'contacts', {
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', address1: 'Chemin de la lune', postal_code: '45600',
    city: 'JUMEX', mobile: '06 07 89 70 15', work_phone: '04 76 89 10 11', work_mobile: '04 76 89 10 11', email: 'pasdemail@qjis.fr',
    use_for_billing: true, emergency_contact: true, authorized_pickup: true, created_at: ts, updated_at: ts,
  });
  const martinContactId = await insertId(t.db, 'contacts', {
    family_id: t.ids.otherFamilyId, relationship: 'PERE', last_name: 'MARTIN', first_name: 'Paul', mobile: '06 11 22 33 44', created_at: ts, updated_at: ts,
  });
  const martinInvoice = await writeTransaction(t.db, (trx) =>
    issueInvoice(trx, { familyId: t.ids.otherFamilyId, kind: 'topup', status: 'paid', lines: [{ label: 'Crédit', quantity: 1, unitCents: 1500 }] }, t.clock.now()),
  );
  const martinThread = await createThread(t.ctx, t.actors.otherParent, { familyId: t.ids.otherFamilyId, subject: 'Question de Léo', body: 'Bonjour' });
  const storedName = 'a'.repeat(40) + '.pdf';
  fs.mkdirSync(path.join(h.dataDir, 'documents'), { recursive: true });
  fs.writeFileSync(path.join(h.dataDir, 'documents', storedName), '%PDF-1.4 secret de la famille MARTIN');
  const martinDocumentId = await insertId(t.db, 'documents', {
    family_id: t.ids.otherFamilyId, title: 'Attestation CAF', original_name: 'caf.pdf', stored_name: storedName, mime_type: 'application/pdf',
    size_bytes: 36, status: 'pending', uploaded_at: ts,
  });
  const martinPaymentId = await insertId(t.db, 'online_payments', {
    refdet: 'ET20260302MARTIN00001', family_id: t.ids.otherFamilyId, wallet_id: t.ids.walletRestaurationId, amount_cents: 2000,
    email: 'paul@exemple.fr', objet: 'Credit eTicket', status: 'paid', created_at: ts, updated_at: ts,
  });
  const martinSubscriptionId = await insertId(t.db, 'subscriptions', {
    child_id: t.ids.otherChildId, activity_id: t.ids.activityIds.cantine, weekdays: '1,2', date_from: '2026-03-09', date_to: '2026-03-31', created_at: ts,
  });
  fixtures = { martinSubscriptionId, martinPaymentId, martinContactId, martinInvoiceId: martinInvoice.invoiceId, martinThreadId: martinThread.id, martinDocumentId, devretContactId };
  devret = new Browser(h.url);
  martin = new Browser(h.url);
  expect((await devret.loginParent('chantal.devret')).status).toBe(200);
  expect((await martin.loginParent('paul.martin')).status).toBe(200);
});

afterEach(async () => {
  await h.close();
});

async function credit(familyId: number, walletId: number, amountCents: number) {
  await adjustWallet(t.ctx, t.actors.secretariat, { familyId, walletId, amountCents, reason: 'Crédit de test' });
}

type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe('Mon Planning', () => {
  it('shows the week grid with the five states and books then cancels a cell, moving the balance', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 1000);
    const grid = await devret.get<{ children: Array<{ firstName: string; periods: Array<{ rows: Array<{ activityName: string; activityId: number; cells: Array<{ date: string; state: string }> }> }> }>; balances: Array<{ walletId: number; balanceCents: number }> }>(
      '/api/parent/planning?week=2026-03-02',
    );
    expect(grid.status).toBe(200);
    expect(grid.body.children.map((c) => c.firstName)).toEqual(['Julia', 'Louis', 'Margot']);
    const cantine = grid.body.children[0]!.periods[0]!.rows.find((r) => r.activityName === 'Cantine')!;
    const monday = cantine.cells.find((c) => c.date === '2026-03-02')!;
    const wednesday = cantine.cells.find((c) => c.date === '2026-03-04')!;
    expect(monday.state).toBe('locked'); // today, past the D-2 deadline
    expect(wednesday.state).toBe('closed'); // not served on Wednesdays

    const book = await devret.post<{ results: Array<{ outcome: string; state: string }>; balances: Array<{ walletId: number; balanceCents: number }> }>(
      '/api/parent/planning/changes',
      { changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: NEXT_THURSDAY, action: 'book' }] },
    );
    expect(book.status).toBe(200);
    expect(book.body.results[0]).toMatchObject({ outcome: 'done', state: 'booked' });
    expect(book.body.balances.find((b) => b.walletId === t.ids.walletRestaurationId)!.balanceCents).toBe(1000 - 320);

    const after = await devret.get<typeof grid.body>('/api/parent/planning?week=2026-03-09');
    const row = after.body.children[0]!.periods[0]!.rows.find((r) => r.activityName === 'Cantine')!;
    expect(row.cells.find((c) => c.date === NEXT_THURSDAY)!.state).toBe('booked');

    const cancel = await devret.post<{ balances: Array<{ walletId: number; balanceCents: number }> }>('/api/parent/planning/changes', {
      changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: NEXT_THURSDAY, action: 'cancel' }],
    });
    expect(cancel.body.balances.find((b) => b.walletId === t.ids.walletRestaurationId)!.balanceCents).toBe(1000);
  });

  it('refuses a booking without credit, saying how much is missing, and writes nothing', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 100);
    const before = await snapshotCounts(t.db);
    const res = await devret.post<Err>('/api/parent/planning/changes', {
      changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: NEXT_THURSDAY, action: 'book' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INSUFFICIENT_BALANCE');
    expect(res.body.error.details?.missingCents).toBe(220);
    expect(res.body.error.message).toMatch(/2,20/);
    expect(await snapshotCounts(t.db)).toEqual(before);
  });

  it('books a whole week, all activities of a day, and applies a template week', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 10_000);
    await credit(t.ids.familyId, t.ids.walletPeriscolaireId, 10_000);
    await credit(t.ids.familyId, t.ids.walletTransportId, 10_000);
    const week = await devret.post<{ results: Array<{ date: string; outcome: string }> }>('/api/parent/planning/week', {
      childId: t.ids.childLouisId, activityId: t.ids.activityIds.cantine, weekStart: '2026-03-09', action: 'book',
    });
    expect(week.status).toBe(200);
    expect(week.body.results.filter((r) => r.outcome === 'done').map((r) => r.date)).toEqual(['2026-03-09', '2026-03-10', '2026-03-12', '2026-03-13']);
    const day = await devret.post<{ results: Array<{ outcome: string }> }>('/api/parent/planning/day', { childId: t.ids.childMargotId, date: NEXT_THURSDAY, action: 'book' });
    expect(day.status).toBe(200);
    expect(day.body.results.filter((r) => r.outcome === 'done')).toHaveLength(4);
    const template = await devret.post<{ results: Array<{ date: string; action: string; outcome: string }> }>('/api/parent/planning/template', {
      childId: t.ids.childJuliaId, from: '2026-03-09', to: '2026-03-22', pattern: [{ activityId: t.ids.activityIds.cantine, weekdays: [1, 4] }],
    });
    expect(template.status).toBe(200);
    const booked = template.body.results.filter((r) => r.action === 'book' && r.outcome === 'done').map((r) => r.date);
    expect(booked).toEqual(['2026-03-09', '2026-03-12', '2026-03-16', '2026-03-19']);
    const rows = await t.db('bookings').where({ child_id: t.ids.childJuliaId, status: 'booked' }).orderBy('date').pluck('date');
    expect(rows).toEqual(booked);
  });
});

describe('je gère mes abonnements', () => {
  it('creates a subscription that books its days, lists it, and ends it with refunds', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 10_000);
    const created = await devret.post<{ subscription: { id: number; active: boolean; weekdays: number[] }; batch: { results: Array<{ date: string; outcome: string }> } }>(
      '/api/parent/subscriptions',
      { childId: t.ids.childLouisId, activityId: t.ids.activityIds.cantine, weekdays: [2, 5], from: '2026-03-09', to: '2026-03-22' },
    );
    expect(created.status).toBe(201);
    expect(created.body.subscription).toMatchObject({ active: true, weekdays: [2, 5] });
    expect(created.body.batch.results.filter((r) => r.outcome === 'done').map((r) => r.date)).toEqual(['2026-03-10', '2026-03-13', '2026-03-17', '2026-03-20']);
    const list = await devret.get<{ subscriptions: Array<{ id: number; activityName: string }> }>(`/api/parent/subscriptions?childId=${t.ids.childLouisId}`);
    expect(list.body.subscriptions.map((x) => x.activityName)).toEqual(['Cantine']);
    expect((await martin.get<{ subscriptions: unknown[] }>('/api/parent/subscriptions')).body.subscriptions).toHaveLength(1); // only MARTIN's own

    const ended = await devret.post<{ subscription: { active: boolean } }>(`/api/parent/subscriptions/${created.body.subscription.id}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body.subscription.active).toBe(false);
    const still = await t.db('bookings').where({ child_id: t.ids.childLouisId, status: 'booked' }).count({ n: '*' }).first();
    expect(still).toMatchObject({ n: 0 });
  });
});

describe('a parent reaches only their own family', () => {
  it('answers 404 or 403 and changes nothing on every route naming another family’s data', async () => {
    // MARTIN has a booking and credit, so a cancel by DEVRET would have something to change.
    await credit(t.ids.otherFamilyId, t.ids.walletRestaurationId, 5000);
    const booked = await martin.post('/api/parent/planning/changes', {
      changes: [{ childId: t.ids.otherChildId, activityId: t.ids.activityIds.cantine, date: NEXT_THURSDAY, action: 'book' }],
    });
    expect(booked.status).toBe(200);
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 5000);

    const before = await snapshotCounts(t.db);
    const leo = t.ids.otherChildId;
    const cantine = t.ids.activityIds.cantine;
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', '/api/parent/planning/changes', { changes: [{ childId: leo, activityId: cantine, date: NEXT_THURSDAY, action: 'cancel' }] }],
      ['POST', '/api/parent/planning/changes', { changes: [{ childId: leo, activityId: cantine, date: '2026-03-13', action: 'book' }] }],
      ['POST', '/api/parent/planning/week', { childId: leo, activityId: cantine, weekStart: '2026-03-09', action: 'cancel' }],
      ['POST', '/api/parent/planning/day', { childId: leo, date: NEXT_THURSDAY, action: 'cancel' }],
      ['POST', '/api/parent/planning/template', { childId: leo, from: '2026-03-09', to: '2026-03-15', pattern: [{ activityId: cantine, weekdays: [] }] }],
      ['PUT', `/api/parent/contacts/${fixtures.martinContactId}`, contactBody({ lastName: 'PIRATE' })],
      ['PUT', `/api/parent/children/${leo}`, { diet: 'vegetarien', allergies: 'arachide' }],
      ['GET', `/api/parent/invoices/${fixtures.martinInvoiceId}/pdf`],
      ['GET', `/api/parent/documents/${fixtures.martinDocumentId}/file`],
      ['GET', `/api/parent/messages/${fixtures.martinThreadId}`],
      ['POST', `/api/parent/messages/${fixtures.martinThreadId}/replies`, { body: 'Intrus' }],
      ['POST', `/api/parent/messages/${fixtures.martinThreadId}/read`, {}],
      ['GET', `/api/parent/topups/${fixtures.martinPaymentId}`],
      ['POST', '/api/parent/subscriptions', { childId: leo, activityId: cantine, weekdays: [1], from: '2026-03-09', to: '2026-03-20' }],
      ['POST', `/api/parent/subscriptions/${fixtures.martinSubscriptionId}/end`, {}],
    ];
    for (const [method, p, body] of attempts) {
      const res = await devret.request<Err>(method, p, body);
      expect([403, 404], `${method} ${p} answered ${res.status}`).toContain(res.status);
      if (res.body) expect(res.body.error.message, `${method} ${p}`).toMatch(/introuvable|refusé/i);
      expect(res.bytes?.length ?? 0, `${method} ${p} leaked bytes`).toBeLessThan(200);
    }
    // A document naming another family's child.
    const form = new FormData();
    form.set('title', 'Attestation');
    form.set('childId', String(leo));
    form.set('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'a.pdf');
    const upload = await devret.post<Err>('/api/parent/documents', undefined, { formData: form });
    expect(upload.status).toBe(404);

    expect(await snapshotCounts(t.db)).toEqual(before);
    // And MARTIN's own data is still as it was.
    const leoBooking = await t.db('bookings').where({ child_id: leo, date: NEXT_THURSDAY }).first();
    expect(leoBooking.status).toBe('booked');
    const martinDossier = await martin.get<{ contacts: Array<{ lastName: string }> }>('/api/parent/family');
    expect(martinDossier.body.contacts[0]!.lastName).toBe('MARTIN');
    // Lists show only the family's own rows.
    expect((await devret.get<{ invoices: unknown[] }>('/api/parent/invoices')).body.invoices).toHaveLength(0);
    expect((await devret.get<{ threads: unknown[] }>('/api/parent/messages')).body.threads).toHaveLength(0);
    expect((await devret.get<{ documents: unknown[] }>('/api/parent/documents')).body.documents).toHaveLength(0);
  });

  it('refuses parent routes to anonymous visitors and to staff sessions', async () => {
    const anonymous = new Browser(h.url);
    for (const p of ['/api/parent/planning', '/api/parent/family', '/api/parent/invoices', '/api/parent/documents', '/api/parent/messages', '/api/parent/info']) {
      const res = await anonymous.get<Err>(p);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Veuillez vous connecter.');
    }
    const staff = new Browser(h.url);
    await staff.loginStaff('secretariat');
    const res = await staff.get<Err>('/api/parent/family');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Accès refusé.');
  });

  it('refuses changes without the CSRF token on parent routes', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 5000);
    const before = await snapshotCounts(t.db);
    const res = await devret.post<Err>(
      '/api/parent/planning/changes',
      { changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: NEXT_THURSDAY, action: 'book' }] },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF');
    const put = await devret.request<Err>('PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ mobile: '06 00 00 00 01' }), { csrf: false });
    expect(put.status).toBe(403);
    expect(await snapshotCounts(t.db)).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers 400 with a French message on every route and writes nothing', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 5000);
    const before = await snapshotCounts(t.db);
    const julia = t.ids.childJuliaId;
    const cantine = t.ids.activityIds.cantine;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['GET', '/api/parent/planning?week=2026-02-30', undefined, /n’existe pas/],
      ['GET', '/api/parent/planning?week=demain', undefined, /Date invalide/],
      ['POST', '/api/parent/planning/changes', { changes: [] }, /Aucune case/],
      ['POST', '/api/parent/planning/changes', { changes: [{ childId: julia, activityId: cantine, date: NEXT_THURSDAY, action: 'payer' }] }, /Action invalide/],
      ['POST', '/api/parent/planning/changes', { changes: [{ childId: -1, activityId: cantine, date: NEXT_THURSDAY, action: 'book' }] }, /Identifiant invalide/],
      ['POST', '/api/parent/planning/changes', { changes: 'tout' }, /Liste de cases/],
      ['POST', '/api/parent/planning/week', { childId: julia, activityId: cantine, weekStart: '12/03/2026', action: 'book' }, /Date invalide/],
      ['POST', '/api/parent/planning/day', { childId: julia, action: 'book' }, /Date manquante/],
      ['POST', '/api/parent/planning/template', { childId: julia, from: '2026-03-20', to: '2026-03-09', pattern: [{ activityId: cantine, weekdays: [1] }] }, /date de fin/],
      ['POST', '/api/parent/planning/template', { childId: julia, from: '2026-03-09', to: '2026-03-20', pattern: [{ activityId: cantine, weekdays: [9] }] }, /Jour invalide/],
      ['GET', '/api/parent/ledger?limit=100000', undefined, /500 lignes/],
      ['GET', '/api/parent/invoices/abc/pdf', undefined, /Identifiant invalide/],
      ['GET', '/api/parent/statements/2026-13/pdf', undefined, /Mois invalide/],
      ['PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ mobile: '06 07 89' }), /TÉL \(mob\) : numéro de téléphone invalide/],
      ['PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ email: 'chantal@' }), /Mél : adresse e-mail invalide/],
      ['PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ postalCode: '4560' }), /Code postal/],
      ['PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ lastName: '  ' }), /Nom : ce champ est obligatoire/],
      ['PUT', `/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ relationship: 'VOISIN' }), /Lien avec l’enfant/],
      ['POST', '/api/parent/contacts', contactBody({ workPhone: 'pas de téléphone' }), /Tél travail : numéro/],
      ['PUT', `/api/parent/children/${julia}`, { diet: 'halal', allergies: '' }, /Régime alimentaire invalide/],
      ['PUT', `/api/parent/children/${julia}`, { diet: 'standard', allergies: 'x'.repeat(501) }, /500 caractères/],
      ['POST', '/api/parent/messages', { subject: '', body: 'Bonjour' }, /Objet : ce champ est obligatoire/],
      ['POST', '/api/parent/messages', { subject: 'Question', body: 'x'.repeat(5001) }, /5000 caractères/],
      ['POST', `/api/parent/messages/${fixtures.martinThreadId}/replies`, { body: '' }, /Message : ce champ est obligatoire/],
      ['POST', '/api/parent/documents', { title: 'pas un formulaire' }, /multipart/],
      ['POST', '/api/parent/planning/changes', '{"changes": [', /Requête mal formée/],
      ['POST', '/api/parent/topups', { walletId: t.ids.walletRestaurationId, amountCents: 50 }, /compris entre 1,00/],
      ['POST', '/api/parent/topups', { walletId: t.ids.walletRestaurationId, amountCents: 12.5 }, /Montant invalide/],
      ['POST', '/api/parent/topups', { walletId: t.ids.walletRestaurationId }, /soit un montant, soit un nombre de tickets/],
      ['GET', '/api/parent/topups/0', undefined, /Identifiant invalide/],
      ['POST', '/api/parent/subscriptions', { childId: julia, activityId: cantine, weekdays: [], from: '2026-03-09', to: '2026-03-20' }, /au moins un jour/],
      ['POST', '/api/parent/subscriptions', { childId: julia, activityId: cantine, weekdays: [1], from: '2026-03-20', to: '2026-03-09' }, /date de fin/],
      ['POST', `/api/parent/subscriptions/${fixtures.martinSubscriptionId}/end`, { from: '31/03/2026' }, /Date invalide/],
      ['GET', '/api/parent/subscriptions?childId=x', undefined, /Identifiant invalide/],
    ];
    for (const [method, p, body, message] of cases) {
      const res = await devret.request<Err>(method, p, body);
      expect(res.status, `${method} ${p} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(400);
      expect(res.body.error.message, `${method} ${p}`).toMatch(message);
      expect(res.body.error.message).not.toMatch(/Invalid|Expected|Required/);
    }
    expect(await snapshotCounts(t.db)).toEqual(before);
  });
});

describe('Mon dossier', () => {
  it('saves a card with a normalised phone number, audits it for the secretariat, and adds a new card', async () => {
    const res = await devret.put<{ mobile: string }>(`/api/parent/contacts/${fixtures.devretContactId}`, contactBody({ mobile: '+33 6 12 34 56 78' }));
    expect(res.status).toBe(200);
    expect(res.body.mobile).toBe('06 12 34 56 78');
    const dossier = await devret.get<{ contacts: Array<{ id: number; mobile: string }> }>('/api/parent/family');
    expect(dossier.body.contacts.find((c) => c.id === fixtures.devretContactId)!.mobile).toBe('06 12 34 56 78');
    const audit = await t.db('audit_log').where({ action: 'contact.update', family_id: t.ids.familyId }).first();
    expect(audit).toMatchObject({ actor_kind: 'parent', entity_id: String(fixtures.devretContactId) });
    // A boolean column: 1 on SQLite, true on PostgreSQL.
    expect(Boolean(audit.needs_review)).toBe(true);
    expect(JSON.parse(audit.before_json)).toEqual({ mobile: '06 07 89 70 15' });
    expect(JSON.parse(audit.after_json)).toEqual({ mobile: '06 12 34 56 78' });
    // Search at the counter finds the new number.
    const fam = await t.db('families').where('id', t.ids.familyId).first('search_text');
    expect(fam.search_text).toContain('0612345678');

    const nanny = await devret.post<{ id: number; relationship: string }>(
      '/api/parent/contacts',
      contactBody({ relationship: 'NOUNOU', lastName: 'Durand', firstName: 'Nadia', mobile: '0698765432', useForBilling: false }),
    );
    expect(nanny.status).toBe(201);
    expect(nanny.body.relationship).toBe('NOUNOU');
    expect((await t.db('audit_log').where({ action: 'contact.create', needs_review: true }).count({ n: '*' }).first())).toMatchObject({ n: 1 });

    const child = await devret.put<{ diet: string; allergies: string }>(`/api/parent/children/${t.ids.childJuliaId}`, { diet: 'sans_porc', allergies: 'Arachides' });
    expect(child.status).toBe(200);
    expect(child.body).toMatchObject({ diet: 'sans_porc', allergies: 'Arachides' });
  });
});

describe('Mes documents', () => {
  const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  function formWith(bytes: Uint8Array, name: string, title = 'Attestation CAF') {
    const form = new FormData();
    form.set('title', title);
    form.set('file', new Blob([new Uint8Array(bytes)]), name);
    return form;
  }

  it('stores a PDF under a random name, lists it "pending", and serves it only to its family', async () => {
    const res = await devret.post<{ id: number; status: string; mimeType: string; originalName: string }>('/api/parent/documents', undefined, {
      formData: formWith(pdfBytes, 'attestation été.pdf'),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', mimeType: 'application/pdf', originalName: 'attestation été.pdf' });
    const row = await t.db('documents').where('id', res.body.id).first();
    expect(row.stored_name).toMatch(/^[0-9a-f]{40}\.pdf$/);
    expect(fs.readFileSync(path.join(h.dataDir, 'documents', row.stored_name))).toEqual(pdfBytes);
    const list = await devret.get<{ documents: Array<{ status: string }> }>('/api/parent/documents');
    expect(list.body.documents.map((d) => d.status)).toEqual(['pending']);
    const file = await devret.get(`/api/parent/documents/${res.body.id}/file`, { raw: true });
    expect(file.status).toBe(200);
    expect(Buffer.from(file.bytes!)).toEqual(pdfBytes);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await martin.get(`/api/parent/documents/${res.body.id}/file`, { raw: true })).status).toBe(404);
  });

  it('refuses a 6 MB file and an .exe renamed .pdf with clear messages, keeping no file and no row', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
    big.write('%PDF-1.4', 0);
    const tooBig = await devret.post<Err>('/api/parent/documents', undefined, { formData: formWith(big, 'gros.pdf') });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toMatch(/trop volumineux : 5 Mo au maximum/);

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(2000, 1)]);
    const fake = await devret.post<Err>('/api/parent/documents', undefined, { formData: formWith(exe, 'facture.pdf') });
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toMatch(/n’est pas un PDF, un JPEG ou un PNG/);

    const noFile = new FormData();
    noFile.set('title', 'Sans fichier');
    expect((await devret.post<Err>('/api/parent/documents', undefined, { formData: noFile })).body.error.message).toMatch(/Choisissez un fichier/);

    expect(await t.db('documents').where('family_id', t.ids.familyId).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const leftovers = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
    expect(leftovers(path.join(h.dataDir, 'tmp'))).toEqual([]);
    expect(leftovers(path.join(h.dataDir, 'documents'))).toEqual(['a'.repeat(40) + '.pdf']);
  });

  it('accepts JPEG and PNG by content', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    const a = await devret.post<{ mimeType: string }>('/api/parent/documents', undefined, { formData: formWith(jpeg, 'photo.png') });
    const b = await devret.post<{ mimeType: string }>('/api/parent/documents', undefined, { formData: formWith(png, 'scan') });
    expect([a.body.mimeType, b.body.mimeType]).toEqual(['image/jpeg', 'image/png']);
  });
});

describe('Mes factures', () => {
  it('lists invoices and balances, downloads an invoice PDF and a monthly statement', async () => {
    await credit(t.ids.familyId, t.ids.walletRestaurationId, 2000);
    const inv = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, { familyId: t.ids.familyId, kind: 'topup', status: 'paid', lines: [{ label: 'Crédit Restauration scolaire', quantity: 1, unitCents: 2000 }] }, t.clock.now()),
    );
    const list = await devret.get<{ invoices: Array<{ number: string }>; statementMonths: string[] }>('/api/parent/invoices');
    expect(list.body.invoices.map((i) => i.number)).toEqual([inv.number]);
    expect(list.body.statementMonths).toEqual(['2026-03']);
    const wallets = await devret.get<{ balances: Array<{ walletId: number; balanceCents: number }>; history: Array<{ amountCents: number }> }>('/api/parent/wallets');
    expect(wallets.body.balances.find((b) => b.walletId === t.ids.walletRestaurationId)!.balanceCents).toBe(2000);
    expect(wallets.body.history.map((e) => e.amountCents)).toEqual([2000]);

    const pdf = await devret.get(`/api/parent/invoices/${inv.invoiceId}/pdf`, { raw: true });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain(`Facture ${inv.number}`);
    expect(text).toMatch(/Total\s+20,00 €/);

    const statement = await devret.get('/api/parent/statements/2026-03/pdf', { raw: true });
    expect(statement.status).toBe(200);
    expect(await pdfToText(statement.bytes!)).toMatch(/Solde en fin de mois\s+20,00 €/);
  });
});

describe('Messages and Informations', () => {
  it('asks a question, sees the answer as unread, reads it', async () => {
    const created = await devret.post<{ id: number; messages: unknown[] }>('/api/parent/messages', { subject: 'Allergie de Julia', body: 'Bonjour, Julia est allergique aux arachides.' });
    expect(created.status).toBe(201);
    expect(created.body.messages).toHaveLength(1);
    await replyAsStaff(t.ctx, t.actors.secretariat, { threadId: created.body.id, body: 'Merci, nous avons noté.', portalUrl: 'http://portail.test' });
    expect((await devret.get<{ unread: number }>('/api/parent/messages/unread')).body.unread).toBe(1);
    const mail = await t.db('mail_outbox').where('kind', 'message_answer').first();
    expect(mail?.to_address).toBe('pasdemail@qjis.fr');
    const thread = await devret.get<{ messages: Array<{ authorKind: string; body: string }> }>(`/api/parent/messages/${created.body.id}`);
    expect(thread.body.messages.map((m) => m.authorKind)).toEqual(['parent', 'staff']);
    const read = await devret.post<{ unread: number }>(`/api/parent/messages/${created.body.id}/read`);
    expect(read.body.unread).toBe(0);
    const reply = await devret.post<{ body: string }>(`/api/parent/messages/${created.body.id}/replies`, { body: 'Merci !' });
    expect(reply.status).toBe(201);
  });

  it('shows published information pages and the mairie contacts', async () => {
    await t.db('info_pages').insert([
      { slug: 'cantine', title: 'La cantine', body: 'Les repas sont préparés sur place.', position: 1, published: true, updated_at: ts },
      { slug: 'brouillon', title: 'Brouillon', body: 'Pas encore.', position: 2, published: false, updated_at: ts },
    ]);
    const res = await devret.get<{ pages: Array<{ slug: string }>; contacts: { email: string; phone: string } }>('/api/parent/info');
    expect(res.body.pages.map((p) => p.slug)).toEqual(['cantine']);
    expect(res.body.contacts).toMatchObject({ name: 'Mairie de Saint-Exemple', email: 'enfance@saint-exemple.fr', phone: '05 56 00 00 00' });
  });
});
