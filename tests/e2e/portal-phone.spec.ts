/**
 * The portal on a phone (the mobile project only): every page at 360 and 320 px without sideways
 * scrolling, the unread badge in the header, and Mon Planning's day cards: a whole week booked
 * for Julia, Louis and Margot tap by tap, checked against the API and the database; the week
 * switch's loading state. Demo data and helpers as in portal.spec.ts.
 */
import { test, expect, type Page } from '@playwright/test';
import type { WeekGridResponse } from '../../api/parent.js';
import { systemClock } from '../../core/clock.js';
import { applyBookingChanges } from '../../core/bookings.js';
import { cancelCounterSale, recordCounterSale } from '../../core/sales.js';
import { openDb } from '../../db/index.js';
import { formatEuros } from '../../api/format.js';
import { dataDir, signIn } from './portal-helpers.js';

test.skip(({ isMobile }) => !isMobile, 'the phone layout');

/** document.documentElement.scrollWidth equals the viewport width at 360 and at 320 px. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 740 });
    const measure = () =>
      page.evaluate(() => {
        const widest = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(-3)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)}`);
        return { scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, widest };
      });
    await expect.poll(measure, { message: `${what} à ${width} px` }).toMatchObject({ scrollWidth: width, viewport: width });
  }
  await page.setViewportSize({ width: 360, height: 740 });
}

async function grid(page: Page, week: string): Promise<WeekGridResponse> {
  const res = await page.request.get(week ? `/api/parent/planning?week=${week}` : '/api/parent/planning');
  expect(res.ok()).toBe(true);
  return (await res.json()) as WeekGridResponse;
}

const cellsOf = (g: WeekGridResponse) => g.children.flatMap((c) => c.periods.flatMap((p) => p.rows.flatMap((r) => r.cells.map((cell) => ({ child: c, row: r, cell })))));

test.describe('le portail sur un téléphone @mobile', () => {
  test('no page scrolls sideways at 360 and 320 px; the unread badge shows in the header', async ({ page }) => {
    await page.goto('/connexion');
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
    await expectNoSidewaysScroll(page, '/connexion');
    await page.goto('/reinitialisation');
    await expect(page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' })).toBeVisible();
    await expectNoSidewaysScroll(page, '/reinitialisation');

    // An unread answer from the secretariat, whatever the other walks have read already.
    const db = openDb({ dataDir });
    try {
      const family: { family_id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('family_id');
      const thread: { id: number } = await db('message_threads').where('family_id', family.family_id).orderBy('id').first('id');
      const staff: { id: number } = await db('staff_users').where('username', 'secretariat').first('id');
      await db('messages').insert({
        thread_id: thread.id,
        author_kind: 'staff',
        staff_user_id: staff.id,
        body: 'Bonjour, l’adresse de facturation est bien mise à jour : scolaires@port-sainte-foy.info.',
        created_at: new Date().toISOString(),
        read_at: null,
      });
    } finally {
      await db.destroy();
    }

    await signIn(page);
    const unread = ((await (await page.request.get('/api/parent/messages/unread')).json()) as { unread: number }).unread;
    expect(unread).toBeGreaterThan(0);
    const badge = page.getByRole('banner').getByRole('link', { name: `Messages, ${unread} non lu${unread > 1 ? 's' : ''}` });
    await expect(badge).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeHidden();
    await expect(page.getByRole('heading', { level: 3 }).first()).toBeVisible();
    await expectNoSidewaysScroll(page, '/planning');

    for (const [path, heading] of [
      ['/factures', 'Mes factures'],
      ['/dossier', 'Mon dossier'],
      ['/documents', 'Mes documents'],
      ['/informations', 'Informations'],
      ['/mot-de-passe', 'Mot de passe'],
      ['/nulle-part', 'Page introuvable'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await expectNoSidewaysScroll(page, path);
      if (path === '/factures') {
        // The tables are stacked rows on a phone: every amount in sight, none in a sideways scroll box.
        await page.setViewportSize({ width: 320, height: 740 });
        const rights = await page.locator('.data-table td.num').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
        expect(rights.length).toBeGreaterThan(0);
        expect(Math.max(...rights)).toBeLessThanOrEqual(320);
        await page.setViewportSize({ width: 360, height: 740 });
      }
    }

    await page.goto('/planning');
    await badge.click();
    await expect(page).toHaveURL(/\/messages$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page, '/messages');
    await page.locator('a.thread').first().click();
    await expect(page).toHaveURL(/conversation=\d+/);
    await expect(page.locator('.message-list')).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page, '/messages?conversation');
  });

  test('the week switch keeps the shown week, dimmed and busy, and the last asked week wins', async ({ page }) => {
    await signIn(page);
    await expect(page.locator('.day-card').first()).toBeVisible();
    const title = page.locator('.week-title');
    const thisWeek = await title.innerText();
    const body = page.getByTestId('week-body');
    const weekGets: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await page.route('**/api/parent/planning?week=*', async (route) => {
      weekGets.push(route.request().url());
      await released; // a slow line
      await route.continue();
    });
    const next = page.getByRole('button', { name: 'semaine suivante' });
    await next.click();
    await expect(page.getByRole('status').filter({ hasText: 'Chargement…' })).toBeVisible();
    await expect(body).toHaveAttribute('aria-busy', 'true');
    await expect(title).toHaveText(thisWeek);
    expect(Number(await body.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
    await expect(next).toHaveAttribute('aria-disabled', 'true');
    // A second press meanwhile starts no second request.
    await next.click({ force: true });
    await page.getByRole('button', { name: 'semaine précédente' }).click({ force: true });
    expect(weekGets).toHaveLength(1);
    release();
    await expect(title).not.toHaveText(thisWeek);
    await expect(body).not.toHaveAttribute('aria-busy', 'true');
    const nextWeek = await title.innerText();

    // Browser back while the week after is slow: the slow answer comes last and is dropped.
    await page.unroute('**/api/parent/planning?week=*');
    let slowDone!: () => void;
    const slowAnswered = new Promise<void>((r) => (slowDone = r));
    await page.route('**/api/parent/planning?week=*', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
      slowDone();
    });
    await next.click();
    await expect(body).toHaveAttribute('aria-busy', 'true');
    await page.goBack();
    await expect(page).not.toHaveURL(/semaine=.*semaine/);
    await slowAnswered;
    await page.waitForTimeout(300);
    await expect(title).toHaveText(nextWeek);
    await expect(body).not.toHaveAttribute('aria-busy', 'true');
  });

  test('books a whole week for Julia, Louis and Margot with the day cards, one tap per activity', async ({ page }) => {
    await signIn(page);
    const first = await grid(page, '');
    // The locked rows of this week say why in words, not only in a tooltip.
    const locked = cellsOf(first).find((x) => x.cell.state === 'locked' || x.cell.state === 'booked_locked');
    expect(locked?.cell.reason, 'cette semaine a des jours passés ou clos').toBeTruthy();
    const card = page.locator(`.day-card[data-date="${locked!.cell.date}"]`);
    await expect(card.locator(`li[data-state="${locked!.cell.state}"]`).filter({ hasText: locked!.cell.reason! }).first()).toBeVisible();
    // On a phone the legend folds, so the first day card starts within the first screens.
    await expect(page.locator('details.legend')).not.toHaveAttribute('open');
    const [top, bodyTop] = await page.locator('.day-card').first().evaluate((el) => [
      el.getBoundingClientRect().top + window.scrollY,
      (el.closest('.week-body') ?? el).getBoundingClientRect().top + window.scrollY,
    ]);
    test.info().annotations.push({ type: 'first day card', description: `${Math.round(top)} px from the top at 360 px` });
    // Only the folded legend's line between the week's navigation and its first day (an open
    // legend is several hundred pixels); the balances and banners above may vary with the date.
    expect(top - bodyTop).toBeLessThan(120);
    expect(top).toBeLessThan(1400);

    // A week ahead where nothing is booked yet and every child has days open.
    let week = first.nextWeek;
    let target: WeekGridResponse | null = null;
    for (let i = 0; i < 12 && !target; i++) {
      const g = await grid(page, week);
      const cells = cellsOf(g);
      const everyChildOpen = g.children.every((c) => cells.some((x) => x.child.childId === c.childId && x.cell.state === 'open'));
      if (everyChildOpen && !cells.some((x) => x.cell.state === 'booked')) target = g;
      week = g.nextWeek;
    }
    expect(target, 'une semaine libre avec des jours ouverts').not.toBeNull();
    const open = cellsOf(target!).filter((x) => x.cell.state === 'open');
    expect(new Set(open.map((x) => x.child.firstName))).toEqual(new Set(['Julia', 'Louis', 'Margot']));

    // Enough credit on each wallet for the week, sold at the counter as the secretariat would.
    const cost = new Map<number, number>();
    for (const x of open) cost.set(x.row.walletId, (cost.get(x.row.walletId) ?? 0) + (x.row.priceCents ?? 0));
    // Everything is put back at the end (bookings cancelled, sales cancelled): the specs after this
    // one find the demo family's wallets and weeks as the demo made them.
    const sales: number[] = [];
    const db = openDb({ dataDir });
    const family: { family_id: number; id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('family_id', 'id');
    const staff: { id: number; display_name: string } = await db('staff_users').where('username', 'secretariat').first('id', 'display_name');
    const actor = { kind: 'staff' as const, staffUserId: staff.id, role: 'secretariat' as const, name: staff.display_name };
    const ctx = { db, clock: systemClock };
    const bookTheWeek = async () => {
      const before = await grid(page, target!.weekStart);
  
      await page.goto(`/planning?semaine=${target!.weekStart}`);
      await expect(page.locator('.day-card').first()).toBeVisible();
      await expectNoSidewaysScroll(page, `/planning?semaine=${target!.weekStart}`);
      // The guide's batch words stay reachable, once each.
      for (const child of ['Julia', 'Louis', 'Margot']) {
        await expect(page.getByRole('button', { name: `semaine type : Cantine pour ${child}` })).toHaveCount(1);
        await expect(page.getByRole('button', { name: `Tout réserver la semaine : Cantine pour ${child}` })).toHaveCount(1);
        await expect(page.getByRole('button', { name: `je gère mes abonnements pour ${child}` })).toHaveCount(1);
      }
      await expect(page.getByRole('button', { name: /^Tout réserver toutes les activités de Julia le / }).first()).toBeVisible();
  
      const toggles = page.locator('.day-card').getByRole('button', { name: /^Réserver / });
      expect(await toggles.count()).toBe(open.length);
      for (const box of await toggles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(box.height).toBeGreaterThanOrEqual(44);
        expect(box.right).toBeLessThanOrEqual(360);
      }
      // Tap each open activity of each day card, in order, as a parent's thumb would.
      for (let n = 0; n < open.length; n++) {
        const toggle = toggles.first();
        const name = (await toggle.getAttribute('aria-label'))!;
        await toggle.click();
        await expect(page.getByRole('button', { name: name.replace(/^Réserver/, 'Annuler'), exact: true })).toHaveAttribute('data-state', 'booked');
      }
      await expect(toggles).toHaveCount(0);
      await expect(page.locator('.day-card button[data-state="booked"]')).toHaveCount(open.length);
  
      const after = await grid(page, target!.weekStart);
      expect(cellsOf(after).filter((x) => x.cell.state === 'open')).toEqual([]);
      expect(cellsOf(after).filter((x) => x.cell.state === 'booked')).toHaveLength(open.length);
      for (const b of after.balances) {
        const was = before.balances.find((x) => x.walletId === b.walletId)!.balanceCents;
        expect(b.balanceCents, b.label).toBe(was - (cost.get(b.walletId) ?? 0));
        await expect(page.getByTestId(`solde-${b.code}`)).toHaveText(formatEuros(b.balanceCents));
      }
      const check = openDb({ dataDir });
      try {
        const childIds = target!.children.map((c) => c.childId);
        const rows: Array<{ n: number | string }> = await check('bookings').whereIn('child_id', childIds).whereBetween('date', [target!.weekStart, target!.weekEnd]).where('status', 'booked').count({ n: '*' });
        expect(Number(rows[0]!.n)).toBe(open.length);
      } finally {
        await check.destroy();
      }
    };
    try {
      for (const b of target!.balances) {
        const missing = (cost.get(b.walletId) ?? 0) - b.balanceCents;
        if (missing > 0) sales.push((await recordCounterSale(ctx, actor, { familyId: family.family_id, walletId: b.walletId, amountCents: missing + 500, method: 'carte' })).id);
      }
      await bookTheWeek();
    } finally {
      await applyBookingChanges(ctx, { kind: 'parent', parentAccountId: family.id, familyId: family.family_id }, {
        familyId: family.family_id,
        changes: open.map((x) => ({ childId: x.child.childId, activityId: x.row.activityId, date: x.cell.date, action: 'cancel' as const })),
      });
      for (const receiptId of sales) await cancelCounterSale(ctx, actor, { receiptId, reason: 'remise en état après le test' });
      await db.destroy();
    }
  });
});

