/**
 * "Commande traiteur" in the staff console (desktop), as the canteen (restauration), against the
 * real server on the demo database: next week by default, no money figure, the adults' meals
 * entered with a French refusal next to the cell, saved once, and the total follows. Axe clean.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

function adultRows(): number {
  const conn = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('SELECT COUNT(*) AS n FROM adult_meals').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

test('the canteen orders next week’s meals with its adults', async ({ page }) => {
  await signIn(page, 'restauration');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Commande traiteur' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Commande traiteur' })).toBeVisible();
  const from = await page.getByLabel('Du', { exact: true }).inputValue();
  expect(new Date(`${from}T12:00:00Z`).getUTCDay()).toBe(1); // a Monday
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Sans porc' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText('€');

  const before = adultRows();
  const first = page.getByRole('textbox', { name: /^Repas adultes, / }).first();
  await first.fill('600');
  const save = page.getByRole('button', { name: 'Enregistrer les repas adultes' });
  await save.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Repas adultes : 500 au maximum.' })).toBeVisible();
  expect(adultRows()).toBe(before);

  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  for (const target of [save, first]) expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(24);

  const row = first.locator('xpath=ancestor::tr');
  const total = Number(await row.locator('td.num strong').innerText());
  await first.fill('12');
  await save.dblclick();
  await expect(page.getByRole('status').filter({ hasText: 'Repas adultes enregistrés.' })).toBeVisible();
  await expect(row.locator('td.num strong')).toHaveText(String(total + 12));
  expect(adultRows()).toBe(before + 1);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en Excel' }).click();
  expect((await download).suggestedFilename()).toMatch(/^commande-traiteur-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
});
