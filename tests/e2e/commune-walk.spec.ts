/**
 * A commune puts eTicket into service, end to end, on a fresh data folder with ETICKET_DEMO=0
 * (its own server, tests/e2e/fresh-server.ts): the setup page (commune "Saint-Exemple", first
 * admin, the template's activities, two schools), then a 300-child spreadsheet made here with
 * exceljs whose 5 bad lines are fixed after the preview, then a counter sale, then a parent
 * imported with a login signs in with her welcome letter's password and books. Every paper
 * (receipt, invoice, welcome letter) names Saint-Exemple and never the demo's commune.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Download, type Page } from '@playwright/test';
import { pdfToText } from '../support/pdf-text.js';
import { completeSetup, DEFAULT_SETUP, signInStaff } from './first-start-helpers.js';
import { startFreshServer, type FreshServer } from './fresh-server.js';
import { buildFamiliesXlsx, downloadWelcomeLetters, importThroughConsole, passwordFor, type BuiltImport } from './import-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const DEMO_COMMUNE = /Port-Sainte-Foy|Ponchapt/i;
let server: FreshServer;
let built: BuiltImport;
let admin: { username: string; password: string };

test.beforeAll(async () => {
  server = await startFreshServer({ port: Number(process.env.E2E_FRESH_PORT ?? 3232) + 1 });
});
test.afterAll(async () => {
  await server?.stop();
});

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(server.dataDir, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function textOf(download: Download): Promise<string> {
  const bytes = fs.readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  return pdfToText(bytes);
}

function expectOurCommune(text: string, paper: string) {
  expect(text, paper).toContain('Saint-Exemple');
  expect(text, paper).not.toMatch(DEMO_COMMUNE);
}

async function download(page: Page, click: () => Promise<void>): Promise<Download> {
  const downloading = page.waitForEvent('download');
  await click();
  return downloading;
}

test('setup, then 300 children imported with their 5 bad lines fixed after the preview', async ({ page }) => {
  admin = await completeSetup(page, server.url);
  await signInStaff(page, server.url, admin.username, admin.password);

  built = await buildFamiliesXlsx({ children: 300, badLines: 5, schools: DEFAULT_SETUP.schools.map((s) => s.name), logins: 3, prefix: 'se' });
  const { errorsShown, summary } = await importThroughConsole(page, built.file, { fixWith: built.fixedFile });
  expect(errorsShown).toHaveLength(5);
  for (const [i, bad] of built.badLines.entries()) expect(errorsShown[i]).toMatch(new RegExp(`^ligne ${bad.line}, `));
  expect(summary).toMatch(/ 300 enfants ajoutés\.$/);
  expect(query<{ n: number }>('select count(*) as n from children')[0]!.n).toBe(300);
  expect(query('select 1 from families where name like ?', '%DEVRET%')).toEqual([]);
});

test('a counter sale prints a receipt of Saint-Exemple; the welcome letters too', async ({ page }) => {
  const login = built.logins[0]!;
  await signInStaff(page, server.url, admin.username, admin.password);

  await page.getByRole('link', { name: 'Encaissement' }).click();
  await page.getByRole('combobox', { name: 'Famille' }).fill(login.familyName.toLowerCase());
  await expect(page.getByRole('option').first()).toContainText(login.familyName);
  await page.keyboard.press('Enter');
  await page.getByLabel('Activité', { exact: true }).selectOption({ label: 'Cantine' });
  await page.getByLabel('Nombre de tickets').fill('10');
  await page.getByRole('radio', { name: 'Espèces' }).check();
  await page.getByRole('button', { name: 'Encaisser' }).click();
  await expect(page.getByRole('heading', { name: /^Reçu n° / })).toBeVisible();
  const receipt = await textOf(await download(page, () => page.getByRole('link', { name: 'Télécharger le reçu (PDF)' }).click()));
  expectOurCommune(receipt, 'reçu');
  expect(receipt).toContain('10 tickets Cantine');

  await page.getByRole('link', { name: 'Importer des familles' }).click();
  const letters = await pdfToText(fs.readFileSync(await downloadWelcomeLetters(page)));
  expectOurCommune(letters, 'courriers de bienvenue');
  for (const l of built.logins) expect(letters).toContain(l.username);
  fs.writeFileSync(path.join(server.dataDir, 'letters.txt'), letters);
});

test('a parent imported with a login signs in with her letter, books, and reads her invoice', async ({ page }) => {
  const login = built.logins[0]!;
  const letters = fs.readFileSync(path.join(server.dataDir, 'letters.txt'), 'utf8');
  const temporary = passwordFor(letters, login.username);
  expect(temporary).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

  await page.goto(`${server.url}/`);
  await expect(page.getByText('Saint-Exemple').first()).toBeVisible();
  await page.getByLabel('Identifiant').fill(login.username);
  await page.getByLabel('Mot de passe', { exact: true }).fill(temporary);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/mot-de-passe/);
  await page.getByLabel('Mot de passe actuel').fill(temporary);
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('marelle-cerf-volant-1987');
  await page.getByLabel('Confirmez le nouveau mot de passe').fill('marelle-cerf-volant-1987');
  await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  // Her own password chosen, the portal takes her to her week.
  await expect(page).toHaveURL(/\/planning/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Mon Planning' })).toBeVisible();

  // The first open Cantine day of one of her children, within the next weeks.
  const children = query<{ first_name: string }>(
    'select c.first_name from children c join families f on f.id = c.family_id where f.external_ref = ? order by c.id',
    login.familyRef,
  );
  expect(children.length).toBeGreaterThan(0);
  const book = page.getByRole('button', { name: new RegExp(`^Réserver Cantine pour (${children.map((c) => c.first_name).join('|')}) le `) }).first();
  for (let week = 0; week < 8 && (await book.count()) === 0; week++) {
    const title = await page.locator('.week-title').innerText();
    await page.getByRole('button', { name: 'semaine suivante' }).click();
    await expect(page.locator('.week-title')).not.toHaveText(title);
  }
  const name = (await book.getAttribute('aria-label')) ?? (await book.innerText());
  await book.click();
  await expect(page.getByRole('button', { name: name.replace(/^Réserver/, 'Annuler') }).first()).toBeVisible();
  // The cell turns at once; the server's write follows (the tap is optimistic).
  await expect
    .poll(
      () =>
        query<{ n: number }>(
          `select count(*) as n from bookings b join children c on c.id = b.child_id join families f on f.id = c.family_id
            where f.external_ref = ? and b.status = 'booked'`,
          login.familyRef,
        )[0]!.n,
      { timeout: 15_000 },
    )
    .toBe(1);

  // The counter sale left a paid invoice in Mes factures, of Saint-Exemple.
  const [invoice] = query<{ number: string }>(
    `select i.number from invoices i join families f on f.id = i.family_id where f.external_ref = ? and i.status = 'paid' order by i.id`,
    login.familyRef,
  );
  expect(invoice).toBeTruthy();
  await page.goto(`${server.url}/factures`);
  const text = await textOf(await download(page, () => page.getByRole('link', { name: `Téléchargement de la facture ${invoice!.number}` }).click()));
  expectOurCommune(text, 'facture');
  expect(text).toContain(`Facture ${invoice!.number}`);
});
