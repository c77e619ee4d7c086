/**
 * Accessibility of every portal page with axe-core: no serious or critical violation
 * (WCAG 2.1 A/AA and 2.2 AA rules, target size included), at desktop width and at 360 px.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitForGrid } from './portal-helpers.js';

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`).join('\n');
  expect(serious, `${what}:\n${report}`).toEqual([]);
}

async function signIn(page: Page) {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('chantal.devret');
  await page.getByLabel('Mot de passe', { exact: true }).fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon Planning' })).toBeVisible();
}

test.describe('accessibilité du portail @mobile', () => {
  // axe on a full page takes a while on a busy two-core machine.
  test.describe.configure({ timeout: 120_000 });

  test('sign-in and password reset pages', async ({ page }) => {
    await page.goto('/connexion');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page, '/connexion');
    // With an error shown.
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expectNoSeriousViolations(page, '/connexion (erreur)');
    await page.goto('/reinitialisation');
    await expect(page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' })).toBeVisible();
    await expectNoSeriousViolations(page, '/reinitialisation');
    await page.goto('/reinitialisation?token=abcdefghijklmnopqrstuvwxyz');
    await expect(page.getByRole('heading', { level: 1, name: 'Nouveau mot de passe' })).toBeVisible();
    await expectNoSeriousViolations(page, '/reinitialisation?token');
  });

  test('Mon Planning, with the semaine type dialog open', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await expectNoSeriousViolations(page, '/planning');
    await page.getByRole('button', { name: /^semaine type : Cantine pour Julia/ }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page.getByTestId('batch-preview')).not.toHaveAttribute('aria-busy', 'true');
    await expectNoSeriousViolations(page, '/planning (semaine type)');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    // The demo's Transport wallet is empty: the preview says what is missing and offers "Créditer mon compte".
    await page.getByRole('button', { name: /^semaine type : Bus pour Margot/ }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'lundi' }).check();
    await expect(page.getByRole('dialog').getByRole('link', { name: 'Créditer mon compte' })).toBeVisible();
    await expectNoSeriousViolations(page, '/planning (semaine type sans crédit)');
    await page.keyboard.press('Escape');
  });

  test('Mes factures, with the top-up form open', async ({ page }) => {
    await signIn(page);
    await page.goto('/factures');
    await expect(page.getByRole('heading', { level: 1, name: 'Mes factures' })).toBeVisible();
    await page.getByRole('button', { name: 'Créditer mon compte' }).click();
    await expect(page.getByLabel('Restauration scolaire (en euros)')).toBeVisible();
    await expectNoSeriousViolations(page, '/factures (créditer)');
  });

  for (const [path, heading] of [
    ['/dossier', 'Mon dossier'],
    ['/documents', 'Mes documents'],
    ['/informations', 'Informations'],
    ['/messages', 'Messages'],
    ['/mot-de-passe', 'Mot de passe'],
    ['/nulle-part', 'Page introuvable'],
  ] as const) {
    test(`page ${path}`, async ({ page }) => {
      await signIn(page);
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectNoSeriousViolations(page, path);
    });
  }

  test('skip link and keyboard booking', async ({ page }) => {
    await signIn(page);
    // A fresh load (after a navigation the focus goes to the page's content instead).
    await page.reload();
    await waitForGrid(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#contenu')).toBeFocused();
    // Every booking button names the action, the activity, the child and the day.
    const names = await page.getByRole('button', { name: /^(Réserver|Annuler) / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    for (const n of names.filter((x) => !/toutes les activités|toute la semaine/.test(x))) {
      expect(n).toMatch(/^(Réserver|Annuler) .+ pour \S+ le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{2}\/\d{2}$/);
    }
  });
});
