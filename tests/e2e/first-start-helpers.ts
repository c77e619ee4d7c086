import { expect, type Page } from '@playwright/test';

/**
 * The setup ("Mise en service") walked as a mairie would, step by step, for the first-start
 * spec and the walks that build on it (import, a parent's booking).
 */
export interface SetupOptions {
  commune?: { name?: string; department?: string; address?: string; service?: string; email?: string; phone?: string; regie?: string; regisseur?: string };
  admin?: { username?: string; displayName?: string; password?: string };
  /** Activities of the template to untick, by name ("Bus"). */
  skipActivities?: string[];
  /** New prices typed over the template's, by activity name: { Cantine: '3,20' }. */
  prices?: Record<string, string>;
  schools?: Array<{ name: string; kind: 'Maternelle' | 'Élémentaire' }>;
  /** The one-time code, when the page asks for it (another machine than the server). */
  code?: string;
}

export const DEFAULT_SETUP = {
  commune: { name: 'Saint-Exemple', department: 'Gironde', address: 'Mairie\n1 place de la République\n33000 Saint-Exemple', service: 'Service enfance', email: 'enfance@saint-exemple.fr', phone: '05 56 00 00 00', regie: 'Régie périscolaire', regisseur: 'Anne Roux, régisseuse' },
  admin: { username: 'anne.roux', displayName: 'Anne Roux', password: 'girafe-crayon-tempête' },
  schools: [
    { name: 'École maternelle Les Tilleuls', kind: 'Maternelle' },
    { name: 'École élémentaire Victor Hugo', kind: 'Élémentaire' },
  ],
} as const;

const next = (page: Page) => page.getByRole('button', { name: 'Suivant' }).click();
const stepHeading = (page: Page, name: string) => expect(page.getByRole('heading', { level: 2, name })).toBeVisible();

/** Runs the whole setup from /staff/ and ends on the console's sign-in. Returns the admin's credentials. */
export async function completeSetup(page: Page, baseUrl: string, options: SetupOptions = {}): Promise<{ username: string; password: string }> {
  const commune = { ...DEFAULT_SETUP.commune, ...options.commune };
  const admin = { ...DEFAULT_SETUP.admin, ...options.admin };
  const schools = options.schools ?? DEFAULT_SETUP.schools;

  await page.goto(`${baseUrl}/staff/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Mise en service d’eTicket' })).toBeVisible();
  if (options.code) {
    await page.getByLabel('Code de mise en service').fill(options.code);
    await page.getByRole('button', { name: 'Continuer' }).click();
  }

  await stepHeading(page, 'Commune');
  await page.getByLabel('Nom de la commune').fill(commune.name);
  await page.getByLabel('Département').fill(commune.department);
  await page.getByLabel('Adresse de la mairie (une ligne par ligne postale)').fill(commune.address);
  await page.getByLabel('Service', { exact: true }).fill(commune.service);
  await page.getByLabel('Mél du service').fill(commune.email);
  await page.getByLabel('Téléphone du service').fill(commune.phone);
  await page.getByLabel('Régie', { exact: true }).fill(commune.regie);
  await page.getByLabel('Régisseur').fill(commune.regisseur);
  await next(page);

  await stepHeading(page, 'Premier administrateur');
  await page.getByLabel('Identifiant').fill(admin.username);
  await page.getByLabel('Nom', { exact: true }).fill(admin.displayName);
  await page.getByLabel('Mot de passe', { exact: true }).fill(admin.password);
  await page.getByLabel('Confirmer le mot de passe').fill(admin.password);
  await next(page);

  await stepHeading(page, 'Activités');
  for (const name of options.skipActivities ?? []) await page.getByRole('checkbox', { name: `Proposer « ${name} »` }).uncheck();
  for (const [name, price] of Object.entries(options.prices ?? {})) {
    await page.getByRole('group', { name, exact: true }).getByLabel('Prix (€)').fill(price);
  }
  await next(page);

  await stepHeading(page, 'Écoles');
  for (const [i, s] of schools.entries()) {
    if (i > 0) await page.getByRole('button', { name: 'Ajouter une école' }).click();
    await page.getByLabel(`École ${i + 1} : nom`).fill(s.name);
    await page.getByLabel(`École ${i + 1} : type`).selectOption({ label: s.kind });
  }
  await page.getByRole('button', { name: 'Terminer la mise en service' }).click();
  await expect(page.getByText('Mise en service terminée : connectez-vous avec votre compte administrateur.')).toBeVisible();
  return { username: admin.username, password: admin.password };
}

/** Signs a staff account in on the console of `baseUrl`. */
export async function signInStaff(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  if (!page.url().startsWith(`${baseUrl}/staff`)) await page.goto(`${baseUrl}/staff/`);
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
}
