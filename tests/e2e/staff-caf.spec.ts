/**
 * "Statistiques CAF" in the staff console (desktop), on the demo database: the secretariat picks
 * the civil year, previews the hours by activity, age band and QF band, downloads the Excel file;
 * a period that ends before it starts is refused in French next to its field. Axe-checked.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

test('the secretariat previews and downloads the CAF figures of the civil year', async ({ page }) => {
  await signIn(page, 'secretariat');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Statistiques CAF' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Statistiques CAF' })).toBeVisible();

  const year = new Date().getFullYear();
  await page.getByRole('button', { name: `Année civile ${year}`, exact: true }).click();
  await expect(page.getByLabel('Du', { exact: true })).toHaveValue(`${year}-01-01`);
  let calls = 0;
  page.on('request', (r) => void (new URL(r.url()).pathname === '/api/staff/caf' && calls++));
  await page.getByRole('button', { name: 'Afficher' }).dblclick();
  const preview = page.getByRole('region', { name: 'Aperçu' });
  await expect(preview.getByRole('rowheader', { name: /^Total Cantine/ })).toBeVisible();
  expect(calls).toBe(1);
  await expect(preview.getByRole('cell', { name: 'Moins de 6 ans' }).first()).toBeVisible();
  await expect(preview.getByRole('rowheader', { name: 'Total général' })).toBeVisible();

  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger (Excel)' }).click()]);
  expect(download.suggestedFilename()).toBe(`statistiques-caf-${year}-01-01-${year}-12-31.xlsx`);

  await page.getByLabel('Au', { exact: true }).fill(`${year - 1}-06-30`);
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page.getByText('La date de fin doit suivre la date de début.')).toBeVisible();
  await expect(page.getByLabel('Au', { exact: true })).toHaveAttribute('aria-invalid', 'true');
});
