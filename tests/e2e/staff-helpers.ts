import { expect, type Page } from '@playwright/test';

/** Signs a demo staff account in on the console (every demo account has the password eticket-demo). */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/staff/');
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
}
