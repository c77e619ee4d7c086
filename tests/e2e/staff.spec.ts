/**
 * The staff console in Chromium (the renderer Electron loads), against the real server on the
 * demo database: the counter's day as the secretariat, then the canteen's meal list as the
 * restauration role. Files are read back (pdftotext, exceljs) and compared with the database
 * file itself, opened read-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { expect, test, type APIRequestContext, type Download, type Page } from '@playwright/test';
import { pdfToText } from '../support/pdf-text.js';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

function db(): Database.Database {
  const dir = process.env.ETICKET_E2E_DATA_DIR;
  if (!dir) throw new Error('ETICKET_E2E_DATA_DIR manquant (playwright.config.ts)');
  return new Database(path.join(dir, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const conn = db();
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(/[\u202f\u00a0]/g, ' ');
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const squash = (text: string) => text.replace(/\s+/g, ' ');

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function serverToday(page: Page): Promise<string> {
  const res = await page.request.get('/api/staff/reference');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { today: string }).today;
}

async function bytesOf(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file!);
}

/** A parent deposits a PDF through the portal's API, as the portal does. */
async function uploadAsParent(request: APIRequestContext, title: string): Promise<void> {
  const login = await request.post('/api/auth/parent/login', { data: { username: 'chantal.devret', password: 'eticket-demo' } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]).drawText('Attestation', { x: 20, y: 100, size: 14 });
  const bytes = Buffer.from(await pdf.save());
  const res = await request.post('/api/parent/documents', {
    headers: { 'X-CSRF-Token': csrfToken },
    multipart: { title, file: { name: 'attestation.pdf', mimeType: 'application/pdf', buffer: bytes } },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test.describe('console du secrétariat', () => {
  test('trouve DEVRET en tapant « dev » et ouvre le dossier avec Entrée', async ({ page }) => {
    await signIn(page, 'secretariat');
    // The desk lands on « Tableau de bord » since issue 14.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
    const search = page.getByRole('combobox', { name: 'Rechercher une famille' });
    await expect(search).toBeFocused();
    await page.keyboard.type('dev');
    await expect(page.getByRole('option').first()).toContainText('DEVRET');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
    for (const child of ['Julia', 'Louis', 'Margot']) await expect(page.getByRole('cell', { name: new RegExp(`^${child}`) })).toBeVisible();
    // The shortcut brings the search back from any screen.
    await page.getByRole('link', { name: 'Clôture de caisse' }).click();
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('combobox', { name: 'Rechercher une famille' })).toBeFocused();
  });

  test('vend 10 tickets de cantine par chèque et lit le reçu PDF', async ({ page }) => {
    await signIn(page, 'secretariat');
    await page.getByRole('link', { name: 'Encaissement' }).click();
    await page.getByRole('combobox', { name: 'Famille' }).fill('dev');
    await expect(page.getByRole('option').first()).toContainText('DEVRET');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /Famille DEVRET/ })).toBeVisible();
    await page.getByLabel('Activité', { exact: true }).selectOption({ label: 'Cantine' });
    await page.getByLabel('Nombre de tickets').fill('10');
    await page.getByRole('radio', { name: 'Chèque' }).check();
    await page.getByLabel('Numéro du chèque').fill('7654321');
    await page.getByLabel('Banque').fill('Crédit Agricole');
    await page.getByRole('button', { name: 'Encaisser' }).click();

    const heading = page.getByRole('heading', { name: /^Reçu n° / });
    await expect(heading).toBeVisible();
    const number = (await heading.textContent())!.replace('Reçu n°', '').trim();
    expect(number).toMatch(/^\d{4}-\d{6}$/);
    const [row] = query<{ amount_cents: number; method: string; cheque_number: string; tickets: number; name: string }>(
      `select r.amount_cents, r.method, r.cheque_number, r.tickets, f.name from receipts r join families f on f.id = r.family_id
       where r.year = ? and r.number = ?`,
      Number(number.slice(0, 4)),
      Number(number.slice(5)),
    );
    expect(row).toMatchObject({ method: 'cheque', cheque_number: '7654321', tickets: 10, name: 'DEVRET' });

    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger le reçu (PDF)' }).click();
    const text = await pdfToText(await bytesOf(await downloading));
    expect(text).toContain(`Reçu n° ${number}`);
    expect(text).toMatch(/Famille :\s+DEVRET \(dossier F0001\)/);
    expect(text).toMatch(/Mode de paiement :\s+Chèque/);
    expect(text).toMatch(/Chèque n° :\s+7654321/);
    expect(text).toContain(`Total encaissé`);
    expect(plain(text)).toContain(euros(row!.amount_cents));
    expect(text).toContain('10 tickets Cantine');
  });

  test('réserve un jour clos pour Louis avec la dérogation et le retrouve au journal', async ({ page }) => {
    await signIn(page, 'secretariat');
    // The desk lands on « Tableau de bord » since issue 14.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
    await page.getByRole('combobox', { name: 'Rechercher une famille' }).fill('devret');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Planning' }).click();
    const louis = page.getByRole('table', { name: 'Planning de Louis' });
    await expect(louis).toBeVisible();
    const before = query<{ n: number }>("select count(*) as n from audit_log where action = 'booking.override'")[0]!.n;

    // A closed-for-booking day: this week or, failing that (holidays), an earlier week.
    // Cantine first (the canteen is what parents forget, and the family was just credited),
    // then the daycares; never the bus, whose wallet the demo leaves empty. Back over up to 12
    // weeks, so that a run in the summer holidays still reaches school days.
    const lockedCells = () =>
      louis
        .locator('button[data-state="locked"][aria-label*=" Cantine "]')
        .or(louis.locator('button[data-state="locked"][aria-label*=" Garderie "]'));
    for (let i = 0; i < 12 && (await lockedCells().count()) === 0; i++) {
      const title = await page.locator('.week-title').textContent();
      await page.getByRole('button', { name: '← semaine précédente' }).click();
      await expect(page.locator('.week-title')).not.toHaveText(title ?? '');
      await expect(louis).toBeVisible();
    }
    const cell = lockedCells().first();
    await expect(cell).toBeDisabled();
    const label = (await cell.getAttribute('aria-label'))!;
    const date = (await cell.getAttribute('data-date'))!;
    await page.getByLabel('Dérogation aux dates limites').check();
    await expect(cell).toBeEnabled();
    // Without a reason the dérogation is refused next to its field, and nothing is booked.
    await cell.click();
    await expect(page.getByText('Dérogation : indiquez le motif (au moins 3 caractères).')).toBeVisible();
    await page.getByLabel('Motif de la dérogation').fill('Oubli signalé par téléphone');
    // A double-click is one intent: Louis ends booked, with one dérogation in the journal.
    await cell.dblclick();
    await expect(page.getByText(/^Louis — .* : inscrit\.$/)).toBeVisible();
    const booked = louis.getByRole('button', { name: label.replace(/ : .*$/, ' : inscrit') }).or(louis.getByRole('button', { name: label.replace(/ : .*$/, ' : inscrit, désinscription close') }));
    await expect(booked.first()).toBeVisible();

    const after = query<{ n: number }>("select count(*) as n from audit_log where action = 'booking.override'")[0]!.n;
    expect(after).toBe(before + 1);
    const [booking] = query<{ status: string; override: number; first_name: string }>(
      `select b.status, b.override, c.first_name from bookings b join children c on c.id = b.child_id where c.first_name = 'Louis' and c.last_name = 'DEVRET' and b.date = ? and b.override = 1`,
      date,
    );
    expect(booking).toMatchObject({ status: 'booked', override: 1 });

    await page.getByRole('link', { name: 'Journal' }).click();
    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Réservation avec dérogation' });
    const firstRow = page.locator('tr[data-action="booking.override"]').first();
    await expect(firstRow).toContainText('DEVRET');
    await expect(firstRow).toContainText('Martine Lafon');
    await expect(firstRow).toContainText('Réservation hors délai');
    await expect(firstRow).toContainText('motif : Oubli signalé par téléphone');
  });

  test('écrit à la famille DEVRET et applique une semaine type de cantine à Julia', async ({ page }) => {
    await signIn(page, 'secretariat');
    // The desk lands on « Tableau de bord » since issue 14.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
    await page.getByRole('combobox', { name: 'Rechercher une famille' }).fill('devret');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();

    // A message the secretariat starts: the conversation opens, the family is told by mail.
    const subject = `Sortie au musée ${Date.now()}`;
    await page.getByRole('tab', { name: /^Messages/ }).click();
    await page.getByRole('button', { name: 'Écrire à la famille' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau message à la famille DEVRET' });
    await dialog.getByLabel('Objet').fill(subject);
    await dialog.getByLabel('Message').fill('Bonjour, pensez au pique-nique de Louis pour jeudi.');
    await dialog.getByRole('button', { name: 'Envoyer le message' }).click();
    await expect(page.getByRole('heading', { level: 2, name: subject })).toBeVisible();
    await expect(page.getByText('Bonjour, pensez au pique-nique de Louis pour jeudi.', { exact: true })).toBeVisible();
    const [thread] = query<{ id: number; family: string; author_kind: string }>(
      `select t.id, f.name as family, m.author_kind from message_threads t join families f on f.id = t.family_id join messages m on m.thread_id = t.id where t.subject = ?`,
      subject,
    );
    expect(thread).toMatchObject({ family: 'DEVRET', author_kind: 'staff' });
    expect(page.url()).toMatch(new RegExp(`/staff/messages/${thread!.id}$`));
    const mails = query<{ n: number }>('select count(*) as n from mail_outbox where subject = ?', `eTicket : message du secrétariat — ${subject}`);
    expect(mails[0]!.n).toBeGreaterThan(0);

    // The semaine type from the planning tab: Mondays and Thursdays over two weeks.
    await page.getByRole('link', { name: 'Famille DEVRET' }).click();
    await page.getByRole('tab', { name: 'Planning' }).click();
    await page.getByRole('button', { name: 'Semaine type : Cantine pour Julia' }).click();
    const template = page.getByRole('dialog', { name: 'Semaine type — Cantine pour Julia' });
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) await template.getByRole('checkbox', { name: day }).setChecked(day === 'lundi' || day === 'jeudi');
    // A week later than offered: well before every deadline, whatever the day of the run.
    const from = addDays(await template.getByLabel('Du').inputValue(), 7);
    const to = addDays(from, 13);
    await template.getByLabel('Du').fill(from);
    await template.getByLabel('Au').fill(to);
    await template.getByRole('button', { name: 'Appliquer la semaine type' }).click();
    const notice = page.getByText(/^Semaine type appliquée : \d+ case\(s\) modifiée\(s\)/);
    await expect(notice).toBeVisible();
    const changed = Number(/: (\d+) case/.exec((await notice.textContent())!)![1]);
    const booked = query<{ date: string }>(
      `select b.date from bookings b join children c on c.id = b.child_id join activities a on a.id = b.activity_id
       where c.first_name = 'Julia' and c.last_name = 'DEVRET' and a.name = 'Cantine' and b.status = 'booked' and b.date between ? and ?`,
      from,
      to,
    );
    // Within the deadlines every Tuesday and Friday is cancelled; only Mondays and Thursdays stay booked.
    for (const { date } of booked) expect([1, 4], date).toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
    // What changed is in the journal, one batch row listing the cells.
    if (changed > 0) {
      const [batch] = query<{ after_json: string }>("select after_json from audit_log where action = 'booking.batch' order by id desc limit 1");
      expect(JSON.parse(batch!.after_json)).toHaveLength(changed);
    }
  });

  test('accepte un document déposé par un parent', async ({ page, playwright, baseURL }) => {
    const title = `Attestation employeur ${Date.now()}`;
    const parent = await playwright.request.newContext({ baseURL });
    await uploadAsParent(parent, title);
    await parent.dispose();

    await signIn(page, 'secretariat');
    await page.getByRole('link', { name: /^Documents/ }).click();
    const doc = page.getByRole('article', { name: `Document ${title}` });
    await expect(doc).toContainText('En attente');
    await doc.getByRole('button', { name: 'Accepter' }).click();
    await expect(doc).toBeHidden();
    await page.getByLabel('Afficher').selectOption('accepted');
    await expect(page.getByRole('article', { name: `Document ${title}` })).toContainText('Accepté');
    const [row] = query<{ status: string; reviewed_by: number }>('select status, reviewed_by from documents where title = ?', title);
    expect(row!.status).toBe('accepted');
    expect(query<{ n: number }>("select count(*) as n from audit_log where action = 'document.accept' and note = ?", title)[0]!.n).toBe(1);
  });

  test('exporte un mois de cantine en Excel, avec les comptes de la base', async ({ page }) => {
    await signIn(page, 'secretariat');
    const today = await serverToday(page);
    const month = today.slice(0, 7);
    const from = `${month}-01`;
    const to = addDays(`${addDays(from, 32).slice(0, 7)}-01`, -1);
    await page.getByRole('link', { name: 'Exports Excel' }).click();
    await page.getByLabel('Activité', { exact: true }).selectOption({ label: 'Cantine' });
    await expect(page.getByLabel('Du', { exact: true })).toHaveValue(from);
    await expect(page.getByLabel('Au', { exact: true })).toHaveValue(to);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter en Excel' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bytesOf(download)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(2).values as unknown[]).slice(1) as string[];
    const totalCol = header.indexOf('Total') + 1;
    // Two children may share a name: compare the rows as sorted "name: count" lists.
    const xByChild: string[] = [];
    let xs = 0;
    for (let r = 3; r < ws.rowCount; r++) {
      const row = ws.getRow(r);
      let n = 0;
      row.eachCell((c) => (n += c.value === 'X' ? 1 : 0));
      const total = row.getCell(totalCol).value as ExcelJS.CellFormulaValue;
      expect(total.result ?? 0).toBe(n);
      xByChild.push(`${row.getCell(1).value} ${row.getCell(2).value}: ${n}`);
      xs += n;
    }
    const lastRow = ws.getRow(ws.rowCount);
    expect(lastRow.getCell(1).value).toBe('Total par jour');
    expect((lastRow.getCell(totalCol).value as ExcelJS.CellFormulaValue).result ?? 0).toBe(xs);

    const rows = query<{ last_name: string; first_name: string; n: number }>(
      `select c.last_name, c.first_name, count(*) as n from bookings b join children c on c.id = b.child_id join activities a on a.id = b.activity_id
       where a.name = 'Cantine' and b.status = 'booked' and b.date between ? and ? group by c.id`,
      from,
      to,
    );
    expect(xs).toBe(rows.reduce((s, r) => s + r.n, 0));
    expect(xByChild.sort()).toEqual(rows.map((r) => `${r.last_name} ${r.first_name}: ${r.n}`).sort());
  });

  test('clôture la journée : le total du journal égale les ventes du jour', async ({ page }) => {
    await signIn(page, 'secretariat');
    const today = await serverToday(page);
    await page.getByRole('link', { name: 'Clôture de caisse' }).click();
    await expect(page.getByRole('heading', { name: /^Journal du / })).toBeVisible();
    const sales = query<{ total: number | null; n: number }>('select sum(amount_cents) as total, count(*) as n from receipts where business_date = ?', today)[0]!;
    expect(sales.n).toBeGreaterThan(0);
    await expect(page.getByTestId('cash-total')).toHaveText(new RegExp(euros(sales.total ?? 0).replace(/\s/g, '\\s')));
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Clôturer la journée' }).click();
    await expect(page.getByText(/Journée clôturée le/)).toBeVisible();
    const [closure] = query<{ total_cents: number; receipt_count: number }>('select total_cents, receipt_count from cash_closures where business_date = ?', today);
    expect(closure).toEqual({ total_cents: sales.total ?? 0, receipt_count: sales.n });
    await expect(page.getByRole('button', { name: 'Clôturer la journée' })).toHaveCount(0);

    // The régisseur's PDF journal says the same.
    const pdf = await page.request.get(`/api/staff/cash/${today}/pdf`);
    const text = plain(await pdfToText(await pdf.body()));
    expect(squash(text)).toContain(squash(`Total de la session 1 ${sales.n} ${euros(sales.total ?? 0)}`));
  });

  test('après la clôture, le formulaire annonce la session 2 et montre le prix avant « Encaisser »', async ({ page }) => {
    await signIn(page, 'secretariat');
    const today = await serverToday(page);
    await page.getByRole('link', { name: 'Encaissement' }).click();
    await page.getByRole('combobox', { name: 'Famille' }).fill('dev');
    await expect(page.getByRole('option').first()).toContainText('DEVRET');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('second-session-notice')).toContainText('session 2 de la journée');
    await page.getByLabel('Activité', { exact: true }).selectOption({ label: 'Cantine' });
    await page.getByLabel('Nombre de tickets').fill('4');
    const [ids] = query<{ family: number; cantine: number }>("select (select id from families where name = 'DEVRET') as family, (select id from activities where name = 'Cantine') as cantine");
    const prices = (await (await page.request.get(`/api/staff/families/${ids!.family}/prices`)).json()) as { prices: Array<{ activityId: number; priceCents: number }> };
    const unit = prices.prices.find((p) => p.activityId === ids!.cantine)!.priceCents;
    await expect(page.getByTestId('sale-quote')).toHaveText(`Prix unitaire : ${euros(unit)} — Total : ${euros(4 * unit)}`, { useInnerText: true });
    await page.getByRole('radio', { name: 'Carte bancaire' }).check();
    await page.getByRole('button', { name: 'Encaisser' }).dblclick();
    await expect(page.getByRole('heading', { name: /^Reçu n° / })).toBeVisible();
    const late = query<{ n: number; session: number }>('select count(*) as n, max(cash_session) as session from receipts where business_date = ? and cash_session = 2', today)[0]!;
    expect(late).toEqual({ n: 1, session: 2 }); // a double click makes one sale

    await page.getByRole('link', { name: 'Clôture de caisse' }).click();
    await expect(page.getByRole('button', { name: /^Session 2 \(ouverte, 1 reçu\)/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Clôturer la session 2' })).toBeVisible();
  });
});

test.describe('console de la restauration', () => {
  test('la liste des repas de demain (PDF) contient exactement les enfants inscrits, avec les allergies', async ({ page }) => {
    await signIn(page, 'restauration');
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await expect(nav.getByRole('link', { name: 'Liste des repas du jour' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Encaissement' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Familles' })).toHaveCount(0);
    const tomorrow = addDays(await serverToday(page), 1);

    await page.getByRole('button', { name: 'Demain' }).click();
    await expect(page.getByLabel('Jour')).toHaveValue(tomorrow);
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger le PDF' }).click();
    const text = plain(await pdfToText(await bytesOf(await downloading)));
    const flat = squash(text);

    const expected = query<{ child_id: number; first_name: string; last_name: string; allergies: string; pai: number; school: string }>(
      `select distinct c.id as child_id, c.first_name, c.last_name, c.allergies, c.pai, s.name as school
       from bookings b join activities a on a.id = b.activity_id join children c on c.id = b.child_id left join schools s on s.id = c.school_id
       where b.date = ? and b.status = 'booked' and a.meal = 1`,
      tomorrow,
    );
    // One "present" box per listed child: exactly the booked ones, no one else.
    expect((text.match(/☐/g) ?? []).length).toBe(expected.length);
    expect(flat).toContain(`${expected.length} repas`);
    for (const school of new Set(expected.map((e) => e.school))) {
      const n = expected.filter((e) => e.school === school).length;
      expect(flat).toContain(`${school} — ${n} repas`);
    }
    // Each row starts with its box: the text up to the next box is that child's line.
    const rows = flat.split('☐').slice(1).map((r) => r.trim());
    for (const child of expected) {
      const name = `${child.last_name} ${child.first_name}`;
      const mine = rows.filter((r) => r.startsWith(name));
      expect(mine.length, name).toBeGreaterThan(0);
      if (child.allergies.trim()) expect(mine.some((r) => r.includes(`⚠`) && r.includes(`Allergie : ${squash(child.allergies.trim())}`)), `${name} : allergie`).toBe(true);
      if (child.pai) expect(mine.some((r) => /PAI/.test(r)), `${name} : PAI`).toBe(true);
      if (!child.allergies.trim() && !child.pai) expect(mine.some((r) => !r.includes('Allergie')), `${name} : sans allergie`).toBe(true);
    }
    if (expected.some((e) => e.allergies.trim())) expect(flat).toContain('⚠');
  });

  test('toutes les routes d’argent et de dossier famille sont refusées', async ({ page }) => {
    await signIn(page, 'restauration');
    const me = await page.request.get('/api/auth/me');
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const headers = { 'X-CSRF-Token': csrfToken };
    const family = query<{ id: number }>("select id from families where code = 'F0001'")[0]!.id;
    const gets = [
      '/api/staff/families/search?q=dev',
      `/api/staff/families/${family}`,
      `/api/staff/families/${family}/ledger`,
      `/api/staff/families/${family}/planning`,
      `/api/staff/families/${family}/portal-accounts`,
      `/api/staff/families/${family}/documents`,
      `/api/staff/families/${family}/receipts`,
      '/api/staff/documents',
      '/api/staff/changes',
      '/api/staff/receipts/1',
      '/api/staff/receipts/1/pdf',
      '/api/staff/cash/2026-01-05',
      '/api/staff/messages',
      '/api/staff/audit',
      '/api/staff/staff-users',
    ];
    for (const url of gets) expect((await page.request.get(url)).status(), url).toBe(403);
    const receiptsBefore = query<{ n: number }>('select count(*) as n from receipts')[0]!.n;
    const posts: Array<[string, unknown]> = [
      ['/api/staff/sales', { familyId: family, walletId: 1, amountCents: 1000, method: 'especes' }],
      [`/api/staff/families/${family}/adjustments`, { walletId: 1, amountCents: 1000, reason: 'essai' }],
      [`/api/staff/families/${family}/planning/changes`, { changes: [{ childId: 1, activityId: 1, date: '2030-01-07', action: 'book' }], override: true }],
      ['/api/staff/receipts/1/cancel', { reason: 'essai' }],
      ['/api/staff/cash/2026-01-05/close', {}],
      ['/api/staff/families', { name: 'ESSAI' }],
    ];
    for (const [url, data] of posts) expect((await page.request.post(url, { data, headers })).status(), url).toBe(403);
    expect(query<{ n: number }>('select count(*) as n from receipts')[0]!.n).toBe(receiptsBefore);
    // What the canteen needs stays open.
    expect((await page.request.get(`/api/staff/meals?date=${await serverToday(page)}`)).status()).toBe(200);
    await page.goto('/staff/encaissement');
    await expect(page.getByText('Cette page est réservée au secrétariat.')).toBeVisible();
  });
});
