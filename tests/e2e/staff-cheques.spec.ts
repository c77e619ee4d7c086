/**
 * "Remise de chèques" in the staff console (desktop), on the demo database: two cheques taken at
 * the counter, the secretariat ticks them, the running total shows their sum, "Établir le
 * bordereau" (double-clicked) makes one slip whose PDF, read back with pdftotext, totals exactly
 * these cheques; then one of them comes back from the bank and is declared rejected.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { expect, request, test } from '@playwright/test';
import { pdfToText } from '../support/pdf-text.js';
import { signIn } from './staff-helpers.js';

function one<T>(sql: string, ...params: unknown[]): T {
  const conn = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).get(...params) as T;
  } finally {
    conn.close();
  }
}

/** Two cheque sales at the counter, through the API as the secretariat. */
async function sellCheques(baseURL: string, cheques: Array<[string, number]>): Promise<void> {
  const api = await request.newContext({ baseURL });
  try {
    const login = await api.post('/api/auth/staff/login', { data: { username: 'secretariat', password: 'eticket-demo' } });
    expect(login.status()).toBe(200);
    const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
    const family = one<{ id: number }>("SELECT id FROM families WHERE name = 'DEVRET'");
    const wallet = one<{ id: number }>("SELECT id FROM wallets WHERE label = 'Restauration scolaire'");
    for (const [chequeNumber, amountCents] of cheques) {
      const sale = await api.post('/api/staff/sales', { headers, data: { familyId: family.id, walletId: wallet.id, amountCents, method: 'cheque', chequeNumber, chequeBank: 'Crédit Agricole' } });
      expect(sale.status(), await sale.text()).toBe(201);
    }
  } finally {
    await api.dispose();
  }
}

test('a cheque deposit slip totals the cheques selected, and a rejected cheque is declared', async ({ page, baseURL }) => {
  const tag = String(Date.now()).slice(-6);
  const [first, second] = [`A${tag}`, `B${tag}`];
  await sellCheques(baseURL!, [[first, 2350], [second, 1810]]);

  await signIn(page, 'secretariat');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Remise de chèques' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Remise de chèques' })).toBeVisible();
  const total = page.getByTestId('deposit-total');
  await expect(total).toContainText('0 chèque choisi');
  const box = page.getByRole('checkbox', { name: `Choisir le chèque n° ${first} de DEVRET` });
  await box.check();
  await expect(total).toContainText(/1 chèque choisi — total 23,50\s€/);
  await page.getByRole('checkbox', { name: `Choisir le chèque n° ${second} de DEVRET` }).check();
  await expect(total).toContainText(/2 chèques choisis — total 41,60\s€/);
  expect((await box.boundingBox())!.height).toBeGreaterThanOrEqual(24);

  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await page.getByLabel('Compte de dépôt').fill('Trésor Public — compte de la régie');
  const before = one<{ n: number }>('SELECT COUNT(*) AS n FROM cheque_deposits').n;
  await page.getByRole('button', { name: 'Établir le bordereau' }).dblclick();
  await expect(page.getByRole('dialog', { name: /Bordereau de remise de chèques n° / })).toBeVisible();
  expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM cheque_deposits').n).toBe(before + 1);
  const deposit = one<{ id: number; total_cents: number }>('SELECT id, total_cents FROM cheque_deposits ORDER BY id DESC LIMIT 1');
  expect(deposit.total_cents).toBe(2350 + 1810);

  const pdf = await page.request.get(`/api/staff/cheque-deposits/${deposit.id}/pdf`);
  expect(pdf.status()).toBe(200);
  const text = await pdfToText(await pdf.body());
  expect(text).toContain('Trésor Public — compte de la régie');
  expect(text).toMatch(/Nombre de chèques : 2/);
  expect(text).toMatch(new RegExp(`${first}\\s+Crédit Agricole.*23,50 €`));
  expect(text).toMatch(new RegExp(`${second}\\s+Crédit Agricole.*18,10 €`));
  expect(text).toMatch(/Total\s+41,60 €/);
  await page.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click();
  await expect(page.getByRole('checkbox', { name: `Choisir le chèque n° ${first} de DEVRET` })).toHaveCount(0);

  // The bank sends the second cheque back.
  const slip = page.getByRole('region', { name: /Bordereau n° / }).first();
  await slip.getByRole('button', { name: 'Voir les chèques' }).click();
  await slip.getByRole('button', { name: `Chèque rejeté : n° ${second} de DEVRET` }).click();
  const dialog = page.getByRole('dialog', { name: /Chèque rejeté — reçu n° / });
  await dialog.getByRole('button', { name: 'Confirmer le rejet' }).click();
  await expect(dialog.getByText('Motif du rejet : ce champ est obligatoire.')).toBeVisible();
  await dialog.getByLabel('Motif du rejet').fill('Provision insuffisante');
  await dialog.getByRole('button', { name: 'Confirmer le rejet' }).click();
  await expect(page.getByText(/déclaré rejeté : 18,10\s€ retirés du porte-monnaie/)).toBeVisible();
  expect(one<{ n: number }>("SELECT COUNT(*) AS n FROM cheque_rejections WHERE reason = 'Provision insuffisante'").n).toBe(1);
});
