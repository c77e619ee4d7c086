import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { buildFixture, fixedRows, fixtureXlsx, type BadLine, type FixtureLogin } from '../import-fixtures.js';

/**
 * Import files built in the test with exceljs, and the console's import walk, for
 * staff-import.spec.ts and the lead's production walk (ETICKET_DEMO=0).
 */

export interface BuiltImport {
  /** The xlsx with its bad lines. */
  file: string;
  /** The same file with every bad line put right. */
  fixedFile: string;
  badLines: BadLine[];
  logins: FixtureLogin[];
  familyNames: string[];
  /** Every reference, name and username of the file starts with it (for clean-up). */
  prefix: string;
}

export async function buildFamiliesXlsx(opts: {
  children: number;
  badLines?: number;
  schools: string[];
  logins?: number;
  wallets?: Array<{ code: string; label: string }>;
  prefix?: string;
}): Promise<BuiltImport> {
  const prefix = opts.prefix ?? `e2e${Date.now().toString(36)}`;
  const fx = buildFixture({ children: opts.children, badLines: opts.badLines ?? 0, schools: opts.schools, logins: opts.logins ?? 0, wallets: opts.wallets, prefix });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-import-'));
  const file = path.join(dir, `familles-${prefix}.xlsx`);
  const fixedFile = path.join(dir, `familles-${prefix}-corrige.xlsx`);
  fs.writeFileSync(file, await fixtureXlsx(fx.headers, fx.rows));
  fs.writeFileSync(fixedFile, await fixtureXlsx(fx.headers, fixedRows(fx)));
  return { file, fixedFile, badLines: fx.badLines, logins: fx.logins, familyNames: fx.familyNames, prefix };
}

/**
 * Opens "Importer des familles", uploads `file`, reads the preview's errors; with `fixWith`,
 * uploads the corrected file (the mapping is kept) until no error is left; then imports.
 * Returns the errors shown for the first file and the final summary.
 */
export async function importThroughConsole(page: Page, file: string, opts: { fixWith?: string } = {}): Promise<{ errorsShown: string[]; summary: string }> {
  await page.getByRole('link', { name: 'Importer des familles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer des familles' })).toBeVisible();
  await page.getByLabel(/Fichier à importer|Envoyer le fichier corrigé/).setInputFiles(file);
  await expect(page.getByRole('heading', { name: '3. Aperçu' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Vérification du fichier…')).toHaveCount(0, { timeout: 60_000 });
  const errors = page.getByRole('list', { name: 'Erreurs' }).getByRole('listitem');
  const errorsShown = (await errors.count()) > 0 ? await errors.allTextContents() : [];
  if (errorsShown.length > 0) {
    await expect(page.getByRole('button', { name: 'Importer', exact: true })).toBeDisabled();
    if (!opts.fixWith) throw new Error(`Le fichier a des erreurs : ${errorsShown.join(' | ')}`);
    await page.getByLabel('Envoyer le fichier corrigé (.xlsx ou .csv)').setInputFiles(opts.fixWith);
    await expect(page.getByText('Aucune erreur : le fichier peut être importé.')).toBeVisible({ timeout: 60_000 });
  }
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  const done = page.getByText(/^Import terminé :/);
  await expect(done).toBeVisible({ timeout: 120_000 });
  return { errorsShown, summary: (await done.textContent()) ?? '' };
}

/** Clicks "Courriers de bienvenue" after an import and saves the PDF (one page per imported login). */
export async function downloadWelcomeLetters(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Courriers de bienvenue' }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-letters-')), download.suggestedFilename() || 'courriers-bienvenue.pdf');
  await download.saveAs(file);
  return file;
}

/** The temporary password printed for `username` in the letters' text (pdftotext): its own line, "Mot de passe provisoire :". */
export function passwordFor(lettersText: string, username: string): string {
  const page = lettersText.split('\f').find((p) => new RegExp(`Identifiant\\s*:?\\s+${username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`).test(p));
  const m = page ? /Mot de passe provisoire\s*:?\s+(\S+)/.exec(page) : null;
  if (!m) throw new Error(`Pas de courrier pour ${username}`);
  return m[1]!;
}
