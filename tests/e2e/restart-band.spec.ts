/**
 * After an unexpected stop, the supervisor (npm run serve, the desktop app) starts the server
 * again with ETICKET_RESTARTED_AT: every agent then sees a band saying so, until "J’ai compris".
 * A server of its own (demo data, port E2E_FRESH_PORT+2) started as a supervisor restarts it.
 */
import { expect, test } from '@playwright/test';
import { startFreshServer, type FreshServer } from './fresh-server.js';

let server: FreshServer;
test.beforeAll(async () => {
  server = await startFreshServer({ port: Number(process.env.E2E_FRESH_PORT ?? 3232) + 2, env: { ETICKET_DEMO: '1', ETICKET_RESTARTED_AT: '2026-12-02T09:47:00.000Z' } });
});
test.afterAll(async () => server?.stop());

test('a restarted server is announced to the agent on every screen, until dismissed', async ({ page }) => {
  await page.goto(`${server.url}/staff/`);
  await page.getByLabel('Identifiant').fill('restauration');
  await page.getByLabel('Mot de passe').fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const band = page.getByRole('status').filter({ hasText: 'a redémarré seul' });
  await expect(band).toHaveText(/Le serveur eTicket s’est arrêté de façon imprévue et a redémarré seul le 2 décembre 2026 à 10 h 47\./);
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Pointage' }).click();
  await expect(band).toBeVisible();
  await band.getByRole('button', { name: 'J’ai compris' }).click();
  await expect(band).toHaveCount(0);
  // Dismissed for this restart: a reload does not bring it back.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'a redémarré seul' })).toHaveCount(0);
});
