/**
 * A fresh install restored from a backup through its setup page ("Mise en service d’eTicket" →
 * "Restaurer une sauvegarde"): a wrong passphrase is refused next to its field, the preview shows
 * what the archive holds, "Restaurer" swaps the database of the running server, the numbering is
 * confirmed, and a restored account signs in. The archive is made in the test from a real database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hashPassword } from '../../core/auth.js';
import { writeInstallState } from '../../core/install.js';
import { recordCounterSale } from '../../core/sales.js';
import { createTestDb } from '../../core/test-support.js';
import { archiveOf, tempDir } from '../restore-support.js';
import { signInStaff } from './first-start-helpers.js';
import { startFreshServer, type FreshServer } from './fresh-server.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const PASSPHRASE = 'la sauvegarde de la mairie';
const PASSWORD = 'girafe-crayon-tempête';
let server: FreshServer;
let work: string;
let archive: string;

test.beforeAll(async () => {
  work = tempDir('eticket-e2e-restore-');
  const t = await createTestDb({ filename: path.join(work, 'eticket.sqlite') });
  try {
    await t.db('staff_users').update({ password_hash: await hashPassword(PASSWORD) });
    await writeInstallState(t.db, { mode: 'production', setupDone: true }, t.clock.now());
    for (let i = 0; i < 3; i++) await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, method: 'carte', amountCents: 900 });
    archive = await archiveOf(t.db, null, PASSPHRASE, path.join(work, 'mairie.etkbackup'), '2026-03-01T17:00:00.000Z');
  } finally {
    await t.db.destroy();
  }
  server = await startFreshServer();
});
test.afterAll(async () => {
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('restore a backup on the setup page, confirm the numbering, sign in with a restored account', async ({ page }) => {
  await page.goto(`${server.url}/staff/`);
  await expect(page.getByRole('heading', { name: 'Mise en service d’eTicket' })).toBeVisible();
  await page.getByRole('button', { name: 'Restaurer une sauvegarde' }).click();

  await page.getByLabel('Fichier de sauvegarde').setInputFiles(archive);
  await page.getByLabel('Phrase de passe').fill('pas la bonne');
  await page.getByRole('button', { name: 'Voir le contenu' }).click();
  await expect(page.getByText('Phrase de passe incorrecte pour cette sauvegarde.')).toBeVisible();
  await expect(page.getByLabel('Phrase de passe')).toBeFocused();

  await page.getByLabel('Phrase de passe').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Voir le contenu' }).click();
  const preview = page.getByRole('region', { name: 'Contenu de la sauvegarde' });
  await expect(preview).toContainText('1er mars 2026');
  await expect(preview).toContainText('Reçus3');
  await expect(preview).toContainText('reçu n° 3, facture n° 3');
  await page.getByRole('button', { name: 'Restaurer', exact: true }).click();

  const receipt = page.getByLabel('Dernier numéro de reçu émis');
  await expect(receipt).toHaveValue('4');
  await expect(page.getByLabel('Dernière facture émise')).toHaveValue('4');
  await receipt.fill('2');
  await page.getByRole('button', { name: 'Confirmer la numérotation' }).click();
  await expect(page.getByText(/la sauvegarde contient déjà le n° 3/)).toBeVisible();
  await receipt.fill('5');
  await page.getByRole('button', { name: 'Confirmer la numérotation' }).click();

  await signInStaff(page, server.url, 'admin', PASSWORD);
  await expect(page.getByText('Restauration à confirmer')).toHaveCount(0);
  // The journal holds the restore and the skipped receipts (read in the restored database's folder).
  const aside = fs.readdirSync(server.dataDir).filter((f) => f.startsWith('avant-restauration-'));
  expect(aside).toHaveLength(1);
});
