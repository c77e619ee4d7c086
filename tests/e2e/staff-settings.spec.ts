/**
 * "Paramètres" (admin): the commune's identity is edited from a screen, refused next to its
 * field in French, and then names the sign-in card (the papers: core/commune.test.ts). The demo's identity is put
 * back at the end, since the other specs read its name. Then Portail (the welcome text on the
 * portal's sign-in page) and Messagerie (a test mail to a real SMTP server started here), each
 * put back in a finally.
 */
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import type { CommuneIdentity } from '../../api/commune.js';
import type { PortalSettingsView, SmtpScreenView } from '../../api/settings-screens.js';
import { signIn } from './staff-helpers.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('l’admin renomme la commune : erreur à côté du champ, puis la connexion à son nom', async ({ page }) => {
  await signIn(page, 'admin');
  const demo = (await (await page.request.get('/api/staff/settings/commune')).json()) as CommuneIdentity;
  try {
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await expect(page.getByRole('heading', { name: 'Commune' })).toBeVisible();
    const name = page.getByLabel('Nom de la commune');
    await expect(name).toHaveValue(demo.name);

    await name.fill('Saint-Exemple');
    await page.getByLabel('Mél du service').fill('enfance@');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    const emailField = page.locator('[data-field="email"]');
    await expect(emailField).toBeFocused();
    await expect(page.getByText(/Mél : adresse e-mail invalide/)).toBeVisible();
    expect(((await (await page.request.get('/api/public/commune')).json()) as CommuneIdentity).name).toBe(demo.name); // nothing saved

    await page.getByLabel('Mél du service').fill('enfance@saint-exemple.fr');
    await page.getByLabel('Département').fill('Gironde');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText(/Identité de la commune enregistrée/)).toBeVisible();
    await expect(page.getByText(/Mél : adresse e-mail invalide/)).toHaveCount(0);

    // The sign-in card too.
    await page.context().clearCookies();
    await page.goto('/staff/');
    await expect(page.getByText('Console du secrétariat — Saint-Exemple')).toBeVisible();
  } finally {
    const login = await page.request.post('/api/auth/staff/login', { data: { username: 'admin', password: 'eticket-demo' } });
    const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
    expect((await page.request.put('/api/staff/settings/commune', { data: demo, headers })).status()).toBe(200);
  }
});

/** The admin's API session for putting the demo back (the page's own may have been signed out). */
async function adminHeaders(page: Page): Promise<Record<string, string>> {
  const login = await page.request.post('/api/auth/staff/login', { data: { username: 'admin', password: 'eticket-demo' } });
  return { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
}

test('Portail : l’admin règle l’adresse et le texte d’accueil, que la page de connexion du portail affiche', async ({ page, baseURL }) => {
  await signIn(page, 'admin');
  const before = (await (await page.request.get('/api/staff/settings/portal')).json()) as PortalSettingsView;
  try {
    await page.goto('/staff/parametres');
    const sections = page.getByRole('navigation', { name: 'Sections des paramètres' });
    // By keyboard: to the "Portail" link, Entrée, and the section's title has the focus.
    await sections.getByRole('link', { name: 'Portail' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: 'Portail' })).toBeFocused();
    await expect(sections.getByRole('link', { name: 'Portail' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Horizon de réservation' })).toBeVisible();

    await page.getByLabel('Adresse publique du portail').fill('portail.saint-exemple');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator('[data-field="publicUrl"]')).toBeFocused();
    await expect(page.getByText(/Adresse publique du portail : une adresse commençant par https:\/\//)).toBeVisible();

    await page.getByLabel('Adresse publique du portail').fill(baseURL!);
    await page.getByLabel('Seuil d’alerte par défaut (€)').fill('12,50');
    await page.getByLabel('Texte d’accueil de la page de connexion').fill('Bienvenue !\n<b>Inscriptions</b> avant le 15 septembre.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText('Réglages du portail enregistrés.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Seuil d’alerte par défaut (€)')).toHaveValue('12,50');

    const portal = await page.context().browser()!.newPage();
    try {
      await portal.goto('/connexion');
      const welcome = portal.getByTestId('welcome-text');
      await expect(welcome).toContainText('<b>Inscriptions</b> avant le 15 septembre.');
      await expect(welcome.locator('b')).toHaveCount(0);
    } finally {
      await portal.close();
    }
  } finally {
    const { publicUrl, lowBalanceThresholdCents, welcomeText } = before;
    const res = await page.request.put('/api/staff/settings/portal', { data: { publicUrl, lowBalanceThresholdCents, welcomeText }, headers: await adminHeaders(page) });
    expect(res.status()).toBe(200);
  }
});

test('Messagerie : l’admin règle le serveur, envoie un e-mail de test, et le mot de passe ne revient jamais', async ({ page }) => {
  const received: string[] = [];
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _s, cb) => (auth.username === 'eticket' && auth.password === 'smtp-e2e-secret' ? cb(null, { user: 'eticket' }) : cb(new Error('Identifiants refusés'))),
    onData(stream, session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  await signIn(page, 'admin');
  const before = (await (await page.request.get('/api/staff/settings/smtp')).json()) as SmtpScreenView;
  try {
    await page.goto('/staff/parametres?section=messagerie');
    await expect(page.getByRole('heading', { level: 2, name: 'Messagerie' })).toBeVisible();
    await page.getByLabel('Serveur SMTP').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByLabel('Chiffrement').selectOption('none');
    await page.getByLabel('Compte', { exact: true }).fill('eticket');
    await page.getByLabel('Mot de passe du compte').fill('smtp-e2e-secret');
    await page.getByLabel('Adresse d’expédition').fill('ne-pas-repondre@');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText(/Adresse d’expédition : adresse e-mail invalide/)).toBeVisible();
    await page.getByLabel('Adresse d’expédition').fill('ne-pas-repondre@saint-exemple.fr');
    await page.getByLabel('Nom de l’expéditeur').fill('Mairie de Saint-Exemple');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText('Réglages de messagerie enregistrés.')).toBeVisible();

    await page.getByLabel('Destinataire').fill('secretaire@saint-exemple.fr');
    await page.getByRole('button', { name: 'Envoyer un e-mail de test' }).click();
    await expect(page.getByText(/E-mail de test remis au serveur 127\.0\.0\.1:\d+ pour secretaire@saint-exemple\.fr/)).toBeVisible();
    expect(received).toContain('secretaire@saint-exemple.fr');

    await page.reload();
    await expect(page.getByLabel('Serveur SMTP')).toHaveValue('127.0.0.1');
    await expect(page.getByLabel('Mot de passe du compte')).toHaveValue('');
    await expect(page.getByText(/laisser vide pour garder le mot de passe actuel/)).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain('smtp-e2e-secret');

    // The server gone: "ne répond pas", in French, next to the button.
    await new Promise<void>((r) => smtp.close(() => r()));
    await page.getByRole('button', { name: 'Envoyer un e-mail de test' }).click();
    await expect(page.getByText(/ne répond pas ou refuse la connexion/)).toBeVisible();
  } finally {
    smtp.close(() => {});
    const { host, port: p, tls, user, fromAddress, fromName, hasPassword } = before;
    const data = { host, port: p, tls, user, fromAddress, fromName, password: '', clearPassword: !hasPassword };
    const res = await page.request.put('/api/staff/settings/smtp', { data, headers: await adminHeaders(page) });
    expect(res.status(), await res.text()).toBe(200);
  }
});
