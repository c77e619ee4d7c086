/**
 * Paramètres › Sauvegardes (admin): folder and passphrase set from the screen, "Sauvegarder
 * maintenant" writes a verified archive into a folder under the temp dir; and the band every
 * staff member sees while the last good backup is older than two days.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const dataDir = process.env.ETICKET_E2E_DATA_DIR!;
const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etk-e2e-sauvegardes-'));

test('le bandeau prévient quand la dernière sauvegarde a plus de deux jours', async ({ page }) => {
  const db = new Database(path.join(dataDir, 'eticket.sqlite'));
  db.pragma('busy_timeout = 10000');
  const old = new Date(Date.now() - 3 * 86_400_000 - 3_600_000).toISOString();
  db.prepare("INSERT INTO backup_runs (started_at, finished_at, reason, duration_ms, ok, verified) VALUES (?, ?, 'nightly', 1000, 1, 1)").run(old, old);
  db.close();
  await signIn(page, 'secretariat');
  await expect(page.getByRole('status').filter({ hasText: 'Dernière sauvegarde réussie : il y a 3 jours' })).toBeVisible();
});

test('l’admin choisit le dossier et la phrase de passe, puis sauvegarde maintenant', async ({ page }) => {
  await signIn(page, 'admin');
  await expect(page.getByRole('link', { name: 'Ouvrir les sauvegardes' })).toBeVisible();
  await page.getByRole('link', { name: 'Paramètres', exact: true }).click();
  await page.getByRole('link', { name: 'Sauvegardes', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sauvegardes', exact: true })).toBeVisible();
  await expect(page.getByText(/Sans elle, aucune sauvegarde ne pourra jamais être restaurée/)).toBeVisible();

  // A folder that does not exist: refused next to its field, in French.
  await page.getByLabel('Dossier des sauvegardes').fill(path.join(backupDir, 'absent'));
  await page.getByLabel('Phrase de passe', { exact: true }).fill('la phrase du coffre de la mairie');
  await page.getByLabel('Confirmer la phrase de passe').fill('la phrase du coffre de la mairie');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText(/n’existe pas ou n’est pas accessible/)).toBeVisible();

  await page.getByLabel('Dossier des sauvegardes').fill(backupDir);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Réglages des sauvegardes enregistrés.')).toBeVisible();
  await expect(page.getByLabel('Phrase de passe', { exact: true })).toHaveValue('');

  const button = page.getByRole('button', { name: 'Sauvegarder maintenant' });
  await button.dblclick();
  await expect(page.getByText('Sauvegarde écrite et vérifiée.')).toBeVisible({ timeout: 60_000 });
  // The nightly row of the first test, and one manual row, verified, for the double click.
  const manual = page.getByRole('row').filter({ hasText: 'Manuelle' });
  await expect(manual).toHaveCount(1);
  await expect(manual.getByRole('cell', { name: 'Vérifiée' })).toBeVisible();
  await expect(manual.getByRole('cell', { name: / Ko$| Mo$/ })).toBeVisible();
  // One archive for the double click, under eTicket's name, and the band is gone.
  const files = fs.readdirSync(backupDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^eticket-[a-z0-9-]+-\d{4}-\d{2}-\d{2}-\d{4}\.etkbackup$/);
  await page.reload();
  await expect(page.getByText(/Dernière sauvegarde réussie : il y a/)).toHaveCount(0);
});
