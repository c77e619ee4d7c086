/**
 * The calendar's closure preview in Chromium against the real server on the demo database: the
 * admin sees, before saving, how many bookings a closure would cancel and refund — the numbers
 * the database gives — and closing the dialog changes nothing.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

function query<T>(sql: string, ...params: unknown[]): T[] {
  const dir = process.env.ETICKET_E2E_DATA_DIR;
  if (!dir) throw new Error('ETICKET_E2E_DATA_DIR manquant (playwright.config.ts)');
  const conn = new Database(path.join(dir, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(/[\u202f\u00a0]/g, ' ');

test('une fermeture montre d’abord les réservations qu’elle annulera et remboursera', async ({ page }) => {
  await signIn(page, 'admin');
  const today = ((await (await page.request.get('/api/staff/reference')).json()) as { today: string }).today;
  // The first day after tomorrow with bookings (none of them pointed yet).
  const [day] = query<{ date: string; n: number }>(
    "select date, count(*) as n from bookings where status = 'booked' and date > date(?, '+1 day') group by date order by date limit 1",
    today,
  );
  expect(day, 'the demo has future bookings').toBeTruthy();
  const [{ refund }] = query<{ refund: number }>(
    "select -sum(l.amount_cents) as refund from ledger_entries l join bookings b on b.id = l.booking_id where b.status = 'booked' and b.date = ?",
    day!.date,
  ) as [{ refund: number }];

  await page.getByRole('link', { name: 'Calendrier' }).click();
  await page.getByRole('button', { name: 'Ajouter une fermeture' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouvelle fermeture' });
  await dialog.getByLabel('Libellé').fill('Grève (essai)');
  await dialog.getByLabel('Du').fill(day!.date);
  await dialog.getByLabel('Au').fill(day!.date);
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();

  const impact = dialog.getByTestId('closure-impact');
  await expect(impact).toContainText(`${day!.n} réservation${day!.n > 1 ? 's' : ''} ser`);
  await expect(impact).toContainText(`(${euros(refund)})`);
  await expect(dialog.getByRole('button', { name: 'Confirmer : annuler et rembourser' })).toBeVisible();

  // Changing nothing: the dialog closed without confirming leaves every booking in place.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(query<{ n: number }>("select count(*) as n from closures where label = 'Grève (essai)'")[0]!.n).toBe(0);
  expect(query<{ n: number }>("select count(*) as n from bookings where status = 'booked' and date = ?", day!.date)[0]!.n).toBe(day!.n);
});
