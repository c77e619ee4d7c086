/**
 * Issue 8, console scope, in Chromium against the real server on the demo database: the family
 * picker opens what the keyboard chose (the pointer only highlights), and the quotient familial
 * typed in French is saved as a number or refused next to its field, changing nothing.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

function qfInDatabase(familyId: number): number | null {
  const conn = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('select quotient_familial as qf from families where id = ?').get(familyId) as { qf: number | null }).qf;
  } finally {
    conn.close();
  }
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/staff/');
  await page.getByLabel('Identifiant').fill('secretariat');
  await page.getByLabel('Mot de passe').fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
}

/** A query of the demo with at least three hits, and the families it gives, in order. */
async function threeHits(page: Page): Promise<{ q: string; ids: number[] }> {
  for (const q of ['ma', 'ar', 'an', 'el', 'e']) {
    const res = await page.request.get('/api/staff/families/search', { params: { q, limit: 12 } });
    const hits = ((await res.json()) as { hits: Array<{ id: number }> }).hits;
    if (hits.length >= 3) return { q, ids: hits.map((h) => h.id) };
  }
  throw new Error('no demo query with three hits');
}

async function search(page: Page, q: string) {
  await page.getByRole('link', { name: /^Familles/ }).click();
  const box = page.getByRole('combobox', { name: 'Rechercher une famille' });
  await box.fill(q);
  const options = page.getByRole('option');
  await expect(options.nth(2)).toBeVisible();
  return { box, options };
}

/** Puts the pointer on an option and leaves it there. */
async function rest(page: Page, option: ReturnType<Page['getByRole']>) {
  const box = (await option.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2);
}

test.describe('le sélecteur de familles', () => {
  test('Entrée ouvre la famille choisie au clavier, pas celle sous la souris', async ({ page }) => {
    await signIn(page);
    const { q, ids } = await threeHits(page);

    // The pointer rests on the 2nd hit while the keyboard is on the 1st: Enter opens the 1st.
    let { options } = await search(page, q);
    await rest(page, options.nth(1));
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'false');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/staff/familles/${ids[0]}$`));

    // ArrowDown then Enter opens the 2nd, wherever the pointer rests (here on the 3rd).
    ({ options } = await search(page, q));
    await rest(page, options.nth(2));
    await page.keyboard.press('ArrowDown');
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/staff/familles/${ids[1]}$`));

    // A click opens what is clicked.
    ({ options } = await search(page, q));
    await options.nth(2).click();
    await expect(page).toHaveURL(new RegExp(`/staff/familles/${ids[2]}$`));
  });

  test('à l’encaissement aussi', async ({ page }) => {
    await signIn(page);
    const { q, ids } = await threeHits(page);
    await page.getByRole('link', { name: 'Encaissement' }).click();
    await page.getByRole('combobox', { name: 'Famille' }).fill(q);
    const options = page.getByRole('option');
    await expect(options.nth(2)).toBeVisible();
    await rest(page, options.nth(2));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/staff/encaissement\\?famille=${ids[0]}$`));
  });
});

test.describe('le quotient familial', () => {
  test('« 1 250 » est enregistré 1250 ; « 12,5 » et « abc » sont refusés à côté du champ', async ({ page }) => {
    await signIn(page);
    // The desk lands on « Tableau de bord » since issue 14.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
    await page.getByRole('combobox', { name: 'Rechercher une famille' }).fill('devret');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
    const familyId = Number(/familles\/(\d+)/.exec(page.url())![1]);
    const before = qfInDatabase(familyId);

    const dialog = page.getByRole('dialog', { name: 'Foyer' });
    await page.getByRole('button', { name: 'Modifier' }).first().click();
    const qf = dialog.getByLabel('Quotient familial (€)');
    for (const bad of ['12,5', 'abc']) {
      await qf.fill(bad);
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      await expect(qf).toHaveAttribute('aria-invalid', 'true');
      await expect(dialog.getByRole('alert')).toHaveText('Quotient familial : nombre entier attendu (par exemple 1 250).');
      await expect(qf).toHaveAccessibleDescription(/Quotient familial : nombre entier attendu/);
      await expect(dialog).toBeVisible();
      expect(qfInDatabase(familyId)).toBe(before);
    }
    // Fixing the field takes the message away at once.
    await qf.fill('1 250');
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/^1\s?250 €$/)).toBeVisible();
    expect(qfInDatabase(familyId)).toBe(1250);
  });
});

test.describe('le pointage', () => {
  test('garde les coches quand les filtres changent et prévient avant de les perdre', async ({ page }) => {
    await signIn(page);
    await page.getByRole('link', { name: 'Pointage' }).click();
    await page.getByLabel('Afficher aussi les enfants non inscrits').check();
    const ticks = page.getByRole('checkbox', { name: / présent$/ });
    await expect(ticks.first()).toBeVisible();
    const first = ticks.first();
    const name = (await first.getAttribute('aria-label'))!;
    const tick = page.getByRole('checkbox', { name, exact: true });
    await tick.check();
    await expect(page.getByText('1 coche(s) non enregistrée(s).')).toBeVisible();

    // The filters change what is shown, never what was ticked.
    await page.getByLabel('Afficher aussi les enfants non inscrits').uncheck();
    await page.getByLabel('Afficher aussi les enfants non inscrits').check();
    await expect(tick).toBeChecked();
    const school = page.getByLabel('École', { exact: true });
    for (const option of await school.locator('option').allTextContents()) {
      await school.selectOption({ label: option });
      await expect(page.getByText('1 coche(s) non enregistrée(s).')).toBeVisible();
    }
    await school.selectOption({ label: 'Toutes les écoles' });
    await expect(tick).toBeChecked();

    // Leaving asks first; staying keeps the ticks.
    page.once('dialog', (d) => {
      expect(d.message()).toBe('Des coches du pointage ne sont pas enregistrées. Les abandonner ?');
      void d.dismiss();
    });
    await page.getByRole('link', { name: 'Journal' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pointage' })).toBeVisible();
    await expect(tick).toBeChecked();

    // Touch targets of at least 44 px around each tick.
    const target = (await tick.locator('xpath=..').boundingBox())!;
    expect(target.width).toBeGreaterThanOrEqual(44);
    expect(target.height).toBeGreaterThanOrEqual(44);
  });
});
