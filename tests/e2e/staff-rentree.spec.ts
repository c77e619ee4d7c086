/**
 * "Rentrée" (admin) on the demo server: the official calendar previewed (the demo's holidays are
 * what the Ministry's file says; a changed file shows its change; a wrong file is refused next
 * to its field), the classes of the schools with keyboard reordering, and the passage's preview.
 * Nothing is applied here: the other specs book for the demo children on the demo calendar
 * (the applies are covered by tests/api/rentree.test.ts and tests/api/school-calendar.test.ts).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { sampleCsv, sampleRows } from '../school-calendar-samples.js';
import { signIn } from './staff-helpers.js';

test.describe.configure({ timeout: 120_000 });

async function noBlockingViolation(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const file = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('calendrier officiel : aperçu à jour, puis une modification, et un mauvais fichier refusé', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Rentrée' }).click();
  await expect(page.getByRole('heading', { name: 'Calendrier scolaire officiel' })).toBeVisible();
  await expect(page.getByLabel('Zone de la commune')).toHaveValue('Zone A'); // Dordogne
  await expect(page.getByLabel('Académie')).toHaveValue('Bordeaux');

  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await expect(page.getByText('Choisissez le fichier du calendrier scolaire (CSV ou JSON).')).toBeVisible();

  await page.getByLabel('Fichier du calendrier scolaire (CSV ou JSON)').setInputFiles(file('mauvais.csv', 'nom;prenom\nDUPONT;Jean\n'));
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await expect(page.getByText(/n’est pas le calendrier scolaire du ministère/)).toBeVisible();

  await page.getByLabel('Fichier du calendrier scolaire (CSV ou JSON)').setInputFiles(file('calendrier.csv', sampleCsv(sampleRows())));
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await expect(page.getByText('Le calendrier enregistré est déjà à jour : rien à changer.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Appliquer/ })).toHaveCount(0);

  await page.getByLabel('Fichier du calendrier scolaire (CSV ou JSON)').setInputFiles(file('calendrier.csv', sampleCsv(sampleRows({ 'Vacances de Printemps': ['2027-04-17', '2027-05-03'] }))));
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  const spring = page.getByRole('row').filter({ hasText: 'Vacances de printemps' });
  await expect(spring).toContainText('Modifiée');
  await expect(spring).toContainText('était du');
  await expect(page.getByRole('button', { name: 'Appliquer (1 période)' })).toBeVisible();
  await noBlockingViolation(page);
});

test('classes des écoles : ordre au clavier, lien maternelle → élémentaire', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Rentrée' }).click();
  await page.getByRole('tab', { name: 'Classes des écoles' }).click();
  const maternelle = page.getByRole('region', { name: 'École maternelle Les Coquelicots' });
  await expect(maternelle.getByLabel('Nom de la classe 1')).toHaveValue('PS');
  await expect(maternelle.getByLabel('École élémentaire où vont les GS (en CP)')).toHaveValue(/\d+/);
  await maternelle.getByRole('button', { name: 'Descendre PS' }).focus();
  await page.keyboard.press('Enter');
  await expect(maternelle.getByLabel('Nom de la classe 1')).toHaveValue('MS');
  await expect(maternelle.getByLabel('Nom de la classe 2')).toHaveValue('PS');
  await expect(maternelle.getByRole('button', { name: 'Retirer PS' })).toBeDisabled(); // children in it
  await noBlockingViolation(page);
});

test('passage en classe supérieure : aperçu, choix pour un enfant, bouton de confirmation', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Rentrée' }).click();
  await page.getByRole('tab', { name: 'Passage en classe supérieure' }).click();
  await expect(page.getByLabel('Nouvelle année scolaire')).toHaveValue(/^\d{4}-\d{4}$/);
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  const julia = page.getByRole('row').filter({ hasText: 'Julia' });
  await expect(julia).toContainText('CM1 — École élémentaire Jean Jaurès');
  await expect(julia).toContainText('CM2 — École élémentaire Jean Jaurès');
  const confirm = page.getByRole('button', { name: /^Confirmer le passage de \d+ enfants$/ });
  await expect(confirm).toBeVisible();
  const before = await confirm.textContent();

  await julia.getByLabel('Choix pour Julia DEVRET').selectOption('stay');
  await expect(julia).toContainText('CM1 — École élémentaire Jean Jaurès');
  await expect(page.getByRole('button', { name: /^Confirmer le passage de \d+ enfants$/ })).not.toHaveText(before ?? '');
  await noBlockingViolation(page);
});
