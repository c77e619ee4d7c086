/**
 * "Paramètres" (admin): the commune's identity is edited from a screen, refused next to its
 * field in French, and then names the sign-in card (the papers: core/commune.test.ts). The demo's identity is put
 * back at the end, since the other specs read its name.
 */
import { expect, test } from '@playwright/test';
import type { CommuneIdentity } from '../../api/commune.js';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('l’admin renomme la commune : erreur à côté du champ, puis la connexion à son nom', async ({ page }) => {
  await signIn(page, 'admin');
  const demo = (await (await page.request.get('/api/staff/settings/commune')).json()) as CommuneIdentity;
  try {
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await expect(page.getByRole('heading', { name: 'Commune' })).toBeVisible();
    const name = page.getByLabel('Nom de la commune');
    await expect(name).toHaveValue(demo.name);

    await name.fill('Saint-Exemple');
    await page.getByLabel('Mél du service').fill('enfance@');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    const emailField = page.locator('[data-field="email"]');
    await expect(emailField).toBeFocused();
    await expect(page.getByText(/Mél : adresse e-mail invalide/)).toBeVisible();
    expect(((await (await page.request.get('/api/public/commune')).json()) as CommuneIdentity).name).toBe(demo.name); // nothing saved

    await page.getByLabel('Mél du service').fill('enfance@saint-exemple.fr');
    await page.getByLabel('Département').fill('Gironde');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText(/Identité de la commune enregistrée/)).toBeVisible();
    await expect(page.getByText(/Mél : adresse e-mail invalide/)).toHaveCount(0);

    // The sign-in card too.
    await page.context().clearCookies();
    await page.goto('/staff/');
    await expect(page.getByText('Console du secrétariat — Saint-Exemple')).toBeVisible();
  } finally {
    const login = await page.request.post('/api/auth/staff/login', { data: { username: 'admin', password: 'eticket-demo' } });
    const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
    expect((await page.request.put('/api/staff/settings/commune', { data: demo, headers })).status()).toBe(200);
  }
});
