/**
 * Sign-in and grid helpers shared by the portal walks (portal*.spec.ts): chantal.devret on the
 * real server, whose data folder is ETICKET_E2E_DATA_DIR.
 */
import { expect, type Page } from '@playwright/test';

export const dataDir = process.env.ETICKET_E2E_DATA_DIR!;

/** "46,70 €" (any space) -> 4670 */
export function cents(text: string): number {
  const m = /(-?[\d\s\u202f\u00a0]+),(\d{2})/.exec(text);
  if (!m) throw new Error(`Pas un montant : ${text}`);
  const whole = Number(m[1]!.replace(/[\s\u202f\u00a0]/g, ''));
  return Math.sign(whole || 1) * (Math.abs(whole) * 100 + Number(m[2]));
}

export async function signIn(page: Page) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion/);
  await page.getByLabel('Identifiant').fill('chantal.devret');
  await page.getByLabel('Mot de passe', { exact: true }).fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/planning/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mon Planning' })).toBeVisible();
}

/** Julia's heading: a table's title at desktop width, a child in the first day card on a phone. */
export async function waitForGrid(page: Page) {
  await expect(page.getByRole('heading', { name: 'Julia', exact: true }).first()).toBeVisible();
}

/** Moves week by week until Julia's Cantine has an open day; returns the week title. */
export async function goToWeekWithOpenCantine(page: Page): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const title = await page.locator('.week-title').innerText();
    await page.getByRole('button', { name: 'semaine suivante' }).click();
    await expect(page.locator('.week-title')).not.toHaveText(title);
    await waitForGrid(page);
    if ((await page.getByRole('button', { name: /^Réserver Cantine pour Julia le / }).count()) > 0) return;
  }
  throw new Error('Aucune semaine avec une Cantine ouverte pour Julia dans les 8 prochaines semaines.');
}

export async function restaurationBalance(page: Page): Promise<number> {
  return cents(await page.getByTestId('solde-restauration').innerText());
}
