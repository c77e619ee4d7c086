/**
 * The desktop app's first-run page, as built into dist-electron/, in Chromium (the Electron
 * binary is absent here): opened from its file with the preload's `window.eticketSetup`
 * stood in by a recorder, it offers the three choices in French, keeps its CSP (the script
 * runs from 'self'), shows the address error next to the field, sends one request per click,
 * and is axe clean. It reads no demo data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { buildElectron } from '../../scripts/build-electron.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-firstrun-e2e-'));
const page = (query: string) => `${pathToFileURL(path.join(out, 'first-run', 'index.html')).href}?${query}`;

test.beforeAll(async () => {
  await buildElectron(out);
});
test.afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

type Answer = { ok: true } | { ok: false; field?: 'address'; message: string };

/** Stands in for the preload: records each request and answers from a queue (slowly, to catch double clicks). */
async function withBridge(p: Page, answers: Answer[]): Promise<void> {
  await p.addInitScript((queue: Answer[]) => {
    const w = window as unknown as { sent: unknown[]; eticketSetup: unknown };
    w.sent = [];
    w.eticketSetup = {
      send: (request: unknown) => {
        w.sent.push(request);
        const next = queue.shift() ?? { ok: true };
        return new Promise((resolve) => setTimeout(() => resolve(next), 300));
      },
    };
  }, answers);
}

const sent = (p: Page) => p.evaluate(() => (window as unknown as { sent: unknown[] }).sent);

async function expectAxeClean(p: Page): Promise<void> {
  const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    // axe's CSS preload would fetch() the stylesheet, which the page's CSP (connect-src none) rightly blocks.
    .options({ preload: false })
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('offers the three choices in French and starts the demo on one click', async ({ page: p }) => {
  const errors: string[] = [];
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await withBridge(p, [{ ok: true }]);
  await p.goto(page('view=choose'));
  await expect(p.getByRole('heading', { name: 'Bienvenue dans eTicket' })).toBeVisible();
  await expect(p.getByRole('radio', { name: 'Démonstration' })).toBeFocused();
  await expect(p.getByRole('radio', { name: 'Ma commune' })).toBeVisible();
  await expect(p.getByRole('radio', { name: 'Utiliser le serveur de la commune' })).toBeVisible();
  await expect(p.getByLabel('Adresse du serveur')).toBeHidden();
  await expect(p.getByRole('button', { name: 'Garder le mode actuel' })).toBeHidden();
  await expectAxeClean(p);

  // Nothing chosen: a French message, nothing sent.
  await p.getByRole('button', { name: 'Continuer' }).click();
  await expect(p.getByRole('alert')).toHaveText('Choisissez un mode d’utilisation.');
  expect(await sent(p)).toEqual([]);

  await p.getByRole('radio', { name: 'Démonstration' }).check();
  await p.getByRole('button', { name: 'Continuer' }).dblclick(); // a double click sends one request
  await expect(p.getByRole('button', { name: 'Ouverture d’eTicket…' })).toBeVisible();
  expect(await sent(p)).toEqual([{ action: 'choose', choice: { mode: 'demo' } }]);
  // The CSP lets the page's own script run and nothing else complains.
  expect(errors).toEqual([]);
  await p.screenshot({ path: path.join(os.tmpdir(), 'eticket-first-run.png') });
});

test('the central server: the address error shows next to its field', async ({ page: p }) => {
  await withBridge(p, [{ ok: false, field: 'address', message: 'Aucun serveur eTicket ne répond à cette adresse.' }, { ok: true }]);
  await p.goto(page('view=choose'));
  await p.getByRole('radio', { name: 'Utiliser le serveur de la commune' }).check();
  const address = p.getByLabel('Adresse du serveur');
  await expect(address).toBeVisible();
  await p.getByRole('button', { name: 'Continuer' }).click();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toHaveAccessibleDescription(/Indiquez l’adresse du serveur de la commune\./);
  expect(await sent(p)).toEqual([]);

  await address.fill('192.168.1.20:3000');
  await p.getByRole('button', { name: 'Continuer' }).click();
  await expect(p.getByRole('button', { name: 'Vérification du serveur…' })).toBeDisabled();
  await expect(address).toHaveAccessibleDescription(/Aucun serveur eTicket ne répond à cette adresse\./);
  await expect(address).toBeFocused();
  await expectAxeClean(p);

  await address.fill('https://eticket.mairie-exemple.fr');
  await p.getByRole('button', { name: 'Continuer' }).click();
  await expect(p.getByRole('button', { name: 'Ouverture d’eTicket…' })).toBeVisible();
  await expect(address).not.toHaveAttribute('aria-invalid', 'true');
  expect(await sent(p)).toEqual([
    { action: 'choose', choice: { mode: 'central', address: '192.168.1.20:3000' } },
    { action: 'choose', choice: { mode: 'central', address: 'https://eticket.mairie-exemple.fr' } },
  ]);
});

test('"Changer de mode…" preselects the current mode and can keep it', async ({ page: p }) => {
  await withBridge(p, [{ ok: true }]);
  await p.goto(page(`view=choose&mode=central&address=${encodeURIComponent('https://eticket.mairie-exemple.fr')}&current=${encodeURIComponent('Serveur de la commune (https://eticket.mairie-exemple.fr)')}`));
  await expect(p.getByRole('radio', { name: 'Utiliser le serveur de la commune' })).toBeChecked();
  await expect(p.getByLabel('Adresse du serveur')).toHaveValue('https://eticket.mairie-exemple.fr');
  await p.getByRole('button', { name: 'Garder le mode actuel : Serveur de la commune (https://eticket.mairie-exemple.fr)' }).click();
  await expect.poll(() => sent(p)).toEqual([{ action: 'keep' }]);
});

test('the unreachable server page: "Réessayer" and "Changer de mode…"', async ({ page: p }) => {
  await withBridge(p, [{ ok: false, message: 'Aucun serveur eTicket ne répond à cette adresse.' }]);
  await p.goto(page(`view=unreachable&address=${encodeURIComponent('https://eticket.mairie-exemple.fr')}`));
  await expect(p.getByRole('heading', { name: 'Le serveur de la commune ne répond pas' })).toBeVisible();
  await expect(p.getByText('https://eticket.mairie-exemple.fr', { exact: true })).toBeVisible();
  await expectAxeClean(p);
  await p.getByRole('button', { name: 'Réessayer' }).click();
  await expect(p.getByRole('alert')).toHaveText('Aucun serveur eTicket ne répond à cette adresse.');
  await expect(p.getByRole('button', { name: 'Réessayer' })).toBeEnabled();
  expect(await sent(p)).toEqual([{ action: 'retry' }]);
  await p.getByRole('button', { name: 'Changer de mode…' }).click();
  await expect(p.getByRole('heading', { name: 'Bienvenue dans eTicket' })).toBeVisible();
  // An address in the query string is shown as text, never as markup.
  await p.goto(page(`view=unreachable&address=${encodeURIComponent('<img src=x onerror=alert(1)>')}`));
  await expect(p.getByText('<img src=x onerror=alert(1)>', { exact: true })).toBeVisible();
  await expect(p.locator('img')).toHaveCount(0);
});

test('without the app (no preload), the page says it only works in eTicket', async ({ page: p }) => {
  await p.goto(page('view=choose'));
  await p.getByRole('radio', { name: 'Ma commune' }).check();
  await p.getByRole('button', { name: 'Continuer' }).click();
  await expect(p.getByRole('alert')).toHaveText('Cette page ne fonctionne que dans l’application eTicket.');
  // Buttons are at least 44 px high.
  for (const name of ['Continuer']) {
    const box = await p.getByRole('button', { name }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
});
