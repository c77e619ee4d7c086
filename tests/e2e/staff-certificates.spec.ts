/**
 * "Factures et attestations" on the family page (desktop), against the real server on the demo
 * database: the secretariat opens the DEVRET family, sees the card, picks this year's
 * "Attestation de frais de garde" (Margot, under 6 on 1 January) and downloads its PDF once.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { pdfToText } from '../support/pdf-text.js';
import { signIn } from './staff-helpers.js';

test('the secretariat downloads the DEVRET childcare attestation from the family page', async ({ page }) => {
  await signIn(page, 'secretariat');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
  await page.getByLabel('Rechercher une famille').fill('DEVRET');
  await page.getByRole('option', { name: /DEVRET/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
  await page.getByRole('tab', { name: 'Porte-monnaie' }).click();

  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Factures et attestations' }) });
  await expect(card.getByRole('heading', { name: 'Relevés mensuels' })).toBeVisible();
  const year = String(new Date().getFullYear());
  await card.getByLabel('Année').selectOption(year);
  await expect(card.getByRole('row').filter({ hasText: 'Margot' })).toContainText(/\d+,\d{2}\s€/);
  await expect(card.getByRole('row').filter({ hasText: 'Julia' })).toHaveCount(0);

  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  const button = card.getByRole('button', { name: `Télécharger l’attestation de frais de garde ${year}` });
  const box = await button.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(24);
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  const [download] = await Promise.all([page.waitForEvent('download'), button.dblclick()]);
  expect(download.suggestedFilename()).toBe(`Attestation frais de garde ${year} DEVRET.pdf`);
  const text = (await pdfToText(new Uint8Array(fs.readFileSync((await download.path())!)))).replace(/\s+/g, ' ');
  expect(text).toContain('Attestation de frais de garde');
  expect(text).toContain('DEVRET Margot');
  expect(text).toContain('21/06/2022');
  await page.waitForTimeout(300);
  expect(downloads).toHaveLength(1);
});
