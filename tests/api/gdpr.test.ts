// The families' rights under the GDPR over HTTP: the export zip read back, anonymisation that
// keeps every total, the refusals, and the retention list.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshFamilySearchText } from '../../core/family-search.js';
import { pdfToText } from '../support/pdf-text.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { type Browser, insertId, setPasswords, signedInStaff, startHarness, type Harness } from './harness.js';
import { tableNames } from '../../db/test-db.js';

const NOW = '2026-03-02T09:00:00.000Z';
let t: TestDb;
let h: Harness;
type Err = { error: { code: string; message: string; details?: Record<string, unknown> } };
const signIn = (u: string): Promise<Browser> => signedInStaff(h, u);
const at = '2026-01-01T00:00:00.000Z';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('image de test DEVRET')]);
const OTHER_PDF = Buffer.from('%PDF-1.4\n% attestation de Paul MARTIN\n%%EOF\n');
const DEVRET_SECRETS = ['DEVRET', 'Chantal', 'chantal.devret', '06 11 22 33 44', '0611223344', 'rue des Lilas', 'Allergie aux arachides', 'Merci pour la cantine'];
const MARTIN_SECRETS = ['MARTIN', 'Paul', 'paul.martin', 'Léo', '07 99 88 77 66', 'avenue des Chênes', 'F0002', 'attestation-martin', 'Question de Paul'];

async function addDocument(familyId: number, bytes: Buffer, name: string, ext: string): Promise<string> {
  const stored = `${(familyId.toString(16) + 'a'.repeat(40)).slice(0, 40)}.${ext}`;
  fs.mkdirSync(path.join(h.dataDir, 'documents'), { recursive: true });
  fs.writeFileSync(path.join(h.dataDir, 'documents', stored), bytes);
  await insertId(t.db, 'documents', { family_id: familyId, title: 'Attestation', original_name: name, stored_name: stored, mime_type: ext === 'png' ? 'image/png' : 'application/pdf', size_bytes: bytes.length, status: 'pending', uploaded_at: at });
  return stored;
}

async function addContact(familyId: number, last: string, first: string, email: string, mobile: string, address: string) {
  await insertId(t.db, 'contacts', { family_id: familyId, relationship: 'MERE', last_name: last, first_name: first, address1: address, postal_code: '33220', city: 'PORT-SAINTE-FOY', mobile, email, use_for_billing: true, created_at: at, updated_at: at });
  await t.db('parent_accounts').where('family_id', familyId).update({ email });
  await refreshFamilySearchText(t.db, familyId);
}

async function addThread(familyId: number, subject: string, body: string) {
  const thread = await insertId(t.db, 'message_threads', { family_id: familyId, subject, created_at: at, last_message_at: at });
  await insertId(t.db, 'messages', { thread_id: thread, author_kind: 'parent', body, created_at: at });
}

beforeEach(async () => {
  t = await createTestDb({ now: NOW, withCommune: true });
  h = await startHarness({ db: t.db, clock: t.clock });
  await setPasswords(t.db);
  await addContact(t.ids.familyId, 'DEVRET', 'Chantal', 'chantal.devret@exemple.fr', '06 11 22 33 44', '12 rue des Lilas');
  await addContact(t.ids.otherFamilyId, 'MARTIN', 'Paul', 'paul.martin@exemple.fr', '07 99 88 77 66', '3 avenue des Chênes');
  await t.db('children').where('id', t.ids.childJuliaId).update({ allergies: 'Allergie aux arachides', pai: true });
  await addThread(t.ids.familyId, 'Cantine', 'Merci pour la cantine');
  await addThread(t.ids.otherFamilyId, 'Question de Paul', 'Bonjour');
});
afterEach(async () => {
  await h.close();
});

async function sell(b: Browser, familyId: number, amountCents: number, key: string) {
  const res = await b.post<{ id: number; numberLabel: string }>('/api/staff/sales', { familyId, walletId: t.ids.walletRestaurationId, amountCents, method: 'especes', idempotencyKey: key });
  expect(res.status).toBe(201);
  return res.body;
}

async function zipText(zip: JSZip): Promise<string> {
  const parts: string[] = [];
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    const bytes = await entry.async('uint8array');
    parts.push(name, Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('utf8'));
    if (name.endsWith('.pdf') && Buffer.from(bytes).subarray(0, 5).toString() === '%PDF-' && name.startsWith('recus/')) parts.push(await pdfToText(bytes));
    if (name.startsWith('factures/')) parts.push(await pdfToText(bytes));
  }
  return parts.join('\n');
}

describe('Exporter les données', () => {
  it('zips the family’s rows, documents and PDFs, and nothing of another family', async () => {
    const admin = await signIn('admin');
    const devretDoc = await addDocument(t.ids.familyId, PNG, 'attestation.png', 'png');
    await addDocument(t.ids.otherFamilyId, OTHER_PDF, 'attestation-martin.pdf', 'pdf');
    const receipt = await sell(admin, t.ids.familyId, 1500, 'b8f7c0de-1111-4e2a-9c3d-000000000001');
    await sell(admin, t.ids.otherFamilyId, 2000, 'b8f7c0de-1111-4e2a-9c3d-000000000002');

    const desk = await signIn('secretariat');
    const res = await desk.request('POST', `/api/staff/families/${t.ids.familyId}/gdpr/export`, {}, { raw: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="donnees-famille-1-2026-03-02\.zip"/);
    const zip = await JSZip.loadAsync(res.bytes!);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir).sort();
    expect(names).toContain('donnees.json');
    expect(names).toContain('LISEZMOI.txt');
    expect(names).toContain(`recus/recu-${receipt.numberLabel}.pdf`);
    expect(names.some((n) => n.startsWith('factures/facture-'))).toBe(true);

    const data = JSON.parse(await zip.file('donnees.json')!.async('string')) as Record<string, Array<Record<string, unknown>>>;
    expect(data.family![0]).toMatchObject({ id: t.ids.familyId, name: 'DEVRET', code: 'F0001' });
    expect(data.children!.map((c) => c.first_name).sort()).toEqual(['Julia', 'Louis', 'Margot']);
    expect(data.contacts![0]).toMatchObject({ email: 'chantal.devret@exemple.fr', mobile: '06 11 22 33 44' });
    expect(data.portalAccounts![0]).not.toHaveProperty('password_hash');
    expect(data.ledgerEntries!.map((e) => e.amount_cents)).toEqual([1500]);
    expect(data.receipts).toHaveLength(1);
    expect(data.messages![0]).toMatchObject({ body: 'Merci pour la cantine' });
    expect(data.documents![0]).toMatchObject({ stored_name: devretDoc });
    expect(data.auditLog!.length).toBeGreaterThan(0);

    const doc = names.find((n) => n.startsWith('documents/'))!;
    expect(Buffer.from(await zip.file(doc)!.async('uint8array')).equals(PNG)).toBe(true);
    expect(await pdfToText(await zip.file(`recus/recu-${receipt.numberLabel}.pdf`)!.async('uint8array'))).toContain(receipt.numberLabel);
    const readme = await zip.file('LISEZMOI.txt')!.async('string');
    expect(readme).toMatch(/Export du lundi 2 mars 2026/);
    expect(readme).toMatch(/donnees\.json/);

    const all = await zipText(zip);
    for (const s of MARTIN_SECRETS) expect(all, s).not.toContain(s);
    expect(all).toContain('DEVRET');
    const rows = Object.values(data).filter(Array.isArray).flat();
    expect(rows.every((r) => !('family_id' in r) || r.family_id === t.ids.familyId)).toBe(true);

    const trace = await t.db('audit_log').where({ action: 'gdpr.export', family_id: t.ids.familyId }).select();
    expect(trace).toHaveLength(1);
  });

  it('refuses the canteen staff, an unknown family and a GET', async () => {
    const cook = await signIn('restauration');
    expect((await cook.post(`/api/staff/families/${t.ids.familyId}/gdpr/export`, {})).status).toBe(403);
    const admin = await signIn('admin');
    const missing = await admin.post<Err>('/api/staff/families/9999/gdpr/export', {});
    expect([missing.status, missing.body.error.message]).toEqual([404, 'Famille introuvable.']);
    expect((await admin.get(`/api/staff/families/${t.ids.familyId}/gdpr/export`)).status).toBe(404);
    expect(await t.db('audit_log').where('action', 'gdpr.export').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

async function totals() {
  const ledger = await t.db('ledger_entries').select('family_id', 'wallet_id').sum({ s: 'amount_cents' }).count({ n: '*' }).groupBy('family_id', 'wallet_id').orderBy(['family_id', 'wallet_id']);
  const receipts = await t.db('receipts').select('family_id').sum({ s: 'amount_cents' }).count({ n: '*' }).groupBy('family_id').orderBy('family_id');
  const numbers = await t.db('receipts').orderBy('id').select('year', 'number', 'amount_cents');
  const invoices = await t.db('invoices').orderBy('id').select('number', 'total_cents', 'status');
  const lines = await t.db('invoice_lines').sum({ s: 'total_cents' }).first();
  const bookings = await t.db('bookings').orderBy('id').select('id', 'price_cents', 'status');
  return { ledger, receipts, numbers, invoices, lines, bookings };
}

async function databaseText(): Promise<string> {
  const parts: string[] = [];
  for (const name of await tableNames(t.db)) parts.push(name, JSON.stringify(await t.db(name).select()));
  return parts.join('\n');
}

describe('Anonymiser', () => {
  it('is admin only, refuses a balance in French, then erases the names and keeps every total', async () => {
    const admin = await signIn('admin');
    const stored = await addDocument(t.ids.familyId, PNG, 'attestation.png', 'png');
    const martinDoc = await addDocument(t.ids.otherFamilyId, OTHER_PDF, 'attestation-martin.pdf', 'pdf');
    const receipt = await sell(admin, t.ids.familyId, 1250, 'b8f7c0de-1111-4e2a-9c3d-000000000003');
    await sell(admin, t.ids.otherFamilyId, 2000, 'b8f7c0de-1111-4e2a-9c3d-000000000004');
    await admin.post(`/api/staff/families/${t.ids.familyId}/gdpr/export`, {});
    const url = `/api/staff/families/${t.ids.familyId}/gdpr/anonymise`;

    const desk = await signIn('secretariat');
    expect((await desk.post(url, { confirm: true })).status).toBe(403);
    for (const body of [{}, { confirm: 'true' }, { confirm: 1 }, 'confirm=true']) {
      const unconfirmed = await admin.post<Err>(url, body);
      expect(unconfirmed.status, JSON.stringify(body)).toBe(400);
      expect(unconfirmed.body.error.message).toMatch(/[ée]/);
    }
    expect((await admin.post<Err>(url, { confirm: true, familyId: t.ids.otherFamilyId })).status).toBe(409);
    expect((await admin.post<Err>('/api/staff/families/abc/gdpr/anonymise', { confirm: true })).status).toBe(400);
    expect((await admin.post<Err>('/api/staff/families/9999/gdpr/anonymise', { confirm: true })).status).toBe(404);
    const refused = await admin.post<Err>(url, { confirm: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^Le solde Restauration scolaire est de 12,50\s€ : remboursez ou régularisez avant d’anonymiser\.$/u);
    expect((await admin.get<{ blockedBy: string }>(`/api/staff/families/${t.ids.familyId}/gdpr`)).body.blockedBy).toBe(refused.body.error.message);
    expect(await t.db('families').where('id', t.ids.familyId).first('name')).toEqual({ name: 'DEVRET' });

    expect((await admin.post(`/api/staff/receipts/${receipt.id}/cancel`, { reason: 'Départ de la commune' })).status).toBe(201);
    const before = await totals();
    const done = await admin.post<{ pseudonym: string; erased: Record<string, number> }>(url, { confirm: true });
    expect(done.status).toBe(200);
    expect(done.body.pseudonym).toBe('Famille anonymisée n° 1');
    expect(done.body.erased).toMatchObject({ contacts: 1, children: 3, portalAccounts: 1, documents: 1, messages: 1 });
    expect(await totals()).toEqual(before);

    const db = await databaseText();
    for (const s of DEVRET_SECRETS) expect(db, s).not.toContain(s);
    // Children's first names: none left, but in the append-only ledger's labels (none here: no booking).
    for (const s of ['Julia', 'Louis', 'Margot', '2016-04-12']) expect(db, s).not.toContain(s);
    for (const s of ['MARTIN', 'paul.martin@exemple.fr', 'Question de Paul']) expect(db).toContain(s);
    expect(fs.existsSync(path.join(h.dataDir, 'documents', stored))).toBe(false);
    expect(fs.existsSync(path.join(h.dataDir, 'documents', martinDoc))).toBe(true);
    expect(await t.db('children').where('id', t.ids.childJuliaId).first('birth_date', 'pai', 'allergies')).toMatchObject({ birth_date: '2016-01-01', allergies: '' });
    expect(await t.db('parent_accounts').where('family_id', t.ids.familyId).first('active', 'email')).toMatchObject({ email: null });

    const hits = await admin.get<{ hits: unknown[] }>('/api/staff/families/search?q=devret&inactive=1');
    expect(hits.body.hits).toEqual([]);
    expect((await admin.get<{ hits: Array<{ name: string }> }>('/api/staff/families/search?q=anonymis&inactive=1')).body.hits.map((x) => x.name)).toEqual(['Famille anonymisée n° 1']);

    const pdf = await admin.get(`/api/staff/receipts/${receipt.id}/pdf`, { raw: true });
    const text = await pdfToText(pdf.bytes!);
    expect(text).toContain(receipt.numberLabel);
    expect(text).toContain('Famille anonymisée n° 1');
    expect(text).toContain('12,50');

    const again = await admin.post<Err>(url, { confirm: true });
    expect([again.status, again.body.error.message]).toEqual([409, 'Cette famille est déjà anonymisée.']);
    const trace = await t.db('audit_log').where('action', 'gdpr.anonymise').select();
    expect(trace).toHaveLength(1);
    expect(await t.db('audit_log').where('family_id', t.ids.familyId).whereNot('action', 'gdpr.anonymise').whereNotNull('after_json').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});

describe('Données personnelles: retention and the inactive families', () => {
  it('lists an old inactive family, oldest first with its balance, and not an active one', async () => {
    const admin = await signIn('admin');
    await sell(admin, t.ids.otherFamilyId, 2000, 'b8f7c0de-1111-4e2a-9c3d-000000000005');
    const ancien = await insertId(t.db, 'families', { code: 'F0100', name: 'ANCIEN', search_text: 'ancien', created_at: '2019-01-01T00:00:00.000Z', updated_at: at });
    await insertId(t.db, 'ledger_entries', { family_id: ancien, wallet_id: t.ids.walletRestaurationId, amount_cents: 500, kind: 'adjustment', label: 'Reprise', created_at: '2021-05-01T10:00:00.000Z' });
    await insertId(t.db, 'parent_accounts', { family_id: ancien, username: 'ancien', password_hash: 'x', last_login_at: '2022-09-01T10:00:00.000Z', created_at: at, updated_at: at });
    const vieux = await insertId(t.db, 'families', { code: 'F0101', name: 'VIEUX', search_text: 'vieux', created_at: '2018-06-01T00:00:00.000Z', updated_at: at });
    const recent = await insertId(t.db, 'families', { code: 'F0102', name: 'RECENT', search_text: 'recent', created_at: '2018-06-01T00:00:00.000Z', updated_at: at });
    await insertId(t.db, 'parent_accounts', { family_id: recent, username: 'recent', password_hash: 'x', last_login_at: '2025-12-01T10:00:00.000Z', created_at: at, updated_at: at });

    expect((await admin.get('/api/staff/settings/gdpr')).body).toEqual({ retentionYears: 3 });
    const list = await admin.get<{ cutoff: string; families: Array<{ id: number; lastActivityAt: string; balances: Array<{ label: string; balanceCents: number }> }> }>('/api/staff/gdpr/inactive-families');
    expect(list.body.cutoff).toBe('2023-03-02T09:00:00.000Z');
    expect(list.body.families.map((f) => f.id)).toEqual([vieux, ancien]);
    expect(list.body.families[1]).toMatchObject({ lastActivityAt: '2022-09-01T10:00:00.000Z' });
    expect(list.body.families[1]!.balances.find((b) => b.label === 'Restauration scolaire')?.balanceCents).toBe(500);

    expect((await admin.put('/api/staff/settings/gdpr', { retentionYears: 7 })).status).toBe(200);
    const longer = await admin.get<{ families: Array<{ id: number }> }>('/api/staff/gdpr/inactive-families');
    expect(longer.body.families.map((f) => f.id)).toEqual([vieux]);

    expect((await admin.post(`/api/staff/families/${vieux}/gdpr/anonymise`, { confirm: true })).status).toBe(200);
    expect((await admin.get<{ families: unknown[] }>('/api/staff/gdpr/inactive-families')).body.families).toEqual([]);
  });

  it('refuses a bad duration next to its field and the secretariat', async () => {
    const admin = await signIn('admin');
    for (const v of [0, 11, 2.5, '3']) {
      const bad = await admin.put<Err>('/api/staff/settings/gdpr', { retentionYears: v });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('Durée de conservation : un nombre entier d’années entre 1 et 10.');
      expect(bad.body.error.details?.field).toBe('retentionYears');
    }
    const desk = await signIn('secretariat');
    expect((await desk.get('/api/staff/settings/gdpr')).status).toBe(403);
    expect((await desk.get('/api/staff/gdpr/inactive-families')).status).toBe(403);
    expect((await desk.put('/api/staff/settings/gdpr', { retentionYears: 5 })).status).toBe(403);
    expect((await admin.get('/api/staff/settings/gdpr')).body).toEqual({ retentionYears: 3 });
  });
});
