/**
 * The "Démonstration" band of a demo install on the console: on the sign-in page and on every
 * screen after it, a role="note" above the layout, served by GET /api/public/install (not bundled).
 */
import { expect, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

const TEXT = 'Démonstration : données fictives, mots de passe publics, paiements simulés';

test('the demo band is on the console’s sign-in and on its screens', async ({ page }) => {
  await page.goto('/staff/');
  await expect(page.getByRole('note')).toHaveText(TEXT);
  expect(await (await page.request.get('/api/public/install')).json()).toEqual({ mode: 'demo', setupRequired: false });
  await signIn(page, 'admin');
  for (const link of ['Familles', 'Encaissement', 'Activités et tarifs', 'Paramètres']) {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: link, exact: true }).click();
    const band = page.getByRole('note').filter({ hasText: 'Démonstration' });
    await expect(band).toHaveText(TEXT);
    // Above the layout, not over it: the menu starts below the band.
    const [bandBox, navBox] = [(await band.boundingBox())!, (await page.getByRole('navigation', { name: 'Menu principal' }).boundingBox())!];
    expect(navBox.y).toBeGreaterThanOrEqual(bandBox.y + bandBox.height - 1);
  }
});
