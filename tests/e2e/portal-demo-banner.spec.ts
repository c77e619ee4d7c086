/**
 * The "Démonstration" band of a demo install on the portal: on the sign-in page and every signed-in
 * page, a role="note" in the page's flow (never over the content), readable down to 320 px.
 * The production side (no band) is checked by first-start.spec.ts on its own server.
 */
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './portal-helpers.js';

const TEXT = 'Démonstration : données fictives, mots de passe publics, paiements simulés';

async function expectBandInFlow(page: Page) {
  const band = page.getByRole('note').filter({ hasText: 'Démonstration' });
  await expect(band).toHaveText(TEXT);
  await expect(page.locator('header.topbar')).toBeVisible();
  // In the flow: the page's header starts below it, nothing is drawn over it.
  // Both boxes once laid out: the band may be drawn again as the commune's identity arrives.
  const boxes = async () => [await band.boundingBox(), await page.locator('header.topbar').boundingBox()] as const;
  await expect.poll(async () => (await boxes()).every((b) => b !== null)).toBe(true);
  const [bandBox, headerBox] = (await boxes()) as [NonNullable<Awaited<ReturnType<typeof band.boundingBox>>>, NonNullable<Awaited<ReturnType<typeof band.boundingBox>>>];
  expect(headerBox.y).toBeGreaterThanOrEqual(bandBox.y + bandBox.height - 1);
  expect(await band.evaluate((el) => getComputedStyle(el).position)).toBe('static');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
}

test('the demo band is on the sign-in page and the signed-in pages, at 320 px too', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/connexion');
  await expectBandInFlow(page);
  await signIn(page);
  for (const path of ['/planning', '/factures', '/dossier']) {
    await page.goto(path);
    await expectBandInFlow(page);
  }
});
