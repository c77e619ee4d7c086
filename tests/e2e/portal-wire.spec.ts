import { expect, test } from '@playwright/test';
import { openDb } from '../../db/index.js';
import { dataDir, signIn } from './portal-helpers.js';

/**
 * A poor line and Mon dossier: one walk (one sign-in) through the single "Je valide mes
 * modifications", the warning before leaving unsaved edits, the offline banner, and removing
 * the old nanny's card.
 */

const OFFLINE = 'Pas de connexion internet : vos dernières modifications n’ont peut-être pas été enregistrées. Réessayez dès que le réseau revient.';

test('Mon dossier: one validation for all cards, a warning before leaving, offline, and removing a card', async ({ page, context }, testInfo) => {
  await signIn(page);
  // The portal's script arrives compressed and cached for a year.
  const script = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type="module"]')!.src);
  const asset = await page.request.get(script, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(asset.headers()['content-encoding']).toBe('br');
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');

  // The menu's own link (folded away on a phone, hence a dispatched click).
  await page.locator('#menu-principal a[href="/dossier"]').dispatchEvent('click');
  await expect(page.getByRole('heading', { level: 1, name: 'Mon dossier' })).toBeVisible();
  const mother = page.getByRole('region', { name: 'MERE > DEVRET Chantal' });
  await expect(mother).toBeVisible();
  const validate = page.getByRole('button', { name: 'Je valide mes modifications' });
  await expect(validate).toHaveCount(1);
  const actions = page.locator('.dossier-actions');

  // A new card and a change on the mother's card, sent by one tap.
  const nanny = `Nadia${testInfo.project.name === 'mobile' ? 'm' : 'd'}`;
  await page.getByRole('button', { name: 'Ajouter une fiche' }).click();
  const fresh = page.getByRole('region', { name: 'Nouvelle fiche' });
  await expect(fresh.getByLabel('Lien avec l’enfant')).toBeFocused();
  await fresh.getByLabel('Nom', { exact: true }).fill('Bernard');
  await fresh.getByLabel('Prénom', { exact: true }).fill(nanny);
  await fresh.getByLabel('TÉL (mob)', { exact: true }).fill('06 11');
  const note = mother.getByLabel('Note pratique');
  const originalNote = await note.inputValue();
  await note.fill('Appeler après 17 h');
  await expect(page.getByTestId('dossier-pending')).toHaveText('2 fiches modifiées, pas encore enregistrées.');

  // Leaving by the menu with unsaved edits asks first; "Annuler" keeps the page and the edits.
  const menuLink = page.locator('#menu-principal a[href="/planning"]');
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await menuLink.dispatchEvent('click');
  expect(asked).toContain('ne sont pas enregistrées');
  await expect(page).toHaveURL(/\/dossier$/);
  await expect(note).toHaveValue('Appeler après 17 h');

  // A mistake on the new card: nothing is sent, the field says why and has the focus.
  await validate.click();
  await expect(fresh.getByText('TÉL (mob) : numéro de téléphone invalide')).toBeVisible();
  await expect(fresh.getByLabel('TÉL (mob)', { exact: true })).toBeFocused();
  await fresh.getByLabel('TÉL (mob)', { exact: true }).fill('0611223344');

  // The network goes: one polite banner, the edits stay on the page.
  await context.setOffline(true);
  await validate.click();
  await expect(page.getByTestId('offline-banner')).toHaveText(OFFLINE);
  await expect(actions.getByRole('alert')).toContainText('Connexion au serveur impossible');
  await expect(note).toHaveValue('Appeler après 17 h');
  await context.setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveText('');

  await validate.click();
  await expect(actions.getByText('Vos modifications sont enregistrées (2 fiches).')).toBeVisible();
  const saved = page.getByRole('region', { name: `NOUNOU > BERNARD ${nanny}` });
  await expect(saved.getByLabel('TÉL (mob)', { exact: true })).toHaveValue('06 11 22 33 44');
  await expect(page.getByTestId('dossier-pending')).toHaveCount(0);
  // No phone scrolls sideways on this page.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);

  // Removing the card asks in words first; "Non, la garder" keeps it.
  await saved.getByRole('button', { name: 'Supprimer cette fiche' }).click();
  await expect(saved.getByText(`Supprimer la fiche NOUNOU > BERNARD ${nanny} ?`)).toBeFocused();
  await saved.getByRole('button', { name: 'Non, la garder' }).click();
  await saved.getByRole('button', { name: 'Supprimer cette fiche' }).click();
  await saved.getByRole('button', { name: 'Oui, supprimer cette fiche' }).click();
  await expect(saved).toHaveCount(0);
  await expect(page.getByTestId('live-status')).toHaveText(`La fiche NOUNOU > BERNARD ${nanny} est supprimée.`);

  // The mother's card holds the portal account: refused, in words, next to the card.
  await mother.getByRole('button', { name: 'Supprimer cette fiche' }).click();
  await mother.getByRole('button', { name: 'Oui, supprimer cette fiche' }).click();
  await expect(mother.getByRole('alert')).toContainText('liée à un compte du portail');

  // The secretariat's trail: the whole removed card, flagged for review.
  const db = openDb({ dataDir });
  try {
    const row = await db('audit_log').where({ action: 'contact.delete', actor_kind: 'parent', needs_review: true }).orderBy('id', 'desc').first();
    expect(JSON.parse(row.before_json)).toMatchObject({ relationship: 'NOUNOU', lastName: 'BERNARD', firstName: nanny, mobile: '06 11 22 33 44' });
  } finally {
    await db.destroy();
  }

  // Put the demo note back, then the page may be left without a question.
  await page.reload();
  await page.getByRole('region', { name: 'MERE > DEVRET Chantal' }).getByLabel('Note pratique').fill(originalNote);
  await validate.click();
  await expect(actions.getByText(/Vos modifications sont enregistrées|Aucune modification/)).toBeVisible();
  await menuLink.dispatchEvent('click');
  await expect(page).toHaveURL(/\/planning$/);
});
