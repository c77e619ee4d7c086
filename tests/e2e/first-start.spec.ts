/**
 * First start of a commune's own install: a fresh data folder with ETICKET_DEMO=0, its own server
 * (tests/e2e/fresh-server.ts, port E2E_FRESH_PORT), never the demo server of the config. The
 * portal is not open yet; another machine needs the code of the log; the mairie walks the setup
 * (commune "Saint-Exemple", first admin, the template's activities, two schools) and signs in.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { completeSetup, DEFAULT_SETUP, signInStaff } from './first-start-helpers.js';
import { startFreshServer, type FreshServer } from './fresh-server.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let server: FreshServer;
test.beforeAll(async () => {
  server = await startFreshServer();
});
test.afterAll(async () => {
  await server?.stop();
});

async function expectNoSeriousAxe(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `${screen}\n${blocking.map((v) => `${v.id}: ${v.help} ${v.nodes[0]?.target.join(' > ')}`).join('\n')}`).toEqual([]);
}

test('the server prints where the setup is and its one-time code; the portal is not open yet', async ({ page }) => {
  expect(server.log.join('\n')).toContain(`Ouvrez ${server.url}/staff/ sur cette machine`);
  expect(server.setupCode).toMatch(/^\d{4}-[A-Z]{4}$/);
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('heading', { name: 'Le portail n’est pas encore ouvert' })).toBeVisible();
  await expect(page.getByRole('note')).toHaveCount(0);
});

test('from another machine the setup asks for the code and refuses a wrong one', async ({ browser }) => {
  // A request relayed with X-Forwarded-For is never "the machine itself".
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.9' } });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/staff/`);
    await page.getByLabel('Code de mise en service').fill('0000-AAAA');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect(page.getByText(/Code de mise en service incorrect \(encore 4 essais\)/)).toBeVisible();
    await expectNoSeriousAxe(page, 'code');
    await page.getByLabel('Code de mise en service').fill(server.setupCode!);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Commune' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('each step refuses bad input next to its field, in French', async ({ page }) => {
  await page.goto(`${server.url}/staff/`);
  await expect(page.getByRole('heading', { level: 2, name: 'Commune' })).toBeVisible();
  await expect(page.getByRole('note')).toHaveCount(0);
  await expectNoSeriousAxe(page, 'commune');
  await page.getByLabel('Mél du service').fill('mairie@');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Nom de la commune : ce champ est obligatoire.')).toBeVisible();
  await page.getByLabel('Nom de la commune').fill('Saint-Exemple');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText(/^Mél : adresse e-mail invalide/)).toBeVisible();
  await page.getByLabel('Mél du service').fill('');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Premier administrateur' })).toBeVisible();
  await page.getByLabel('Identifiant').fill('anne.roux');
  await page.getByLabel('Nom', { exact: true }).fill('Anne Roux');
  await page.getByLabel('Mot de passe', { exact: true }).fill('eticket-demo');
  await page.getByLabel('Confirmer le mot de passe').fill('eticket-demo');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Ce mot de passe est celui, public, de la démonstration : choisissez le vôtre.')).toBeVisible();
  await page.getByLabel('Mot de passe', { exact: true }).fill('girafe-crayon-tempête');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Les deux mots de passe ne sont pas identiques.')).toBeVisible();
  await page.getByLabel('Confirmer le mot de passe').fill('girafe-crayon-tempête');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Activités' })).toBeVisible();
  await expectNoSeriousAxe(page, 'activités');
  await page.getByRole('group', { name: 'Cantine', exact: true }).getByLabel('Prix (€)').fill('trois euros');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Prix : montant invalide, par exemple 3,10.')).toBeVisible();
  await page.getByRole('group', { name: 'Cantine', exact: true }).getByLabel('Prix (€)').fill('3,20');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Écoles' })).toBeVisible();
  await page.getByRole('button', { name: 'Terminer la mise en service' }).click();
  await expect(page.getByText('Nom de l’école : ce champ est obligatoire.')).toBeVisible();
  await expectNoSeriousAxe(page, 'écoles');
  // Nothing was written by the refused steps: the setup is still to do.
  const install = await (await page.request.get(`${server.url}/api/public/install`)).json();
  expect(install).toEqual({ mode: 'production', setupRequired: true });
});

test('the mairie walks the setup, then signs in as its administrator', async ({ page, playwright }) => {
  const admin = await completeSetup(page, server.url, { prices: { Cantine: '3,20' }, skipActivities: ['Bus'] });
  await signInStaff(page, server.url, admin.username, admin.password);
  await expect(page.getByText(DEFAULT_SETUP.admin.displayName)).toBeVisible();
  await expect(page.getByRole('note')).toHaveCount(0);

  await page.getByRole('link', { name: 'Activités et tarifs' }).click();
  await expect(page.getByText('Cantine').first()).toBeVisible();
  await expect(page.getByText('Garderie soir').first()).toBeVisible();
  await expect(page.getByText('3,20').first()).toBeVisible();

  // The commune is the one typed at the setup; the portal is open and shows it.
  await page.getByRole('link', { name: 'Paramètres' }).click();
  await expect(page.getByLabel('Nom de la commune')).toHaveValue('Saint-Exemple');
  await page.goto(`${server.url}/`);
  await expect(page.getByText('Saint-Exemple').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Le portail n’est pas encore ouvert' })).toHaveCount(0);

  // A second setup, from the machine itself, changes nothing.
  const anonymous = await playwright.request.newContext();
  try {
    const again = await anonymous.post(`${server.url}/api/setup`, { data: {} });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/déjà faite/);
  } finally {
    await anonymous.dispose();
  }
  await page.goto(`${server.url}/staff/`);
  await expect(page.getByRole('heading', { name: 'Mise en service d’eTicket' })).toHaveCount(0);
});
