/**
 * Issue 9, glance: the week and the month at a glance, in one walk per width (desktop, and the
 * 360 px phone with @mobile): the week's total, the holiday banner of the Noël week, the
 * low-balance highlight once the parent raises her alert threshold, and "Mon mois".
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForGrid } from './portal-helpers.js';

async function noSidewaysScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

/** axe with the WCAG 2.2 AA rules (target size included): no serious or critical violation. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

async function setThreshold(page: Page, text: string) {
  const more = page.locator('details.glance-more');
  if (!(await more.evaluate((d) => (d as HTMLDetailsElement).open))) await more.locator('summary').click();
  await page.getByLabel(/Seuil d’alerte/).fill(text);
  await more.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(more.getByText(/Seuil d’alerte enregistré/)).toBeVisible();
}

test.describe('the week and the month at a glance @mobile', () => {
  // Two axe passes on a busy two-core machine.
  test.describe.configure({ timeout: 120_000 });
  test('week total, Noël banner, low-balance highlight in words and Mon mois', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await expect(page.getByTestId('week-total')).toContainText('Cette semaine');
    await expect(page.locator('.glance-horizon')).toHaveText(/^Réservations ouvertes jusqu’au \d/);

    // The Noël week of the demo calendar: a banner in words, above the grid.
    await page.goto('/planning?semaine=2026-12-21');
    await waitForGrid(page);
    await expect(page.getByTestId('planning-banner').first()).toHaveText(/Vacances de Noël : du 20 décembre au 3 janvier/);
    await expect(page.getByTestId('week-total')).toHaveText(/Cette semaine : rien de réservé/);
    await noSidewaysScroll(page);

    // 200 € puts every demo wallet under the threshold: each says so in words, not colour alone.
    await setThreshold(page, '200');
    const low = page.locator('[data-testid^="solde-bas-"]');
    await expect(low.first()).toBeVisible();
    await expect(low.first()).toHaveText(/Solde bas : (couvre encore environ \d+ jours?|ne couvre plus aucun jour|sous votre seuil de 200,00\s€)/u);
    await page.getByLabel(/Seuil d’alerte/).fill('900');
    await page.locator('details.glance-more').getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator('#alert-threshold-error')).toHaveText(/200,00\s€ au maximum/u);
    await expectAccessible(page, 'Mon Planning, résumé ouvert');
    await setThreshold(page, '10,00');

    // Mon mois, from the summary: the month of the week shown, then the month before.
    await page.getByRole('link', { name: 'Mon mois' }).click();
    await expect(page).toHaveURL(/\/mon-mois\?mois=2026-12/);
    await expect(page.getByRole('heading', { level: 1, name: 'Mon mois' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'décembre 2026' })).toBeVisible();
    await page.getByRole('button', { name: 'mois précédent' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'novembre 2026' })).toBeVisible();
    await expect(page.getByTestId('month-total')).toBeVisible();
    const days = page.locator('.month-day');
    if ((await days.count()) > 0) await expect(days.first()).toContainText(/(Julia|Louis|Margot) — /);
    await noSidewaysScroll(page);
    await expectAccessible(page, 'Mon mois');
    // A list per day, not a wide table: no sideways scroll on a 320 px phone either.
    await page.setViewportSize({ width: 320, height: 640 });
    await noSidewaysScroll(page);
  });
});
