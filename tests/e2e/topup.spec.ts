/**
 * "Créditer mon compte": Chantal tops up 20,00 € through the PayFiP simulator's page (started by
 * the demo server) and sees the new balance and the paid invoice in "Mes factures".
 */
import { test, expect, type Page } from '@playwright/test';
import { openDb } from '../../db/index.js';
import { getBalance } from '../../core/wallet.js';

const dataDir = process.env.ETICKET_E2E_DATA_DIR!;

/** "12,50 €" with any kind of space the browser renders (U+202F, U+00A0, space). */
function euroPattern(cents: number): RegExp {
  const text = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
  return new RegExp(text.replace(/[\s\u202f\u00a0]/g, '[\\s\\u202f\\u00a0]'));
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Identifiant').fill('chantal.devret');
  await page.getByLabel('Mot de passe', { exact: true }).fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon Planning' })).toBeVisible();
}

/** Through the guide's left menu (folded under a "Menu" button on phones). */
async function openMenuItem(page: Page, label: string) {
  const toggle = page.getByRole('button', { name: 'Menu' });
  if (await toggle.isVisible()) await toggle.click();
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: new RegExp(`^${label}`) }).click();
}

test('chantal.devret tops up 20,00 € through PayFiP and sees the balance and the paid invoice @mobile', async ({ page }) => {
  const db = openDb({ dataDir });
  try {
    const family: { family_id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('family_id');
    const paymentsBefore: Array<{ id: number }> = await db('online_payments').where('family_id', family.family_id).select('id');

    await signIn(page);
    await openMenuItem(page, 'Mes factures');
    await page.getByRole('button', { name: 'Créditer mon compte' }).click();
    await page.getByLabel('Montant (en euros)').fill('20,00');
    await page.getByRole('button', { name: 'Payer en ligne' }).click();

    // The simulator's page, as PayFiP's would be.
    await expect(page).toHaveURL(/\/tpa\/paiementws\.web\?idop=/);
    await expect(page.getByText(euroPattern(2000)).first()).toBeVisible();
    const payment: { id: number; wallet_id: number; amount_cents: number } = await db('online_payments')
      .where('family_id', family.family_id)
      .whereNotIn(
        'id',
        paymentsBefore.map((p) => p.id),
      )
      .first('id', 'wallet_id', 'amount_cents');
    expect(payment.amount_cents).toBe(2000);
    const balanceBefore = await getBalance(db, family.family_id, payment.wallet_id);
    await page.getByRole('button', { name: 'Payer' }).click();

    // Back on the portal, in "Mes factures", with the payment settled from PayFiP's own answer.
    await expect(page).toHaveURL(new RegExp(`/factures\\?paiement=${payment.id}$`));
    await expect.poll(async () => (await db('online_payments').where('id', payment.id).first('status')).status).toBe('paid');
    const balanceAfter = await getBalance(db, family.family_id, payment.wallet_id);
    expect(balanceAfter).toBe(balanceBefore + 2000);
    const invoice: { number: string; status: string } = await db('invoices').where('online_payment_id', payment.id).first('number', 'status');
    expect(invoice.status).toBe('paid');

    const wallet: { label: string } = await db('wallets').where('id', payment.wallet_id).first('label');
    // Shown, and announced to screen readers by the live region.
    await expect(page.getByText('Votre paiement a été accepté : votre compte est crédité.').first()).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: wallet.label })).toContainText(euroPattern(balanceAfter));
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: invoice.number, exact: true }) });
    await expect(row).toContainText(euroPattern(2000));
    await expect(row.getByRole('link', { name: /Téléchargement/ })).toBeVisible();
  } finally {
    await db.destroy();
  }
});
