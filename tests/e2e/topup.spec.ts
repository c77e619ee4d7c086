/**
 * "Créditer mon compte": Chantal, sent from the planning's refusal, pays two wallets in ONE PayFiP
 * payment through the simulator's page (started by the demo server), is sent back to the week she
 * came from with what was credited on each wallet, and sees both balances and one invoice.
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

/** Monday of next week, "YYYY-MM-DD": the planning week she starts from. */
function nextMonday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

test('chantal.devret pays two wallets in one PayFiP payment and is back on her week with both balances and one invoice @mobile', async ({ page }) => {
  const db = openDb({ dataDir });
  try {
    const family: { family_id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('family_id');
    const wallets: Array<{ id: number; code: string; label: string }> = await db('wallets').orderBy('position').select('id', 'code', 'label');
    const resto = wallets.find((w) => w.code === 'restauration')!;
    const peri = wallets.find((w) => w.code === 'periscolaire')!;
    const paymentsBefore: number[] = await db('online_payments').where('family_id', family.family_id).pluck('id');
    const before = { resto: await getBalance(db, family.family_id, resto.id), peri: await getBalance(db, family.family_id, peri.id) };

    await signIn(page);
    // The planning's message bar after a refusal for lack of credit links here (web/src/topup-link.ts).
    const week = `/planning?semaine=${nextMonday()}`;
    await page.goto(`/factures?crediter=${resto.id}&manque=350&retour=${encodeURIComponent(week)}`);
    const restoField = page.getByLabel(`${resto.label} (en euros)`);
    const periField = page.getByLabel(`${peri.label} (en euros)`);
    // The missing amount is pre-filled and focused; the other fields start empty unless under zero.
    await expect(restoField).toHaveValue('3,50');
    await expect(restoField).toBeFocused();
    await restoField.fill('12,50');
    await periField.fill('8,00');
    for (const w of wallets.filter((x) => x.id !== resto.id && x.id !== peri.id)) await page.getByLabel(`${w.label} (en euros)`).fill('');
    await expect(page.locator('.split-total output')).toHaveText(euroPattern(2050));
    // No sideways scrolling with the form open, on the project's width and on a 320 px phone.
    const viewport = page.viewportSize()!;
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.setViewportSize({ width: 320, height: viewport.height });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(320);
    await page.setViewportSize(viewport);

    // A double tap on "Payer" makes one payment.
    await page.getByRole('button', { name: /^Payer/ }).dblclick();

    // The simulator's page, as PayFiP's would be: one payment of the total.
    await expect(page).toHaveURL(/\/tpa\/paiementws\.web\?idop=/);
    await expect(page.getByText(euroPattern(2050)).first()).toBeVisible();
    const created: Array<{ id: number; amount_cents: number }> = await db('online_payments').where('family_id', family.family_id).whereNotIn('id', paymentsBefore).select('id', 'amount_cents');
    expect(created).toHaveLength(1);
    const payment = created[0]!;
    expect(payment.amount_cents).toBe(2050);
    await page.getByRole('button', { name: 'Payer' }).click();

    // Back on the week she came from, told what was credited on each wallet.
    await expect(page).toHaveURL(new RegExp(`/planning\\?semaine=${nextMonday()}&paiement=${payment.id}$`));
    const notice = page.getByTestId('payment-status');
    await expect(notice).toContainText('Votre paiement a été accepté : votre compte est crédité.');
    await expect(notice).toContainText(`sur « ${resto.label} » et`);
    await expect(notice).toContainText(`sur « ${peri.label} »`);
    await expect(notice).toContainText(euroPattern(1250));
    await expect(notice).toContainText(euroPattern(800));
    expect(await getBalance(db, family.family_id, resto.id)).toBe(before.resto + 1250);
    expect(await getBalance(db, family.family_id, peri.id)).toBe(before.peri + 800);
    const invoices: Array<{ id: number; number: string; total_cents: number }> = await db('invoices').where('online_payment_id', payment.id).select('id', 'number', 'total_cents');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.total_cents).toBe(2050);

    // "Mes factures": both balances, and the one invoice of the payment.
    await notice.getByRole('link', { name: 'Mes factures' }).click();
    await expect(page).toHaveURL(/\/factures$/);
    await expect(page.getByRole('listitem').filter({ hasText: resto.label })).toContainText(euroPattern(before.resto + 1250));
    await expect(page.getByRole('listitem').filter({ hasText: peri.label })).toContainText(euroPattern(before.peri + 800));
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: invoices[0]!.number, exact: true }) });
    await expect(row).toContainText(euroPattern(2050));
    await expect(row.getByRole('link', { name: /Téléchargement/ })).toBeVisible();
  } finally {
    await db.destroy();
  }
});
