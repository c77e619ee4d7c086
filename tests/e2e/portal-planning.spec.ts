/**
 * Mon Planning as a hurried parent uses it, at desktop width and at 360 px (@mobile): a
 * double-click, the batch buttons, a refused tap far down the page, errors in dialogs and the
 * focus coming back to the opener. Helpers and the demo data as in portal.spec.ts.
 */
import { test, expect, type Page } from '@playwright/test';
import { openDb } from '../../db/index.js';
import { dataDir, goToWeekWithOpenCantine, signIn, waitForGrid } from './portal-helpers.js';

const NETWORK_MESSAGE = 'Connexion au serveur impossible';

/** POST bodies sent to the planning routes from now on. */
function recordBookingPosts(page: Page): Array<{ changes: Array<{ childId: number; activityId: number; date: string; action: string }> }> {
  const posts: Array<{ changes: Array<{ childId: number; activityId: number; date: string; action: string }> }> = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/parent/planning/')) posts.push(JSON.parse(r.postData() ?? '{}'));
  });
  return posts;
}

/**
 * Two real left clicks at (x, y) through Chromium's input pipeline, stamped `gapMs` apart as a
 * hand would make them. The stamps keep the gap exact on a loaded machine; the real pause
 * between them lets the server answer the first click before the second, as it does live.
 */
async function doubleClick(page: Page, x: number, y: number, gapMs: number) {
  const cdp = await page.context().newCDPSession(page);
  const click = async (timestamp: number) => {
    for (const type of ['mousePressed', 'mouseReleased'] as const) {
      await cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1, timestamp });
    }
  };
  const start = Date.now() / 1000;
  await click(start);
  await page.waitForTimeout(gapMs);
  await click(start + gapMs / 1000);
  await cdp.detach();
}

test.describe('Mon Planning, taps and batches @mobile', () => {
  test('a double-click (two real clicks 100 ms apart) leaves the cell booked, with one booking on the server', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await goToWeekWithOpenCantine(page);
    const open = page.getByRole('button', { name: /^Réserver Cantine pour Julia le / }).first();
    const day = (await open.getAttribute('aria-label'))!.replace('Réserver Cantine pour Julia le ', '');
    await open.scrollIntoViewIfNeeded();
    const box = (await open.boundingBox())!;
    const posts = recordBookingPosts(page);

    await doubleClick(page, box.x + box.width / 2, box.y + box.height / 2, 100);
    const booked = page.getByRole('button', { name: `Annuler Cantine pour Julia le ${day}` });
    await expect(booked).toHaveAttribute('data-state', 'booked');
    await page.waitForTimeout(1000); // room for a second request, had one been sent
    expect(posts.map((p) => p.changes.map((c) => c.action))).toEqual([['book']]);

    const change = posts[0]!.changes[0]!;
    const db = openDb({ dataDir });
    try {
      const booking = await db('bookings').where({ child_id: change.childId, activity_id: change.activityId, date: change.date }).first('id', 'status');
      expect(booking?.status).toBe('booked');
      const debits = await db('ledger_entries').where({ booking_id: booking.id, kind: 'booking_debit' }).count({ n: '*' }).first();
      const refunds = await db('ledger_entries').where({ booking_id: booking.id, kind: 'cancellation_refund' }).count({ n: '*' }).first();
      expect(Number(debits!.n) - Number(refunds!.n)).toBe(1);
    } finally {
      await db.destroy();
    }
    await page.reload();
    await waitForGrid(page);
    await expect(booked).toHaveAttribute('data-state', 'booked');
    // A later, deliberate tap still cancels.
    await booked.click();
    await expect(page.getByRole('button', { name: `Réserver Cantine pour Julia le ${day}` })).toHaveAttribute('data-state', 'open');
  });

  test('the week button reads “Tout réserver”, asks with its total (Confirmer double-clicked books once), then “Tout annuler”, which asks too', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await goToWeekWithOpenCantine(page);
    const bookAll = page.getByRole('button', { name: 'Tout réserver la semaine : Cantine pour Julia' });
    await expect(bookAll).toHaveText(/^Tout réserver/);
    // Several days: double-clicked, it asks once with the total; "Confirmer" double-clicked books once.
    await bookAll.scrollIntoViewIfNeeded();
    const box = (await bookAll.boundingBox())!;
    const posts = recordBookingPosts(page);
    await doubleClick(page, box.x + box.width / 2, box.y + box.height / 2, 100);
    const ask = page.getByRole('dialog', { name: /^Tout réserver : Cantine pour Julia, semaine du / });
    await expect(ask).toContainText(/\d+ réservations?, [\d,]+\s€ sur Restauration scolaire/);
    const confirmBox = (await ask.getByRole('button', { name: 'Confirmer' }).boundingBox())!;
    await doubleClick(page, confirmBox.x + confirmBox.width / 2, confirmBox.y + confirmBox.height / 2, 100);
    await expect(ask).toBeHidden();
    await page.waitForTimeout(600);
    expect(posts.filter((p) => !('kind' in p))).toHaveLength(1);
    const cancelAll = page.getByRole('button', { name: 'Tout annuler la semaine : Cantine pour Julia' });
    await expect(cancelAll).toHaveText(/^Tout annuler/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Réserver Cantine pour Julia le / })).toHaveCount(0);
    const bookedDays = await page.getByRole('button', { name: /^Annuler Cantine pour Julia le / }).count();
    expect(bookedDays).toBeGreaterThan(1);

    await page.waitForTimeout(600); // a parent reads the new label before clicking again (not the same gesture)
    await cancelAll.click();
    const confirm = page.getByRole('dialog', { name: `Annuler ${bookedDays} réservations ?` });
    await expect(confirm).toContainText('Cantine pour Julia');
    await expect(confirm.getByRole('button', { name: 'Garder les réservations' })).toBeFocused();
    await confirm.getByRole('button', { name: 'Garder les réservations' }).click();
    await expect(confirm).toBeHidden();
    await expect(cancelAll).toBeFocused();
    await expect(page.getByRole('button', { name: /^Annuler Cantine pour Julia le / })).toHaveCount(bookedDays);

    // A new gesture, not the tail of the tap that closed the dialog (those are ignored on purpose).
    await page.waitForTimeout(600);
    await cancelAll.click();
    await confirm.getByRole('button', { name: 'Oui, tout annuler' }).click();
    await expect(confirm).toBeHidden();
    await expect(bookAll).toBeVisible();
    await expect(page.getByRole('button', { name: /^Annuler Cantine pour Julia le / })).toHaveCount(0);
    await expect(page.getByTestId('tap-message')).toContainText(`${bookedDays} annulations`);
  });

  test('a refused tap far down the page is explained in view: no credit, then no network', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await goToWeekWithOpenCantine(page);
    const message = page.getByTestId('tap-message');
    // The demo leaves the Transport scolaire wallet empty: Margot's bus is refused for lack of credit.
    const bus = page.getByRole('button', { name: /^Réserver Bus pour Margot le / }).last();
    const busName = (await bus.getAttribute('aria-label'))!;
    await bus.scrollIntoViewIfNeeded();
    await bus.click();
    await expect(message).toContainText(`${busName.replace('Réserver ', '')} : Solde insuffisant`);
    await expect(message).toBeInViewport();
    await expect(message.getByRole('link', { name: 'Créditer mon compte' })).toHaveAttribute('href', /\/factures\?crediter=\d+&manque=\d+&retour=%2Fplanning/);
    const busCell = page.getByRole('button', { name: busName, exact: true });
    await expect(busCell).toHaveAttribute('data-state', 'open');
    // The bar does not hide the cell just tapped.
    const [cellBox, barBox] = [(await busCell.boundingBox())!, (await message.boundingBox())!];
    expect(cellBox.y + cellBox.height).toBeLessThanOrEqual(barBox.y);
    await message.getByRole('button', { name: 'Fermer le message' }).click();
    await expect(message).toBeHidden();

    await page.route('**/api/parent/planning/changes', (route) => route.abort('internetdisconnected'));
    // Another cell than the bus just refused: a second tap on that one within half a second is
    // the same gesture, which the grid rightly ignores.
    const margotCells = page.getByRole('button', { name: /^(Réserver|Annuler) .+ pour Margot le / });
    const names = await margotCells.evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
    const name = names.filter((n) => n !== busName).at(-1)!;
    const cell = page.getByRole('button', { name, exact: true });
    const state = await cell.getAttribute('data-state');
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    await expect(message).toContainText(NETWORK_MESSAGE);
    await expect(message).toBeInViewport();
    await expect(page.getByRole('button', { name, exact: true })).toHaveAttribute('data-state', state!);
  });

  test('an error in a dialog shows in the dialog, and closing a dialog gives the focus back to its opener', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    const opener = page.getByRole('button', { name: 'semaine type : Cantine pour Julia' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Semaine type — Cantine pour Julia' });
    await expect(dialog).toBeVisible();
    await page.route('**/api/parent/planning/template', (route) => route.abort('internetdisconnected'));
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect(dialog.getByRole('alert')).toContainText(NETWORK_MESSAGE);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();

    const subscriptions = page.getByRole('button', { name: 'je gère mes abonnements pour Julia' });
    await subscriptions.click();
    const subsDialog = page.getByRole('dialog', { name: 'Abonnements de Julia' });
    await expect(subsDialog).toBeVisible();
    await subsDialog.getByRole('button', { name: 'Fermer' }).click();
    await expect(subsDialog).toBeHidden();
    await expect(subscriptions).toBeFocused();
  });
});
