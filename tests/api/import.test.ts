// "Importer des familles" over HTTP: the template re-imports cleanly; a re-run changes nothing;
// a file with one bad line writes nothing; a changed file updates; an opening balance is taken
// once; roles; hostile and oversized uploads answer in French.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportAnswer } from '../../api/import.js';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { pdfToText } from '../support/pdf-text.js';
import { buildFixture, fixedRows, fixtureCsv, fixtureXlsx } from '../import-fixtures.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';

let t: TestDb;
let h: Harness;
let admin: Browser;
beforeEach(async () => {
  t = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  h = await startHarness({ db: t.db, clock: t.clock });
  admin = await signedInStaff(h, 'secretariat');
});
afterEach(async () => {
  await h.close();
});

const SCHOOLS = ['École maternelle des Tilleuls', 'École élémentaire Jean Moulin'];
const WALLETS = [
  { code: 'restauration', label: 'Restauration scolaire' },
  { code: 'periscolaire', label: 'Garderie' },
  { code: 'transport', label: 'Transport' },
];

function form(bytes: Uint8Array | string, name: string, mapping?: string[]) {
  const f = new FormData();
  if (mapping) f.set('mapping', JSON.stringify(mapping));
  f.set('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return f;
}
const send = (b: Browser, kind: 'preview' | 'apply', bytes: Uint8Array | string, name = 'familles.xlsx', mapping?: string[]) =>
  b.post<ImportAnswer & { error?: { code: string; message: string } }>(`/api/staff/import/${kind}`, undefined, { formData: form(bytes, name, mapping) });

async function tableCounts() {
  const out: Record<string, number> = {};
  for (const table of ['families', 'children', 'contacts', 'parent_accounts', 'ledger_entries', 'audit_log']) out[table] = Number((await t.db(table).count({ n: '*' }).first())?.n ?? 0);
  return out;
}

describe('the template', () => {
  it('downloads with French headers, an example row and an "Aide" sheet, and imports as it is', async () => {
    const res = await admin.get('/api/staff/import/template', { raw: true });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(res.bytes!) as unknown as ArrayBuffer);
    const [sheet, help] = wb.worksheets;
    const headers = (sheet!.getRow(1).values as string[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['Référence famille', 'Nom de famille', 'QF']);
    expect(headers).toContain('Solde Restauration scolaire');
    expect(headers).toContain('Responsable 2 autorisé à venir chercher l’enfant');
    expect(help!.name).toBe('Aide');
    expect(JSON.stringify(help!.getSheetValues())).toContain('Oui ou Non');

    const preview = await send(admin, 'preview', res.bytes!, 'modele.xlsx');
    expect(preview.status).toBe(200);
    expect(preview.body.mappingSource).toBe('guessed');
    expect(preview.body.columns.every((c) => c.field !== '')).toBe(true);
    // The test commune has a DEVRET family typed by hand: said, not merged.
    expect(preview.body.report.issues).toEqual([
      { line: 2, column: 'Nom de famille', severity: 'warning', message: expect.stringMatching(/^une famille DEVRET existe déjà \(dossier .+\) : vérifiez/) },
    ]);
    expect(preview.body.report.counts).toMatchObject({ familiesNew: 1, childrenNew: 1, contactsNew: 1, accountsNew: 1, balancesNew: 1, balancesTotalCents: 1250 });
    const done = await send(admin, 'apply', res.bytes!, 'modele.xlsx');
    expect(done.body.report.applied).toBe(true);
    const child = await t.db('children').where('external_ref', 'E-2087').first();
    expect(child).toMatchObject({ first_name: 'Julia', birth_date: '2016-09-12', diet: 'sans_porc', class_name: 'CM1' });
  });
});

describe('importing', () => {
  it('is idempotent: a re-run of the same file changes nothing and says so', async () => {
    const fx = buildFixture({ children: 40, schools: SCHOOLS, wallets: WALLETS, logins: 5 });
    const file = await fixtureXlsx(fx.headers, fx.rows);
    const first = await send(admin, 'apply', file);
    expect(first.status).toBe(200);
    expect(first.body.report).toMatchObject({ applied: true, errorCount: 0 });
    expect(first.body.report.counts.childrenNew).toBe(40);
    const families = first.body.report.counts.familiesNew;
    const after = await tableCounts();
    const rows = await t.db('children').orderBy('id').select();
    const second = await send(admin, 'apply', file);
    expect(second.body.report.counts).toMatchObject({ familiesNew: 0, familiesUpdated: 0, familiesUnchanged: families, childrenNew: 0, childrenUpdated: 0, contactsNew: 0, accountsNew: 0, balancesNew: 0 });
    expect({ ...(await tableCounts()), audit_log: 0 }).toEqual({ ...after, audit_log: 0 });
    expect(await t.db('children').orderBy('id').select()).toEqual(rows);
    const audits = await t.db('audit_log').where('action', 'import.families').select('after_json');
    expect(audits).toHaveLength(2);
    expect(JSON.parse(audits[0]!.after_json as string)).toMatchObject({ fileName: 'familles.xlsx', childrenNew: 40 });
    expect(audits[0]!.after_json).not.toContain('Julia');
  });

  it('is all-or-nothing: one bad line writes nothing, and every bad line is reported', async () => {
    const fx = buildFixture({ children: 30, schools: SCHOOLS, wallets: WALLETS, badLines: 3 });
    const before = await tableCounts();
    const res = await send(admin, 'apply', await fixtureXlsx(fx.headers, fx.rows));
    expect(res.status).toBe(200);
    expect(res.body.report.applied).toBe(false);
    expect(res.body.report.errorCount).toBe(3);
    const errors = res.body.report.issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.line)).toEqual(fx.badLines.map((b) => b.line));
    expect(errors[0]).toMatchObject({ column: 'Date de naissance', message: '« 31/02/2016 » n’est pas une date (exemple : 12/09/2016).' });
    expect(errors[1]!.message).toMatch(/^école inconnue « École des Mouettes »/);
    expect(await tableCounts()).toEqual(before);
    // The preview of the fixed file is exactly what the import then does.
    const fixed = await fixtureXlsx(fx.headers, fixedRows(fx));
    const preview = await send(admin, 'preview', fixed);
    expect(preview.body.report.errorCount).toBe(0);
    expect(await tableCounts()).toEqual(before);
    const done = await send(admin, 'apply', fixed);
    expect(done.body.report.counts).toEqual(preview.body.report.counts);
  });

  it('updates what a changed file changes, and takes an opening balance only once', async () => {
    const fx = buildFixture({ children: 6, schools: SCHOOLS, wallets: WALLETS });
    await send(admin, 'apply', await fixtureXlsx(fx.headers, fx.rows));
    const fam = await t.db('families').where('external_ref', 'imp-F1').first();
    const balance = async () => Number((await t.db('ledger_entries').where({ family_id: fam.id }).sum({ s: 'amount_cents' }).first())?.s);
    expect(await balance()).toBe(1250);
    const entry = await t.db('ledger_entries').where({ family_id: fam.id }).first();
    expect(entry.reason).toBe('Solde repris lors de l’import du 02/03/2026');
    const rows = fx.rows.map((r) => [...r]);
    const col = (label: string) => fx.headers.indexOf(label);
    rows[0]![col('Classe')] = 'CE2-CM1';
    rows[0]![col('Responsable 1 portable')] = '06 99 99 99 99';
    rows[0]![col('Solde Restauration scolaire')] = '15,00';
    const res = await send(admin, 'apply', await fixtureXlsx(fx.headers, rows));
    expect(res.body.report).toMatchObject({ applied: true });
    expect(res.body.report.counts).toMatchObject({ familiesUpdated: 1, childrenUpdated: 1, contactsUpdated: 1, balancesNew: 0 });
    const warning = res.body.report.issues.find((i) => i.column === 'Solde Restauration scolaire')!;
    expect(warning.severity).toBe('warning');
    expect(warning.message).toMatch(/12,50 € déjà repris .* 15,00 € n’est pas appliquée/);
    expect(await balance()).toBe(1250);
    expect((await t.db('children').where('external_ref', 'imp-E1').first()).class_name).toBe('CE2-CM1');
    // Found by the new phone number at the counter.
    const hits = await admin.get<{ families: Array<{ id: number }> }>('/api/staff/families/search?q=0699999999');
    expect(JSON.stringify(hits.body)).toContain(String(fam.id));
  });

  it('reads a Windows-1252 CSV with ";" and French headers of another software, with a mapping remembered', async () => {
    const csv = 'N° dossier;Nom de la famille;Nom de l\'enfant;Prénom de l\'enfant;Date naiss.;École;Classe;Régime;Mère nom;Mère prénom;Divers\r\n' +
      'A1;Hérault;Hérault;Éloïse;12/09/2016;École élémentaire Jean Moulin;CE3;Végétarien;Hérault;Hélène;x\r\n' +
      'A1;Hérault;Hérault;Noé;44000;École élémentaire Jean Moulin;CP;;;;\r\n';
    const latin1 = Buffer.from(csv, 'latin1'); // the accents of this text are all in Windows-1252
    const res = await send(admin, 'preview', latin1, 'export.csv');
    expect(res.status).toBe(200);
    const fields = res.body.columns.map((c) => c.field);
    expect(fields).toEqual(['familyRef', 'familyName', 'childLastName', 'childFirstName', 'birthDate', 'school', 'className', 'diet', 'r1.lastName', 'r1.firstName', '']);
    expect(res.body.report.errorCount).toBe(0);
    expect(res.body.report.issues[0]).toMatchObject({ line: 2, column: 'Classe', severity: 'warning' });
    // The admin maps "Divers" to allergies: remembered for the same headers.
    const mapping = [...fields.slice(0, 10), 'allergies'];
    await send(admin, 'preview', latin1, 'export.csv', mapping);
    const again = await send(admin, 'apply', latin1, 'export.csv');
    expect(again.body.mappingSource).toBe('saved');
    expect(again.body.report.applied).toBe(true);
    const kids = await t.db('children').whereIn('first_name', ['Éloïse', 'Noé']).select('first_name', 'birth_date', 'allergies', 'diet');
    kids.sort((a, b) => (a.first_name as string).localeCompare(b.first_name as string));
    expect(kids).toEqual([
      { first_name: 'Éloïse', birth_date: '2016-09-12', allergies: 'x', diet: 'vegetarien' },
      { first_name: 'Noé', birth_date: '2020-06-18', allergies: '', diet: 'standard' },
    ]);
  });

  it('refuses a username of another family, twice the same child, and disagreeing rows', async () => {
    const fx = buildFixture({ children: 4, schools: SCHOOLS, wallets: WALLETS, logins: 1 });
    const rows = fx.rows.map((r) => [...r]);
    const col = (label: string) => fx.headers.indexOf(label);
    rows[0]![col('Identifiant portail')] = 'paul.martin';
    rows[2]![col('Nom de famille')] = 'AUTRE';
    rows[3]![col('Référence enfant')] = rows[2]![col('Référence enfant')]!;
    const res = await send(admin, 'preview', fixtureCsv(fx.headers, rows, ','), 'f.csv');
    const text = res.body.report.issues.map((i) => `ligne ${i.line}, ${i.column} : ${i.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ligne 4, Nom de famille : « AUTRE » ne correspond pas à la ligne 3 de la même famille \(imp-F2\)\.$/),
        expect.stringMatching(/^ligne 5, Référence enfant : « imp-E3 » figure déjà ligne 4/),
        'ligne 2, Identifiant portail : « paul.martin » est déjà l’identifiant d’une autre famille.',
      ]),
    );
  });
});

describe('welcome letters', () => {
  it('gives each imported login a password on its own page, and the parent signs in with it', async () => {
    const fx = buildFixture({ children: 5, schools: SCHOOLS, wallets: WALLETS, logins: 2 });
    const done = await send(admin, 'apply', await fixtureXlsx(fx.headers, fx.rows));
    expect(done.body.lettersPending).toBe(2);
    const parent = new Browser(h.url);
    expect((await parent.loginParent(fx.logins[0]!.username, 'anything-at-all')).status).toBe(401);
    const letters = await admin.request('POST', '/api/staff/import/letters', {}, { raw: true });
    expect(letters.status).toBe(200);
    expect(letters.headers.get('x-letters-count')).toBe('2');
    const text = await pdfToText(letters.bytes!);
    const passwords = [...text.matchAll(/Mot de passe provisoire\s*:?\s*([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})/g)].map((m) => m[1]!);
    expect(passwords).toHaveLength(2);
    const login = await parent.loginParent(fx.logins.find((l) => text.indexOf(l.username) < text.indexOf(passwords[1]!))!.username, passwords[0]!);
    expect(login.status).toBe(200);
    const none = await admin.post('/api/staff/import/letters', {});
    expect(none.status).toBe(409);
  });
});

describe('roles and hostile uploads', () => {
  it('a double click imports once: the second run waits for the first and finds everything unchanged', async () => {
    const fx = buildFixture({ children: 12, schools: SCHOOLS, wallets: WALLETS, logins: 2 });
    const file = await fixtureXlsx(fx.headers, fx.rows);
    const [a, b] = await Promise.all([send(admin, 'apply', file), send(admin, 'apply', file)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const news = [a, b].map((r) => r.body.report.counts.familiesNew).sort();
    expect(news).toEqual([0, 6]);
    expect(Number((await t.db('families').whereNotNull('external_ref').count({ n: '*' }).first())?.n)).toBe(6);
    expect(Number((await t.db('import_opening_balances').count({ n: '*' }).first())?.n)).toBe(4);
  });

  it('answers a huge cell with a French message next to its line, not a 500', async () => {
    const fx = buildFixture({ children: 2, schools: SCHOOLS });
    const rows = fx.rows.map((r) => [...r]);
    rows[0]![fx.headers.indexOf('Allergies')] = 'x'.repeat(100_000);
    rows[1]![fx.headers.indexOf('Référence famille')] = 'r'.repeat(500);
    const res = await send(admin, 'preview', fixtureCsv(fx.headers, rows), 'f.csv');
    expect(res.status).toBe(200);
    expect(res.body.report.issues.map((i) => `${i.line} ${i.column} ${i.message}`)).toEqual(['2 Allergies 500 caractères au maximum.', '3 Référence famille 60 caractères au maximum.']);
  });

  it('refuses the canteen staff, parents and anonymous visitors', async () => {
    const kitchen = await signedInStaff(h, 'restauration');
    expect((await kitchen.get('/api/staff/import/template', { raw: true })).status).toBe(403);
    expect((await send(kitchen, 'apply', 'a;b\r\n1;2\r\n', 'x.csv')).status).toBe(403);
    const parent = new Browser(h.url);
    await parent.loginParent('chantal.devret');
    expect((await send(parent, 'preview', 'a;b\r\n1;2\r\n', 'x.csv')).status).toBe(403);
    expect((await send(new Browser(h.url), 'preview', 'a;b\r\n1;2\r\n', 'x.csv')).status).toBe(401);
  });

  it('answers a French 4xx to an empty, binary, unmapped, oversized or malformed upload', async () => {
    const empty = await send(admin, 'preview', '', 'vide.csv');
    expect(empty.status).toBe(400);
    expect(empty.body.error!.message).toMatch(/Choisissez un fichier/);
    const xls = await send(admin, 'preview', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'ancien.xls');
    expect(xls.body.error!.message).toMatch(/Ancien format Excel/);
    const zip = await send(admin, 'preview', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'faux.xlsx');
    expect(zip.status).toBe(400);
    const unmapped = await send(admin, 'preview', 'Couleur;Taille\r\nbleu;12\r\n', 'x.csv');
    expect(unmapped.status).toBe(200);
    expect(unmapped.body.report.issues[0]!.message).toMatch(/Référence famille/);
    const badMapping = await send(admin, 'preview', 'a;b\r\n1;2\r\n', 'x.csv', ['x'.repeat(80)] as string[]);
    expect(badMapping.status).toBe(400);
    const hostileMapping = await send(admin, 'preview', 'a;b\r\n1;2\r\n', 'x.csv', ['familyRef', 'familyRef']);
    expect(hostileMapping.body.columns.map((c) => c.field)).toEqual(['familyRef', '']);
    const big = new Uint8Array(26 * 1024 * 1024).fill(65);
    const tooBig = await send(admin, 'preview', big, 'enorme.csv');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error!.message).toMatch(/trop volumineux : 25 Mo/);
    const json = await admin.post('/api/staff/import/apply', { file: 'x' });
    expect(json.status).toBe(400);
  });
});
