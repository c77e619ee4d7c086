/**
 * Accessibility of every screen of the staff console with axe-core: no serious or critical
 * violation (WCAG 2.1 A/AA rules and best practices), the same bar as the parents' portal.
 * It sells nothing and closes no day, so tests/e2e/staff.spec.ts finds the demo's counter as is;
 * first a parent leaves work for the secretariat (a document, a message, a new contact card),
 * so that the badges, the pending rows and the unread thread are on screen when axe looks.
 */
import AxeBuilder from '@axe-core/playwright';
import { PDFDocument } from 'pdf-lib';
import { expect, test, type Page } from '@playwright/test';

// Each screen is checked on its own: one failing screen does not hide the others' findings.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(async ({ playwright, baseURL }) => {
  const parent = await playwright.request.newContext({ baseURL });
  try {
    const login = await parent.post('/api/auth/parent/login', { data: { username: 'chantal.devret', password: 'eticket-demo' } });
    expect(login.status()).toBe(200);
    const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
    // A new worker (after a failed test) runs this again: once is enough.
    const existing = (await (await parent.get('/api/parent/documents')).json()) as { documents: Array<{ title: string }> };
    if (existing.documents.some((d) => d.title === 'Attestation CAF (accessibilité)')) return;
    const pdf = await PDFDocument.create();
    pdf.addPage([200, 200]).drawText('Attestation', { x: 20, y: 100, size: 14 });
    const upload = await parent.post('/api/parent/documents', {
      headers,
      multipart: { title: 'Attestation CAF (accessibilité)', file: { name: 'caf.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdf.save()) } },
    });
    expect(upload.status(), await upload.text()).toBe(201);
    const message = await parent.post('/api/parent/messages', { headers, data: { subject: 'Sortie scolaire de Louis', body: 'Louis mangera-t-il à la cantine jeudi ?' } });
    expect(message.status(), await message.text()).toBe(201);
    const card = {
      relationship: 'NOUNOU', lastName: 'MARTIN', firstName: 'Léa', address1: '', address2: '', address3: '', postalCode: '', city: '',
      phone: '', mobile: '06 12 34 56 78', workPhone: '', workMobile: '', email: '', note: 'Nounou le mercredi',
      useForBilling: false, emergencyContact: true, authorizedPickup: true,
    };
    const contact = await parent.post('/api/parent/contacts', { headers, data: card });
    expect(contact.status(), await contact.text()).toBe(201);
  } finally {
    await parent.dispose();
  }
});

/** Runs axe on the page as it stands and fails with the offending rules and nodes listed. */
async function checkAxe(page: Page, screen: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = blocking.flatMap((v) => [`${v.id} [${v.impact}] ${v.help}`, ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' > ')}`)]);
  expect(blocking, `${screen}\n${lines.join('\n')}`).toEqual([]);
}

async function signIn(page: Page, username: 'secretariat' | 'admin'): Promise<void> {
  await page.goto('/staff/');
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill('eticket-demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('navigation', { name: 'Menu principal' })).toBeVisible();
}

async function devretId(page: Page): Promise<number> {
  const res = await page.request.get('/api/staff/families/search?q=devret');
  expect(res.status()).toBe(200);
  const { hits } = (await res.json()) as { hits: Array<{ id: number; name: string }> };
  const devret = hits.find((h) => h.name === 'DEVRET');
  expect(devret).toBeTruthy();
  return devret!.id;
}

/** Opens a console screen through the menu, as an agent does, and waits for its title. */
async function openFromMenu(page: Page, link: string | RegExp, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: link }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

test.describe('accessibilité de la console', () => {
  test('connexion, vide puis avec une erreur', async ({ page }) => {
    await page.goto('/staff/');
    await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
    await checkAxe(page, 'connexion');
    await page.getByLabel('Identifiant').fill('secretariat');
    await page.getByLabel('Mot de passe').fill('pas-le-bon');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await checkAxe(page, 'connexion (erreur)');
  });

  test('Familles : recherche, puis le dossier DEVRET et chacun de ses onglets', async ({ page }) => {
    await signIn(page, 'secretariat');
    // The desk lands on « Tableau de bord » since issue 14.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /^Familles/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Familles' })).toBeVisible();
    await checkAxe(page, 'Familles');
    await page.getByRole('combobox', { name: 'Rechercher une famille' }).fill('dev');
    await expect(page.getByRole('option').first()).toContainText('DEVRET');
    await checkAxe(page, 'Familles (résultats)');
    await page.getByRole('button', { name: 'Nouvelle famille' }).click();
    await expect(page.getByRole('dialog', { name: 'Nouvelle famille' })).toBeVisible();
    await checkAxe(page, 'Familles (nouvelle famille)');
    await page.keyboard.press('Escape');

    const id = await devretId(page);
    await page.goto(`/staff/familles/${id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Famille DEVRET' })).toBeVisible();
    const tabs: Array<[string, () => Promise<void>]> = [
      ['Dossier', () => expect(page.getByRole('heading', { name: 'Enfants' })).toBeVisible()],
      ['Planning', () => expect(page.getByRole('table', { name: 'Planning de Louis' })).toBeVisible()],
      ['Porte-monnaie', () => expect(page.getByRole('heading', { name: 'Mouvements' })).toBeVisible()],
      ['Accès au portail', () => expect(page.getByRole('heading', { name: 'Accès au portail des familles' })).toBeVisible()],
      ['Documents', () => expect(page.getByRole('tabpanel')).toBeVisible()],
      ['Messages', () => expect(page.getByRole('tabpanel')).toBeVisible()],
      ['Modifications des parents', () => expect(page.getByRole('tabpanel')).toBeVisible()],
    ];
    for (const [tab, ready] of tabs) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await expect(page.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute('aria-selected', 'true');
      await ready();
      await checkAxe(page, `Famille DEVRET, onglet ${tab}`);
    }
    // The forms of the Dossier tab.
    await page.getByRole('tab', { name: 'Dossier' }).click();
    await page.getByRole('button', { name: 'Ajouter une fiche' }).click();
    await expect(page.getByRole('dialog', { name: 'Nouvelle fiche' })).toBeVisible();
    await checkAxe(page, 'Famille DEVRET, nouvelle fiche');
    await page.keyboard.press('Escape');
    await page.getByRole('row', { name: /^Louis/ }).getByRole('button', { name: 'Modifier' }).click();
    await expect(page.getByRole('dialog', { name: /^Louis/ })).toBeVisible();
    await checkAxe(page, 'Famille DEVRET, fiche de Louis');
    await page.keyboard.press('Escape');
    // The planning with the override switched on (the warning and the enabled locked cells).
    await page.getByRole('tab', { name: 'Planning' }).click();
    await expect(page.getByRole('table', { name: 'Planning de Louis' })).toBeVisible();
    await page.getByLabel('Dérogation aux dates limites').check();
    await expect(page.getByText(/Dérogation active/)).toBeVisible();
    await checkAxe(page, 'Famille DEVRET, planning avec dérogation');
    await page.getByRole('button', { name: 'Semaine type : Cantine pour Louis' }).click();
    await expect(page.getByRole('dialog', { name: 'Semaine type — Cantine pour Louis' })).toBeVisible();
    await checkAxe(page, 'Famille DEVRET, semaine type');
    await page.keyboard.press('Escape');
    // Writing to the family from its Messages tab.
    await page.getByRole('tab', { name: /^Messages/ }).click();
    await page.getByRole('button', { name: 'Écrire à la famille' }).click();
    await expect(page.getByRole('dialog', { name: 'Nouveau message à la famille DEVRET' })).toBeVisible();
    await checkAxe(page, 'Famille DEVRET, nouveau message');
    await page.keyboard.press('Escape');
  });

  test('Encaissement : choix de la famille, puis le formulaire par chèque', async ({ page }) => {
    await signIn(page, 'secretariat');
    await openFromMenu(page, 'Encaissement', 'Encaissement');
    await checkAxe(page, 'Encaissement');
    await page.goto(`/staff/encaissement?famille=${await devretId(page)}`);
    await expect(page.getByRole('heading', { name: /Famille DEVRET/ })).toBeVisible();
    await page.getByRole('radio', { name: 'Chèque' }).check();
    await expect(page.getByLabel('Numéro du chèque')).toBeVisible();
    await checkAxe(page, 'Encaissement (chèque)');
    await page.getByRole('radio', { name: 'Montant libre' }).check();
    await expect(page.getByLabel('Montant (€)')).toBeVisible();
    await checkAxe(page, 'Encaissement (montant libre)');
  });

  for (const [link, heading] of [
    ['Clôture de caisse', 'Clôture de caisse'],
    ['Pointage', 'Pointage'],
    ['Liste des repas du jour', 'Liste des repas du jour'],
    ['Exports Excel', 'Exports Excel'],
    ['Informations', 'Informations du portail'],
    ['Journal', 'Journal'],
  ] as const) {
    test(`écran ${String(heading)}`, async ({ page }) => {
      await signIn(page, 'secretariat');
      await openFromMenu(page, link, heading);
      await checkAxe(page, String(heading));
    });
  }

  test('Paramètres (admin) : chaque section', async ({ page }) => {
    await signIn(page, 'admin');
    await openFromMenu(page, 'Paramètres', 'Paramètres');
    const sections = page.getByRole('navigation', { name: 'Sections des paramètres' });
    for (const [link, ready] of [
      ['Commune', 'Nom de la commune'],
      ['Portail', 'Adresse publique du portail'],
      ['Paiement en ligne', 'Numéro client PayFiP'],
      ['Messagerie', 'Serveur SMTP'],
      ['Sécurité', 'Durée des connexions'],
    ] as const) {
      await sections.getByRole('link', { name: link }).click();
      await expect(page.getByRole('heading', { level: 2, name: link })).toBeFocused();
      await expect(page.getByText(ready).first()).toBeVisible();
      if (link === 'Paiement en ligne') await page.getByText('Réglages avancés').click();
      await checkAxe(page, `Paramètres › ${link}`);
    }
  });

  test('Documents : la liste en attente et le refus avec un commentaire', async ({ page }) => {
    await signIn(page, 'secretariat');
    await openFromMenu(page, /^Documents/, 'Documents déposés par les familles');
    const doc = page.getByRole('article', { name: 'Document Attestation CAF (accessibilité)' });
    await expect(doc).toBeVisible();
    await checkAxe(page, 'Documents');
    await doc.getByRole('button', { name: 'Refuser' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await checkAxe(page, 'Documents (refus)');
  });

  test('Messages : la boîte de réception et une conversation ouverte', async ({ page }) => {
    await signIn(page, 'secretariat');
    await openFromMenu(page, /^Messages/, 'Messages des familles');
    await checkAxe(page, 'Messages');
    await page.getByLabel('Afficher').selectOption('all');
    const first = page.getByRole('list', { name: 'Conversations' }).getByRole('link').first();
    await expect(first).toBeVisible();
    await first.click();
    await expect(page.getByRole('button', { name: 'Envoyer la réponse' })).toBeVisible();
    await checkAxe(page, 'Messages (conversation)');
    await page.getByRole('button', { name: 'Nouveau message' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau message à une famille' });
    await expect(dialog).toBeVisible();
    await checkAxe(page, 'Messages (nouveau message : choix de la famille)');
    await dialog.getByRole('combobox', { name: 'Famille' }).fill('devret');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Nouveau message à la famille DEVRET' }).getByLabel('Objet')).toBeVisible();
    await checkAxe(page, 'Messages (nouveau message à DEVRET)');
  });

  test('Activités et tarifs, Calendrier et Comptes, vus par l’administrateur', async ({ page }) => {
    await signIn(page, 'admin');
    await openFromMenu(page, 'Activités et tarifs', 'Activités et tarifs');
    await expect(page.getByRole('region', { name: 'Cantine' })).toBeVisible();
    await checkAxe(page, 'Activités et tarifs');
    await page.getByRole('region', { name: 'Cantine' }).getByRole('button', { name: 'Modifier' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await checkAxe(page, 'Activités et tarifs (modification de la Cantine)');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();

    await openFromMenu(page, 'Calendrier', /^Calendrier /);
    await expect(page.getByRole('heading', { name: 'Vacances et fermetures' })).toBeVisible();
    await checkAxe(page, 'Calendrier');

    await openFromMenu(page, 'Comptes', 'Comptes des agents');
    await expect(page.getByRole('cell', { name: 'secretariat' })).toBeVisible();
    await checkAxe(page, 'Comptes');
  });

  test('Activités et tarifs et Calendrier en consultation (secrétariat)', async ({ page }) => {
    await signIn(page, 'secretariat');
    await openFromMenu(page, 'Activités et tarifs', 'Activités et tarifs');
    await expect(page.getByRole('region', { name: 'Cantine' })).toBeVisible();
    await checkAxe(page, 'Activités et tarifs (secrétariat)');
    await openFromMenu(page, 'Calendrier', /^Calendrier /);
    await expect(page.getByRole('heading', { name: 'Vacances et fermetures' })).toBeVisible();
    await checkAxe(page, 'Calendrier (secrétariat)');
  });
});
