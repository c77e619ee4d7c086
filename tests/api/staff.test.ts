// The staff API end to end in-process: a real SQLite database (the shared fixture commune),
// the real Express app, real sessions and CSRF; PDFs and xlsx read back.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { pdfToText } from '../support/pdf-text.js';
import { refreshFamilySearchText } from '../../core/family-search.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { Browser, PASSWORD, snapshotCounts, signedInStaff, startHarness, type Harness } from './harness.js';

// Monday 2 March 2026, 10:00 Paris.
const NOW = '2026-03-02T09:00:00.000Z';
let t: TestDb;
let h: Harness;

const signIn = (username: string): Promise<Browser> => signedInStaff(h, username);

beforeEach(async () => {
  t = await createTestDb({ now: NOW });
  await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
  await t.db('contacts').insert({
    family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', mobile: '06 07 89 70 15', email: 'pasdemail@qjis.fr', created_at: NOW, updated_at: NOW,
  });
  await refreshFamilySearchText(t.db, t.ids.familyId);
  await refreshFamilySearchText(t.db, t.ids.otherFamilyId);
  h = await startHarness({ db: t.db, now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('staff API as the secretariat', () => {
  it('finds a family as you type, then opens its file', async () => {
    const b = await signIn('secretariat');
    const found = await b.get<{ hits: Array<{ id: number; name: string; contacts: string[] }>; tookMs: number }>('/api/staff/families/search?q=dev');
    expect(found.status).toBe(200);
    expect(found.body.hits.map((x) => x.name)).toEqual(['DEVRET']);
    expect(found.body.hits[0]!.contacts).toEqual(['Chantal DEVRET']);
    expect((await b.get<{ hits: unknown[] }>('/api/staff/families/search?q=06%2007%2089')).body.hits).toHaveLength(1);

    const family = await b.get<Record<string, unknown>>(`/api/staff/families/${t.ids.familyId}`);
    expect(family.status).toBe(200);
    expect(family.body).toMatchObject({ code: 'F0001', name: 'DEVRET', quotientFamilial: 850 });
    expect((family.body.children as Array<{ firstName: string }>).map((c) => c.firstName)).toEqual(['Julia', 'Louis', 'Margot']);
    expect((family.body.contacts as Array<{ firstName: string }>)[0]!.firstName).toBe('Chantal');
    expect((await b.get(`/api/staff/families/999999`)).status).toBe(404);
  });

  it('sells 10 Cantine tickets by cheque and prints the receipt; cancels with a reversing receipt', async () => {
    const b = await signIn('secretariat');
    const sale = await b.post<Record<string, unknown>>('/api/staff/sales', {
      familyId: t.ids.familyId, activityId: t.ids.activityIds.cantine, tickets: 10, method: 'cheque', chequeNumber: '0012345', chequeBank: 'Banque Postale',
    });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ numberLabel: '2026-000001', amountCents: 3200, method: 'cheque', familyName: 'DEVRET' });
    const pdf = await b.get(`/api/staff/receipts/${sale.body.id}/pdf`, { raw: true });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain('Reçu n° 2026-000001');
    expect(text).toContain('DEVRET');
    expect(text).toContain('32,00 €');
    expect(text).toContain('Chèque');

    const balances = (await b.get<{ balances: Array<{ walletId: number; balanceCents: number }> }>(`/api/staff/families/${t.ids.familyId}/ledger`)).body.balances;
    expect(balances.find((x) => x.walletId === t.ids.walletRestaurationId)!.balanceCents).toBe(3200);

    const cancel = await b.post<Record<string, unknown>>(`/api/staff/receipts/${sale.body.id}/cancel`, { reason: 'mauvais chèque' });
    expect(cancel.status).toBe(201);
    expect(cancel.body).toMatchObject({ numberLabel: '2026-000002', amountCents: -3200, cancelsReceiptNumber: '2026-000001' });
    const journal = await b.get<{ totalCents: number; count: number }>('/api/staff/cash/2026-03-02');
    expect(journal.body).toMatchObject({ totalCents: 0, count: 2 });
  });

  it('books a locked day with the override, audited as booking.override and found in the journal', async () => {
    const b = await signIn('secretariat');
    // Tuesday 3 March: Cantine booking closed at D-2 10:00 (Friday 27 Feb).
    await b.post('/api/staff/families/' + t.ids.familyId + '/adjustments', { walletId: t.ids.walletRestaurationId, amountCents: 2000, reason: 'crédit test' });
    const grid = await b.get<{ children: Array<{ childId: number; periods: Array<{ rows: Array<{ activityId: number; cells: Array<{ date: string; state: string }> }> }> }> }>(
      `/api/staff/families/${t.ids.familyId}/planning?week=2026-03-02`,
    );
    const louis = grid.body.children.find((c) => c.childId === t.ids.childLouisId)!;
    const cell = louis.periods[0]!.rows.find((r) => r.activityId === t.ids.activityIds.cantine)!.cells.find((c) => c.date === '2026-03-03')!;
    expect(cell.state).toBe('locked');
    const change = { childId: t.ids.childLouisId, activityId: t.ids.activityIds.cantine, date: '2026-03-03', action: 'book' };
    const refused = await b.post<{ results: Array<{ outcome: string }> }>(`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [change] });
    expect(refused.body.results[0]!.outcome).toBe('refused');
    const done = await b.post<{ results: Array<{ outcome: string; state: string }> }>(`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [change], override: true, overrideReason: 'Oubli signalé par la famille' });
    expect(done.status).toBe(200);
    expect(done.body.results[0]!.outcome).toBe('done');
    const journal = await b.get<{ rows: Array<{ action: string; familyName: string; actorName: string }> }>('/api/staff/audit?action=booking.override');
    expect(journal.body.rows).toHaveLength(1);
    expect(journal.body.rows[0]).toMatchObject({ familyName: 'DEVRET', actorName: 'Sophie Secrétariat' });
  });

  it('exports a month of Cantine bookings whose counts equal the database', async () => {
    const b = await signIn('secretariat');
    await b.post('/api/staff/families/' + t.ids.familyId + '/adjustments', { walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'crédit test' });
    const changes = ['2026-03-05', '2026-03-06', '2026-03-09'].flatMap((date) => [
      { childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date, action: 'book' },
      { childId: t.ids.childMargotId, activityId: t.ids.activityIds.cantine, date, action: 'book' },
    ]);
    expect((await b.post(`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes })).status).toBe(200);
    const file = await b.get(`/api/staff/exports/attendance.xlsx?activityId=${t.ids.activityIds.cantine}&from=2026-03-01&to=2026-03-31`, { raw: true });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes!.buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let xs = 0;
    ws.eachRow((row, n) => {
      if (n > 2) row.eachCell((c) => (xs += c.value === 'X' ? 1 : 0));
    });
    const db = await t.db('bookings').where({ activity_id: t.ids.activityIds.cantine, status: 'booked' }).whereBetween('date', ['2026-03-01', '2026-03-31']).count({ n: '*' }).first();
    expect(xs).toBe(Number(db!.n));
    expect(xs).toBe(6);

    const bad = await b.get('/api/staff/exports/attendance.xlsx?activityId=1&from=2026-03-31&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { message: string } }).error.message).toBe('La fin de la période précède son début.');
  });

  it('closes the day: the closure total equals the day’s sales, and only once', async () => {
    const b = await signIn('secretariat');
    await b.post('/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 1500, method: 'especes' });
    await b.post('/api/staff/sales', { familyId: t.ids.otherFamilyId, walletId: t.ids.walletPeriscolaireId, amountCents: 2550, method: 'carte' });
    const closed = await b.post<{ totalCents: number; closure: { totalCents: number } }>('/api/staff/cash/2026-03-02/close');
    expect(closed.status).toBe(200);
    expect(closed.body.closure.totalCents).toBe(4050);
    const again = await b.post<{ error: { code: string; message: string } }>('/api/staff/cash/2026-03-02/close');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/déjà clôturée/);
    const xlsx = await b.get('/api/staff/cash/2026-03-02/xlsx', { raw: true });
    expect(xlsx.status).toBe(200);
    const pdf = await pdfToText((await b.get('/api/staff/cash/2026-03-02/pdf', { raw: true })).bytes!);
    expect(pdf).toMatch(/Total de la session 1\s+2\s+40,50 €/);
  });

  it('accepts a pending document and shows who reviewed it', async () => {
    const [row] = await t.db('documents').insert({
      family_id: t.ids.familyId, title: 'Attestation CAF', original_name: 'caf.pdf', stored_name: 'test-caf', mime_type: 'application/pdf',
      size_bytes: 10, status: 'pending', uploaded_at: NOW,
    }).returning('id');
    const documentId = typeof row === 'object' ? (row as { id: number }).id : Number(row);
    const b = await signIn('secretariat');
    const pending = await b.get<{ documents: Array<{ id: number; status: string }> }>('/api/staff/documents?status=pending');
    expect(pending.body.documents.map((d) => d.id)).toContain(documentId);
    const reviewed = await b.post<{ status: string; reviewerName: string | null }>(`/api/staff/documents/${documentId}/review`, { status: 'accepted' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('accepted');
    const listed = await b.get<{ documents: Array<{ id: number; status: string; reviewerName: string | null }> }>(`/api/staff/families/${t.ids.familyId}/documents`);
    const doc = listed.body.documents.find((d) => d.id === documentId)!;
    expect(doc).toMatchObject({ status: 'accepted' });
    expect(doc.reviewerName).toBeTruthy();
  });

  it('creates a portal login and prints the welcome letter with the credentials', async () => {
    const b = await signIn('secretariat');
    const contact = await t.db('contacts').where({ family_id: t.ids.familyId }).first('id');
    await t.db('parent_accounts').where({ id: t.ids.parentAccountId }).update({ contact_id: null, username: 'autre.compte' });
    const created = await b.post<{ parentAccountId: number; username: string; temporaryPassword: string }>(`/api/staff/families/${t.ids.familyId}/portal-accounts`, { contactId: contact.id });
    expect(created.status).toBe(201);
    expect(created.body.username).toBe('chantal.devret');
    const letter = await b.post(`/api/staff/families/${t.ids.familyId}/portal-accounts/${created.body.parentAccountId}/welcome-letter`, { temporaryPassword: created.body.temporaryPassword });
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfToText(letter.bytes!);
    expect(text).toContain(created.body.temporaryPassword);
    expect(text).toContain('http://portail.test');
    // The new login works, and must change its password first.
    const parent = new Browser(h.url);
    const login = await parent.loginParent('chantal.devret', created.body.temporaryPassword);
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
  });

  it('answers bad input with 400 in French and writes nothing; refuses a change without the CSRF token', async () => {
    const b = await signIn('secretariat');
    const before = await snapshotCounts(t.db);
    const cases: Array<[string, unknown, RegExp]> = [
      ['/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 12.5, method: 'especes' }, /centimes entiers/],
      ['/api/staff/sales', { familyId: t.ids.familyId, activityId: t.ids.activityIds.cantine, tickets: 3, method: 'cheque' }, /numéro du chèque/],
      ['/api/staff/sales', { familyId: t.ids.familyId, amountCents: 100, tickets: 2, method: 'especes' }, /soit un montant, soit un nombre de tickets/],
      ['/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100, method: 'bitcoin' }, /Mode de paiement invalide/],
      [`/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [] }, /Aucune case/],
      [`/api/staff/families/${t.ids.familyId}/adjustments`, { walletId: t.ids.walletRestaurationId, amountCents: 100, reason: '' }, /Motif/],
      ['/api/staff/documents/1/review', { status: 'refused', comment: '' }, /pourquoi le document est refusé/],
      ['/api/staff/attendance', { activityId: t.ids.activityIds.cantine, date: '2026-02-30', marks: [{ childId: 1, present: true }] }, /n’existe pas/],
    ];
    for (const [path, body, message] of cases) {
      const res = await b.post<{ error: { code: string; message: string } }>(path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toMatch(message);
    }
    const noCsrf = await b.post<{ error: { code: string } }>('/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100, method: 'especes' }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF');
    expect(await snapshotCounts(t.db)).toEqual(before);
    expect(await t.db('receipts').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('roles', () => {
  const moneyAndFamilyRoutes = (): Array<[string, string, unknown?]> => [
    ['GET', '/api/staff/families/search?q=dev'],
    ['GET', `/api/staff/families/${t.ids.familyId}`],
    ['PUT', `/api/staff/families/${t.ids.familyId}`, { staffNote: 'x' }],
    ['POST', '/api/staff/families', { name: 'NOUVELLE' }],
    ['GET', `/api/staff/families/${t.ids.familyId}/ledger`],
    ['POST', `/api/staff/families/${t.ids.familyId}/adjustments`, { walletId: t.ids.walletRestaurationId, amountCents: 100, reason: 'test' }],
    ['GET', `/api/staff/families/${t.ids.familyId}/planning`],
    ['POST', `/api/staff/families/${t.ids.familyId}/planning/changes`, { changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2026-03-10', action: 'book' }] }],
    ['PUT', `/api/staff/families/${t.ids.familyId}/children/${t.ids.childJuliaId}`, { firstName: 'J', lastName: 'D', birthDate: '2016-04-12', schoolId: null, className: '', diet: 'standard', allergies: '', pai: false, paiNote: '' }],
    ['GET', `/api/staff/families/${t.ids.familyId}/portal-accounts`],
    ['POST', `/api/staff/families/${t.ids.familyId}/portal-accounts/${t.ids.parentAccountId}/reset-password`, {}],
    ['GET', `/api/staff/families/${t.ids.familyId}/documents`],
    ['GET', '/api/staff/documents'],
    ['POST', '/api/staff/documents/1/review', { status: 'accepted' }],
    ['GET', '/api/staff/changes'],
    ['POST', '/api/staff/sales', { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 100, method: 'especes' }],
    ['GET', '/api/staff/receipts/1'],
    ['GET', '/api/staff/receipts/1/pdf'],
    ['POST', '/api/staff/receipts/1/cancel', { reason: 'test' }],
    ['GET', '/api/staff/cash/2026-03-02'],
    ['GET', '/api/staff/cash/2026-03-02/pdf'],
    ['POST', '/api/staff/cash/2026-03-02/close', {}],
    ['GET', '/api/staff/messages'],
    ['GET', '/api/staff/audit'],
    ['PUT', '/api/staff/info-pages/tarifs', { title: 'x', body: 'y' }],
    ['GET', '/api/staff/staff-users'],
    ['PUT', `/api/staff/activities/${t.ids.activityIds.cantine}`, {}],
  ];

  it('refuses every money and family-file route to the restauration role, and writes nothing', async () => {
    const b = await signIn('restauration');
    const before = await snapshotCounts(t.db);
    for (const [method, path, body] of moneyAndFamilyRoutes()) {
      const res = await b.request<{ error: { code: string } }>(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await snapshotCounts(t.db)).toEqual(before);
    expect(await t.db('receipts').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(await t.db('cash_closures').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('lets the restauration role use meal lists, pointage and attendance exports', async () => {
    const b = await signIn('restauration');
    expect((await b.get('/api/staff/reference')).status).toBe(200);
    expect((await b.get('/api/staff/meals?date=2026-03-03')).status).toBe(200);
    const pdf = await b.get('/api/staff/meals/pdf?date=2026-03-03', { raw: true });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await b.get(`/api/staff/attendance?activityId=${t.ids.activityIds.cantine}&date=2026-03-02`)).status).toBe(200);
    expect((await b.get(`/api/staff/exports/attendance.xlsx?activityId=${t.ids.activityIds.cantine}&from=2026-03-01&to=2026-03-31`, { raw: true })).status).toBe(200);
    expect((await b.get('/api/staff/exports/meals.xlsx?from=2026-03-01&to=2026-03-31', { raw: true })).status).toBe(200);
  });

  it('keeps staff accounts and activity/calendar editing for the admin', async () => {
    const sec = await signIn('secretariat');
    expect((await sec.get('/api/staff/staff-users')).status).toBe(403);
    expect((await sec.post('/api/staff/closures', { kind: 'mairie', label: 'Pont', dateFrom: '2026-05-15', dateTo: '2026-05-15', activityId: null, schoolId: null })).status).toBe(403);
    expect((await sec.get('/api/staff/activities')).status).toBe(200);
    const admin = await signIn('admin');
    const created = await admin.post<{ username: string; temporaryPassword: string }>('/api/staff/staff-users', { username: 'cantine.nord', displayName: 'Cantine Nord', role: 'restauration' });
    expect(created.status).toBe(201);
    expect(created.body.temporaryPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect((await admin.post('/api/staff/closures', { kind: 'mairie', label: 'Pont', dateFrom: '2026-05-15', dateTo: '2026-05-15', activityId: null, schoolId: null })).status).toBe(201);
  });

  it('refuses staff routes to parents and to anonymous requests', async () => {
    const anonymous = new Browser(h.url);
    expect((await anonymous.get('/api/staff/reference')).status).toBe(401);
    await t.db('parent_accounts').where({ id: t.ids.parentAccountId }).update({ password_hash: await hashPassword(PASSWORD) });
    const parent = new Browser(h.url);
    expect((await parent.loginParent('chantal.devret')).status).toBe(200);
    expect((await parent.get('/api/staff/reference')).status).toBe(403);
    expect((await parent.get('/api/staff/meals?date=2026-03-03')).status).toBe(403);
  });
});
