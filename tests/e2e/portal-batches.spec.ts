/**
 * "Cost before commitment" in the portal, at desktop width and on a 360 px phone: a parent
 * reads the total of a semaine type (after a slow answer), confirms it (a double-click books
 * once), and the server wrote exactly the total she read; then a day refused for lack of bus
 * credit offers to book the rest. One walk per project, each on its own child and day.
 */
import { test, expect } from '@playwright/test';
import { openDb } from '../../db/index.js';
import { cents, dataDir, signIn, waitForGrid } from './portal-helpers.js';

test('a parent confirms a semaine type after reading its total, is debited exactly that, and books a day without the bus', async ({ page }, testInfo) => {
  const child = testInfo.project.name === 'mobile' ? 'Louis' : 'Julia';
  await signIn(page);
  await waitForGrid(page);
  const templatePosts: unknown[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/parent/planning/template')) templatePosts.push(r.postData());
  });

  await page.getByRole('button', { name: `semaine type : Cantine pour ${child}` }).click();
  const dialog = page.getByRole('dialog', { name: `Semaine type — Cantine pour ${child}` });
  for (const day of ['lundi', 'mardi', 'jeudi', 'vendredi']) {
    const box = dialog.getByRole('checkbox', { name: day });
    if (day === 'lundi' || day === 'jeudi') await box.check();
    else await box.uncheck();
  }
  const from = await dialog.getByLabel('Du').inputValue();
  const to = new Date(`${from}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 13);
  await page.route('**/api/parent/planning/preview', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await dialog.getByLabel('Au').fill(to.toISOString().slice(0, 10));

  // The total comes before anything is booked; on a slow line "Confirmer" waits for it.
  const preview = dialog.getByTestId('batch-preview');
  const confirm = dialog.getByRole('button', { name: 'Confirmer' });
  await expect(preview).toContainText('Calcul du total…');
  await expect(confirm).toBeDisabled();
  await expect(preview).not.toHaveAttribute('aria-busy', 'true');
  const total = preview.locator('.batch-total').first();
  await expect(total).toHaveText(/^\d+ réservations?, [\d,]+\s€ sur Restauration scolaire/);
  const text = await total.innerText();
  const count = Number(/^(\d+)/.exec(text)![1]);
  const debit = cents(text);
  expect(count).toBeGreaterThan(0);
  await expect(confirm).toBeEnabled();
  // Nothing sideways on a phone: the dialog and its total fit the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);

  const db = openDb({ dataDir });
  try {
    const since = Number((await db('ledger_entries').max({ id: 'id' }).first())?.id ?? 0);
    await confirm.dblclick();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('tap-message')).toContainText(`${count} réservation`);
    await page.waitForTimeout(500); // room for a second request, had one been sent
    expect(templatePosts).toHaveLength(1);

    const rows: Array<{ amount_cents: number }> = await db('ledger_entries as l')
      .join('children as c', 'c.id', 'l.child_id')
      .where('l.id', '>', since)
      .andWhere({ 'l.kind': 'booking_debit', 'c.first_name': child })
      .select('l.amount_cents');
    expect(rows).toHaveLength(count);
    expect(-rows.reduce((s, r) => s + r.amount_cents, 0)).toBe(debit);
  } finally {
    await db.destroy();
  }

  // "Tout réserver" for one day is one tap; refused for the empty Transport wallet, it offers the rest.
  const week = await page.locator('.week-title').innerText();
  await page.getByRole('button', { name: 'semaine suivante' }).click();
  await expect(page.locator('.week-title')).not.toHaveText(week);
  await waitForGrid(page);
  const days = page.getByRole('button', { name: /^Tout réserver toutes les activités de Margot le / });
  const day = testInfo.project.name === 'mobile' ? days.nth(1) : days.first();
  await day.scrollIntoViewIfNeeded();
  await day.click();
  const ask = page.getByRole('dialog', { name: /^Tout réserver : toutes les activités de Margot le / });
  await expect(ask).toContainText(/Il manque 0,80\s€ sur Transport/);
  await expect(ask.getByRole('link', { name: 'Créditer mon compte' })).toHaveAttribute('href', /\/factures\?crediter=\d+/);
  await expect(ask.getByRole('button', { name: 'Confirmer' })).toBeDisabled();
  await ask.getByRole('button', { name: /^Réserver sans le bus \(3 réservations, / }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByTestId('tap-message')).toContainText('3 réservations faites');
});
