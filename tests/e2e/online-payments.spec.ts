/**
 * "Paiements en ligne" in the staff console (desktop), against the real server on the demo
 * database and its PayFiP simulator: Chantal pays 15,00 € but the notification is lost and her
 * browser closes; the secretariat finds the payment, clicks "Vérifier maintenant", and the wallet
 * is credited from PayFiP's own answer. The database file is read back, read-only.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { expect, request, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

function one<T>(sql: string, ...params: unknown[]): T {
  const conn = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).get(...params) as T;
  } finally {
    conn.close();
  }
}

/** Chantal starts a top-up on the portal's API; PayFiP (the simulator) records it paid without notifying anyone. */
async function paidButNotNotified(baseURL: string): Promise<{ paymentId: number; refdet: string }> {
  const parent = await request.newContext({ baseURL });
  try {
    const login = await parent.post('/api/auth/parent/login', { data: { username: 'chantal.devret', password: 'eticket-demo' } });
    expect(login.status()).toBe(200);
    const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
    const wallet = one<{ id: number }>("SELECT id FROM wallets WHERE label = 'Restauration scolaire'");
    const topUp = await parent.post('/api/parent/topups', { headers, data: { walletId: wallet.id, amountCents: 1500 } });
    expect(topUp.status(), await topUp.text()).toBe(201);
    const { paymentId, redirectUrl } = (await topUp.json()) as { paymentId: number; redirectUrl: string };
    const page = new URL(redirectUrl);
    const done = await parent.post(`${page.origin}/simulator/complete?idop=${page.searchParams.get('idop')}&resultrans=P&notify=0`);
    expect(done.status(), await done.text()).toBe(200);
    return { paymentId, refdet: one<{ refdet: string }>('SELECT refdet FROM online_payments WHERE id = ?', paymentId).refdet };
  } finally {
    await parent.dispose();
  }
}

test('the secretariat finds a paid but unnotified payment and « Vérifier maintenant » credits it once', async ({ page, baseURL }) => {
  const { paymentId, refdet } = await paidButNotNotified(baseURL!);
  const balance = () => one<{ n: number }>('SELECT COALESCE(SUM(amount_cents), 0) AS n FROM ledger_entries WHERE online_payment_id = ?', paymentId).n;
  expect(balance()).toBe(0);

  await signIn(page, 'secretariat');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Paiements en ligne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paiements en ligne' })).toBeVisible();
  await page.getByLabel('Statut').selectOption({ label: 'En attente de PayFiP' });
  const row = page.getByRole('row').filter({ hasText: refdet });
  await expect(row).toContainText('DEVRET');
  await expect(row).toContainText(/15,00\s€/);
  await expect(row).toContainText('En attente de PayFiP');

  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  const button = row.getByRole('button', { name: `Vérifier maintenant le paiement ${refdet}` });
  const box = await button.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(24);

  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'PayFiP confirme le paiement : le porte-monnaie de la famille vient d’être crédité.' })).toBeVisible();
  expect(one<{ status: string }>('SELECT status FROM online_payments WHERE id = ?', paymentId).status).toBe('paid');
  expect(balance()).toBe(1500);

  // Paid: out of the pending filter, in the paid one, with no button any more.
  await expect(row).toHaveCount(0);
  await page.getByLabel('Statut').selectOption({ label: 'Payé' });
  await expect(row).toContainText('Payé');
  await expect(row.getByRole('button')).toHaveCount(0);
  expect(one<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'payment.verify' AND entity_id = ?", String(paymentId)).n).toBe(1);
});

test('the canteen staff has no « Paiements en ligne »', async ({ page }) => {
  await signIn(page, 'restauration');
  await expect(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Paiements en ligne' })).toHaveCount(0);
  expect((await page.request.get('/api/staff/online-payments')).status()).toBe(403);
});
