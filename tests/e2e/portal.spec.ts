/**
 * The parents' portal, walked by chantal.devret in Chromium at desktop width and at 360 px
 * (every test is tagged @mobile, so both projects run it). The server is the real one, on a
 * fresh demo database (playwright.config.ts); checks that need the database read it from
 * ETICKET_E2E_DATA_DIR.
 */
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { openDb } from '../../db/index.js';
import { pdfToText } from '../../core/pdf/pdf-text.js';
import { cents, dataDir, goToWeekWithOpenCantine, restaurationBalance, signIn, waitForGrid } from './portal-helpers.js';

test.describe('portail des familles @mobile', () => {
  test('signs in, sees the guide’s menu, and signs out', async ({ page }) => {
    await page.goto('/factures');
    await expect(page).toHaveURL(/\/connexion\?retour=%2Ffactures/);
    // Nothing typed: each field says what it lacks, next to it, and the first one has the focus.
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByText('Saisissez votre identifiant.')).toBeVisible();
    await expect(page.getByText('Saisissez votre mot de passe.')).toBeVisible();
    await expect(page.getByLabel('Identifiant')).toBeFocused();
    await page.getByLabel('Identifiant').fill('chantal.devret');
    // The password can be shown to check it, then hidden again.
    const password = page.getByLabel('Mot de passe', { exact: true });
    await page.getByRole('button', { name: 'Afficher le mot de passe' }).click();
    await expect(password).toHaveAttribute('type', 'text');
    await page.getByRole('button', { name: 'Masquer le mot de passe' }).click();
    await expect(password).toHaveAttribute('type', 'password');
    await page.getByLabel('Mot de passe', { exact: true }).fill('mauvais-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Identifiant ou mot de passe incorrect' })).toBeVisible();
    await page.getByLabel('Mot de passe', { exact: true }).fill('eticket-demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/factures$/);

    const menuToggle = page.getByRole('button', { name: 'Menu' });
    if (await menuToggle.isVisible()) await menuToggle.click(); // phones: the menu folds under a button
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    for (const label of ['Mon Planning', 'Mes factures', 'Mon dossier', 'Mes documents', 'Informations', 'Messages']) {
      await expect(menu.getByRole('link', { name: new RegExp(`^${label}`) })).toBeVisible();
    }
    await menu.getByRole('link', { name: 'Mon dossier' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mon dossier' })).toBeVisible();
    await expect(page).toHaveTitle(/Mon dossier/);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect(page).toHaveURL(/\/connexion/);
    await page.goto('/planning');
    await expect(page).toHaveURL(/\/connexion/);
  });

  test('books Julia’s Cantine on an open day: orange check survives a reload, balance lowered; cancels and is refunded', async ({ page, isMobile }) => {
    await signIn(page);
    await waitForGrid(page);
    // On a phone the guide's sentence sits in the folded legend, the cards saying each state in words.
    if (isMobile) await page.getByText('Légende', { exact: true }).click();
    await expect(page.getByText('La coche orange indique que votre demande est validée.', { exact: false }).first()).toBeVisible();
    await goToWeekWithOpenCantine(page);

    const open = page.getByRole('button', { name: /^Réserver Cantine pour Julia le / }).first();
    // The price: in the row header of Julia's table, or on the toggle's row of a day card (phone).
    const julia = page.locator('section.child-planning').filter({ has: page.getByRole('heading', { name: 'Julia' }) });
    const price = cents(await (isMobile ? open.locator('xpath=..').locator('.day-row-price') : julia.getByRole('rowheader', { name: /^Cantine/ })).innerText());
    expect(price).toBeGreaterThan(0);
    const before = await restaurationBalance(page);

    const day = (await open.getAttribute('aria-label'))!.replace('Réserver Cantine pour Julia le ', '');
    await open.click();
    const booked = page.getByRole('button', { name: `Annuler Cantine pour Julia le ${day}` });
    await expect(booked).toHaveAttribute('data-state', 'booked');
    await expect(page.getByTestId('live-status')).toHaveText(`Cantine réservée pour Julia le ${day}.`);
    await expect.poll(() => restaurationBalance(page)).toBe(before - price);
    // The orange check is the booked icon.
    await expect(booked.locator('svg.icon-booked')).toBeVisible();
    expect(await booked.locator('svg.icon-booked').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(194, 65, 12)');

    await page.reload();
    await waitForGrid(page);
    await expect(page.getByRole('button', { name: `Annuler Cantine pour Julia le ${day}` })).toHaveAttribute('data-state', 'booked');
    expect(await restaurationBalance(page)).toBe(before - price);

    await page.getByRole('button', { name: `Annuler Cantine pour Julia le ${day}` }).click();
    await expect(page.getByRole('button', { name: `Réserver Cantine pour Julia le ${day}` })).toHaveAttribute('data-state', 'open');
    await expect.poll(() => restaurationBalance(page)).toBe(before);
  });

  test('finds the past days locked', async ({ page, isMobile }) => {
    await signIn(page);
    await waitForGrid(page);
    const title = await page.locator('.week-title').innerText();
    await page.getByRole('button', { name: 'semaine précédente' }).click();
    await expect(page.locator('.week-title')).not.toHaveText(title);
    await waitForGrid(page);
    // Last week: nothing can be booked or cancelled any more.
    await expect(page.getByRole('button', { name: /^(Réserver|Annuler) (?!toutes les activités).* pour Julia le / })).toHaveCount(0);
    if (isMobile) {
      // Day cards: each locked row says why in words.
      const locked = page.locator('.day-card li[data-state="locked"], .day-card li[data-state="booked_locked"]');
      expect(await locked.count()).toBeGreaterThan(0);
      await expect(locked.first()).toContainText(/Inscrit|Non inscrit/);
      await expect(locked.first().locator('.day-row-reason')).not.toBeEmpty();
    } else {
      const locked = page.getByRole('img', { name: /pour Julia le .* : (non inscrit, inscription close|inscrit, désinscription close)/ });
      expect(await locked.count()).toBeGreaterThan(0);
    }
  });

  test('applies a template week to Louis’s Garderie soir', async ({ page }, testInfo) => {
    await signIn(page);
    await waitForGrid(page);
    await page.getByRole('button', { name: 'semaine type : Garderie soir pour Louis' }).click();
    const dialog = page.getByRole('dialog', { name: 'Semaine type — Garderie soir pour Louis' });
    await expect(dialog).toBeVisible();
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) {
      const box = dialog.getByRole('checkbox', { name: day });
      if (day === 'lundi' || day === 'jeudi') await box.check();
      else await box.uncheck();
    }
    const from = await dialog.getByLabel('Du').inputValue();
    const toDate = new Date(`${from}T00:00:00Z`);
    toDate.setUTCDate(toDate.getUTCDate() + 27);
    const to = toDate.toISOString().slice(0, 10);
    await dialog.getByLabel('Au').fill(to);
    await expect(dialog.getByTestId('batch-preview')).not.toHaveAttribute('aria-busy', 'true');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.notice').filter({ hasText: /réservation|Aucun changement/ }).first()).toBeVisible();

    const db = openDb({ dataDir });
    try {
      const rows: Array<{ date: string }> = await db('bookings as b')
        .join('children as c', 'c.id', 'b.child_id')
        .join('activities as a', 'a.id', 'b.activity_id')
        .where({ 'c.first_name': 'Louis', 'a.name': 'Garderie soir', 'b.status': 'booked' })
        .whereBetween('b.date', [from, to])
        .select('b.date');
      const weekdays = new Set(rows.map((r) => new Date(`${r.date}T00:00:00Z`).getUTCDay()));
      testInfo.annotations.push({ type: 'template', description: `${rows.length} jours réservés du ${from} au ${to}` });
      expect(rows.length).toBeGreaterThan(0);
      expect([...weekdays].every((d) => d === 1 || d === 4)).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  test('je gère mes abonnements: subscribes Margot to Garderie matin on Mondays, then stops it', async ({ page }) => {
    await signIn(page);
    await waitForGrid(page);
    await page.getByRole('button', { name: 'je gère mes abonnements pour Margot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Abonnements de Margot' });
    await expect(dialog).toBeVisible();
    // Leftovers of the other project's run: stop them first.
    while ((await dialog.getByRole('button', { name: /^Arrêter l’abonnement/ }).count()) > 0) {
      await dialog.getByRole('button', { name: /^Arrêter l’abonnement/ }).first().click();
      await expect(dialog.locator('.notice-success')).toContainText('arrêté');
    }
    await dialog.getByLabel('Activité').selectOption({ label: 'Garderie matin' });
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) {
      const box = dialog.getByRole('checkbox', { name: day });
      if (day === 'lundi') await box.check();
      else await box.uncheck();
    }
    await expect(dialog.getByTestId('batch-preview')).toContainText(/sur Accueil périscolaire|Aucun changement/);
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await expect(dialog.locator('.notice-success')).toContainText('Abonnement Garderie matin enregistré pour Margot');
    await expect(dialog.getByText(/Garderie matin — lundi, du/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Arrêter l’abonnement Garderie matin' }).click();
    await expect(dialog.locator('.notice-success')).toContainText('arrêté');
    await expect(dialog.getByText('Aucun abonnement en cours.')).toBeVisible();
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await expect(dialog).toBeHidden();
  });

  test('downloads an invoice PDF and a monthly statement, and reads their text', async ({ page }) => {
    // The demo's counter sales each left a paid invoice in Mes factures.
    const db = openDb({ dataDir });
    let number: string;
    try {
      const family: { family_id: number } = await db('parent_accounts').where('username', 'chantal.devret').first('family_id');
      const invoice: { number: string } | undefined = await db('invoices').where({ family_id: family.family_id, status: 'paid' }).orderBy('id').first('number');
      expect(invoice, 'la démo doit contenir une facture acquittée').toBeTruthy();
      number = invoice!.number;
    } finally {
      await db.destroy();
    }

    await signIn(page);
    await page.goto('/factures');
    await expect(page.getByRole('heading', { level: 1, name: 'Mes factures' })).toBeVisible();
    const link = page.getByRole('link', { name: `Téléchargement de la facture ${number}` });
    await expect(link).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^Facture.*\.pdf$/);
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfToText(bytes);
    expect(text).toContain('Commune de Port-Sainte-Foy-et-Ponchapt');
    expect(text).toContain(`Facture ${number}`);
    expect(text).toMatch(/Total\s+\d[\d ]*,\d{2} €/);

    const statement = page.getByRole('link', { name: /^Téléchargement du relevé de / }).first();
    const [statementDownload] = await Promise.all([page.waitForEvent('download'), statement.click()]);
    const statementText = await pdfToText(fs.readFileSync((await statementDownload.path())!));
    expect(statementText).toMatch(/Relevé de compte — \S+ \d{4}/);
    expect(statementText).toContain('Solde en fin de mois');
  });

  test('edits a phone number in Mon dossier and sees it saved; a wrong number is refused', async ({ page }) => {
    await signIn(page);
    await page.goto('/dossier');
    const card = page.getByRole('region', { name: 'MERE > DEVRET Chantal' });
    await expect(card).toBeVisible();
    for (const label of ['Nom', 'Prénom', 'Adresse ligne 1', 'Adresse ligne 2', 'Adresse ligne 3', 'Code postal', 'Ville', 'Tél.', 'TÉL (mob)', 'Tél travail', 'Tél travail (mob)', 'Mél', 'Note pratique']) {
      await expect(card.getByLabel(label, { exact: true })).toBeVisible();
    }
    for (const label of ['Utiliser cette adresse pour la facturation', 'Utiliser ces coordonnées en cas d’urgence', 'Est autorisé à récupérer l’enfant']) {
      await expect(card.getByRole('checkbox', { name: label })).toBeVisible();
    }
    const mobile = card.getByLabel('TÉL (mob)', { exact: true });
    const original = await mobile.inputValue();

    await mobile.fill('06 07 89');
    await page.getByRole('button', { name: 'Je valide mes modifications' }).click();
    await expect(card.getByText('TÉL (mob) : numéro de téléphone invalide')).toBeVisible();
    await expect(mobile).toBeFocused();

    await mobile.fill('0611223344');
    await page.getByRole('button', { name: 'Je valide mes modifications' }).click();
    await expect(page.locator('.dossier-actions').getByText('Vos modifications sont enregistrées.')).toBeVisible();
    await expect(mobile).toHaveValue('06 11 22 33 44');
    await page.reload();
    await expect(page.getByRole('region', { name: 'MERE > DEVRET Chantal' }).getByLabel('TÉL (mob)', { exact: true })).toHaveValue('06 11 22 33 44');

    // The secretariat sees the change.
    const db = openDb({ dataDir });
    try {
      const change = await db('audit_log').where({ action: 'contact.update', actor_kind: 'parent', needs_review: true }).orderBy('id', 'desc').first();
      expect(JSON.parse(change.after_json)).toMatchObject({ mobile: '06 11 22 33 44' });
    } finally {
      await db.destroy();
    }
    // Put the demo number back.
    const again = page.getByRole('region', { name: 'MERE > DEVRET Chantal' });
    await again.getByLabel('TÉL (mob)', { exact: true }).fill(original);
    await page.getByRole('button', { name: 'Je valide mes modifications' }).click();
    await expect(page.locator('.dossier-actions').getByText('Vos modifications sont enregistrées.')).toBeVisible();
  });

  test('uploads a PDF and sees it en attente; a 6 MB file and an .exe renamed .pdf are refused', async ({ page }, testInfo) => {
    await signIn(page);
    await page.goto('/documents');
    const title = `Attestation CAF (${testInfo.project.name})`;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

    await page.getByLabel('Intitulé du document').fill(title);
    await page.getByLabel('Concerne').selectOption({ label: 'Julia' });
    await page.getByLabel('Fichier').setInputFiles({ name: 'attestation-caf.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Envoyer le document' }).click();
    await expect(page.locator('.notice-success')).toContainText(`Document « ${title} » envoyé`);
    const item = page.locator('.doc-item').filter({ has: page.getByRole('heading', { name: title }) });
    await expect(item.getByText('En attente')).toBeVisible();

    const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
    big.write('%PDF-1.4', 0);
    await page.getByLabel('Intitulé du document').fill('Gros fichier');
    await page.getByLabel('Fichier').setInputFiles({ name: 'gros.pdf', mimeType: 'application/pdf', buffer: big });
    await page.getByRole('button', { name: 'Envoyer le document' }).click();
    await expect(page.getByTestId('upload-error')).toHaveText(/trop volumineux : 5 Mo au maximum/);

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00'), Buffer.alloc(4096, 0x41)]);
    await page.getByLabel('Intitulé du document').fill('Faux PDF');
    await page.getByLabel('Fichier').setInputFiles({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: exe });
    await page.getByRole('button', { name: 'Envoyer le document' }).click();
    await expect(page.getByTestId('upload-error')).toHaveText(/n’est pas un PDF, un JPEG ou un PNG/);
    await expect(page.getByRole('heading', { name: 'Faux PDF' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Gros fichier' })).toHaveCount(0);
  });

  test('reads the information pages and contacts, and asks a question in Messages', async ({ page }, testInfo) => {
    await signIn(page);
    await page.goto('/informations');
    await expect(page.getByRole('heading', { level: 1, name: 'Informations' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'scolaires@port-sainte-foy.info' }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: '05 53 22 24 13' }).first()).toBeVisible();

    await page.goto('/messages');
    const subject = `Question sur la cantine (${testInfo.project.name})`;
    await page.getByLabel('Objet').fill(subject);
    await page.getByLabel('Message', { exact: true }).fill('Bonjour, Julia peut-elle manger plus tôt le mercredi ?');
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect(page).toHaveURL(/conversation=\d+/);
    await expect(page.getByRole('heading', { level: 2, name: subject })).toBeVisible();
    await expect(page.locator('.message-list').getByText('Julia peut-elle manger plus tôt')).toBeVisible();
  });
});
