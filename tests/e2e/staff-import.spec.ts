import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { pdfToText } from '../support/pdf-text.js';
import { buildFamiliesXlsx, downloadWelcomeLetters, importThroughConsole, passwordFor } from './import-helpers.js';
import { signIn } from './staff-helpers.js';

/**
 * "Importer des familles" on the demo server: a 30-child xlsx made here with exceljs, its two
 * bad lines shown in the preview, the corrected file imported, a family found at the counter.
 * The imported rows are removed afterwards so that the other specs see the demo as it was.
 */

const SCHOOLS = ['École maternelle Les Coquelicots', 'École élémentaire Jean Jaurès'];

function removeImported(prefix: string) {
  const db = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    db.transaction(() => {
      const ids = (db.prepare('SELECT id FROM families WHERE external_ref LIKE ?').all(`${prefix}-%`) as Array<{ id: number }>).map((r) => r.id);
      const inList = ids.join(',') || '0';
      db.exec(`DELETE FROM imported_accounts WHERE parent_account_id IN (SELECT id FROM parent_accounts WHERE family_id IN (${inList}))`);
      db.exec(`DELETE FROM import_opening_balances WHERE family_id IN (${inList})`);
      db.exec(`DELETE FROM ledger_entries WHERE family_id IN (${inList})`);
      db.exec(`DELETE FROM sessions WHERE parent_account_id IN (SELECT id FROM parent_accounts WHERE family_id IN (${inList}))`);
      db.exec(`DELETE FROM parent_accounts WHERE family_id IN (${inList})`);
      db.exec(`DELETE FROM contacts WHERE family_id IN (${inList})`);
      db.exec(`DELETE FROM children WHERE family_id IN (${inList})`);
      db.exec(`DELETE FROM families WHERE id IN (${inList})`);
    })();
  } finally {
    db.close();
  }
}

test('import de 30 enfants : deux lignes en erreur corrigées, puis la famille trouvée au guichet', async ({ page, playwright, baseURL }) => {
  const built = await buildFamiliesXlsx({ children: 30, badLines: 2, schools: SCHOOLS, logins: 2 });
  try {
    await signIn(page, 'secretariat');
    const { errorsShown, summary } = await importThroughConsole(page, built.file, { fixWith: built.fixedFile });
    expect(errorsShown).toHaveLength(2);
    expect(errorsShown[0]).toBe(`ligne ${built.badLines[0]!.line}, Date de naissance : « 31/02/2016 » n’est pas une date (exemple : 12/09/2016).`);
    expect(errorsShown[1]).toMatch(new RegExp(`^ligne ${built.badLines[1]!.line}, École : école inconnue « École des Mouettes »`));
    expect(summary).toMatch(/^Import terminé : 15 nouvelles, 0 mise à jour, 0 inchangée ; 30 enfants ajoutés\.$/);
    // The welcome letters: one page per imported login, whose password signs the parent in.
    const letters = await pdfToText(new Uint8Array(fs.readFileSync(await downloadWelcomeLetters(page))));
    expect(letters.split('\f').filter((p) => p.includes('Mot de passe provisoire'))).toHaveLength(2);
    const login = built.logins[1]!;
    const parent = await playwright.request.newContext({ baseURL }); // its own cookies: the console stays signed in
    try {
      const signedIn = await parent.post('/api/auth/parent/login', { data: { username: login.username, password: passwordFor(letters, login.username) } });
      expect(signedIn.status()).toBe(200);
      expect(((await signedIn.json()) as { mustChangePassword?: boolean }).mustChangePassword).toBe(true);
    } finally {
      await parent.dispose();
    }

    // Found at the counter by its name.
    await page.getByRole('link', { name: /^Familles/ }).click();
    await page.getByRole('combobox', { name: 'Rechercher une famille' }).fill(built.familyNames[3]!.toLowerCase());
    await expect(page.getByRole('option').first()).toContainText(built.familyNames[3]!);
  } finally {
    removeImported(built.prefix);
  }
});

test('la page d’import et son aperçu en erreur passent axe (rien n’est écrit)', async ({ page }) => {
  const built = await buildFamiliesXlsx({ children: 6, badLines: 2, schools: SCHOOLS });
  await signIn(page, 'secretariat');
  await page.getByRole('link', { name: 'Importer des familles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer des familles' })).toBeVisible();
  await page.getByLabel('Fichier à importer (.xlsx ou .csv)').setInputFiles(built.file);
  await expect(page.getByRole('list', { name: 'Erreurs' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Importer', exact: true })).toBeDisabled();
  // The mapping screen: each of the file's columns has its select, named by the header.
  await expect(page.getByRole('combobox', { name: 'Date de naissance' })).toHaveValue('birthDate');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
  const db = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    expect((db.prepare('SELECT count(*) AS n FROM families WHERE external_ref LIKE ?').get(`${built.prefix}-%`) as { n: number }).n).toBe(0);
  } finally {
    db.close();
  }
});
