/**
 * GDPR in the console: "Exporter les données" downloads a zip that is read back; "Anonymiser"
 * is refused in the dialog for a family with a balance, and a zero-balance family created here
 * (never a demo family the other specs use) is anonymised and loses its name everywhere.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import JSZip from 'jszip';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

async function expectNoSeriousAxe(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), screen).toEqual([]);
}

async function familyId(page: Page, q: string): Promise<number> {
  const res = await page.request.get(`/api/staff/families/search?q=${encodeURIComponent(q)}`);
  const hits = ((await res.json()) as { hits: Array<{ id: number; name: string }> }).hits;
  return hits[0]!.id;
}

test('le secrétariat exporte les données de DEVRET : un zip avec les lignes, les reçus et les factures', async ({ page }) => {
  await signIn(page, 'secretariat');
  const id = await familyId(page, 'devret');
  await page.goto(`/staff/familles/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Anonymiser' })).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter les données' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^donnees-famille-${id}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const zip = await JSZip.loadAsync(fs.readFileSync((await download.path())!));
  const data = JSON.parse(await zip.file('donnees.json')!.async('string')) as { family: Array<{ name: string }>; children: Array<{ first_name: string }>; receipts: unknown[] };
  expect(data.family[0]!.name).toBe('DEVRET');
  expect(data.children.map((c) => c.first_name)).toEqual(expect.arrayContaining(['Julia', 'Louis', 'Margot']));
  const names = Object.keys(zip.files);
  expect(names).toContain('LISEZMOI.txt');
  expect(names.filter((n) => n.startsWith('recus/') && n.endsWith('.pdf'))).toHaveLength(data.receipts.length);
  expect(data.receipts.length).toBeGreaterThan(0);
  const receipt = zip.file(names.find((n) => n.startsWith('recus/'))!)!;
  expect(Buffer.from(await receipt.async('uint8array')).subarray(0, 5).toString()).toBe('%PDF-');
});

test('l’admin ne peut pas anonymiser DEVRET tant que son solde n’est pas nul', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`/staff/familles/${await familyId(page, 'devret')}`);
  await page.getByRole('button', { name: 'Anonymiser', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Anonymiser la famille DEVRET' });
  await expect(dialog.getByText('Ce qui est effacé')).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText(/^Le solde .+ est de .+ : remboursez ou régularisez avant d’anonymiser\.$/);
  await expect(dialog.getByRole('button', { name: 'Anonymiser définitivement' })).toBeDisabled();
  await expectNoSeriousAxe(page, 'Anonymiser (refus)');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
});

test('l’admin anonymise une famille partie, au solde nul : le nom disparaît de la recherche', async ({ page }) => {
  await signIn(page, 'admin');
  const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
  const created = await page.request.post('/api/staff/families', { data: { name: 'PARTIQUET' }, headers: { 'X-CSRF-Token': me.csrfToken } });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: number }).id;
  await page.goto(`/staff/familles/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Famille PARTIQUET' })).toBeVisible();
  await page.getByRole('button', { name: 'Anonymiser', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Anonymiser la famille PARTIQUET' });
  await expect(dialog.getByText('Ce qui est gardé', { exact: false })).toBeVisible();
  await dialog.getByRole('button', { name: 'Anonymiser définitivement' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Famille anonymisée n° ${id}`, exact: true })).toBeVisible();
  const search = await page.request.get('/api/staff/families/search?q=partiquet&inactive=1');
  expect(((await search.json()) as { hits: unknown[] }).hits).toEqual([]);

  await page.goto('/staff/parametres?section=donnees');
  await expect(page.getByRole('heading', { name: 'Données personnelles' })).toBeVisible();
  const years = page.getByLabel('Durée de conservation après le départ (années)');
  await expect(years).toHaveValue('3');
  await expect(page.getByRole('heading', { name: 'Familles inactives' })).toBeVisible();
  await expectNoSeriousAxe(page, 'Paramètres › Données personnelles');
  await years.fill('12');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText(/Durée de conservation : .*10/).first()).toBeVisible();
  expect(((await (await page.request.get('/api/staff/settings/gdpr')).json()) as { retentionYears: number }).retentionYears).toBe(3);
});
