/**
 * "Paramètres" beyond the commune, over HTTP on a real SQLite database: Portail, Paiement en
 * ligne, Messagerie, Sécurité. Each card saves, reads back, refuses bad values in French next to
 * the field (nothing saved), is audited, never echoes a secret, and is the admin's alone. The
 * PayFiP test runs against the simulator (known / unknown numcli, a dead port, a hung service);
 * the test mail goes through a real in-process SMTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PayfipScreenView, PayfipTestResult, PortalSettingsView, PublicPortalTexts, SecuritySettings, SmtpScreenView, SmtpTestResult } from '../../api/settings-screens.js';
import { createPayfipClient } from '../../core/adapters/payfip-soap.js';
import { hashPassword } from '../../core/auth.js';
import { portsOf } from '../../core/context.js';
import type { PayfipEndpoint } from '../../core/ports.js';
import { getPayfipSettings } from '../../core/payfip/settings.js';
import { PAYFIP_TEST_TIMEOUT_MS, testPayfip } from '../../core/settings/payfip.js';
import { getSmtpSettings } from '../../core/mail/settings.js';
import { pdfToText } from '../support/pdf-text.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { startPayfipSimulator, type RunningSimulator } from '../../simulator/server.js';
import { Browser, PASSWORD, signedInStaff, startHarness, type Harness } from './harness.js';
import { canValidateXsd, deadPort, fieldOf, refusedToOthers, refusesAllBodies, startSmtp, validateBody, type ErrorAnswer } from './settings-support.js';


let t: TestDb;
let h: Harness;
let admin: Browser;
beforeEach(async () => {
  t = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash, email: 'chantal.devret@example.fr' });
  h = await startHarness({ db: t.db, clock: t.clock, config: { publicUrl: 'http://127.0.0.1:3000' } });
  admin = await signedInStaff(h, 'admin');
});
afterEach(async () => {
  await h.close();
});

const audits = (action: string) => t.db('audit_log').where('action', action).orderBy('id');

const refusesAll = (url: string, good: Record<string, unknown>, cases: Array<[string, unknown, RegExp]>, key: string) => refusesAllBodies({ db: t.db, admin }, url, good, cases, key);
const rolesRefused = (method: 'get' | 'put' | 'post', url: string, body: unknown = {}) => refusedToOthers(h, method, url, body);

// ---------------------------------------------------------------------------------------------

describe('Portail', () => {
  const good = { publicUrl: 'https://portail.saint-exemple.fr/', lowBalanceThresholdCents: 1500, welcomeText: 'Bienvenue sur le portail des familles.\nInscriptions avant le 15.' };

  it('saves the public address, threshold and welcome text; letters, mails and PayFiP use the address', async () => {
    const fresh = await admin.get<PortalSettingsView>('/api/staff/settings/portal');
    expect(fresh.body).toEqual({ publicUrl: '', lowBalanceThresholdCents: 1000, welcomeText: '', fallbackUrl: 'http://127.0.0.1:3000', effectiveUrl: 'http://127.0.0.1:3000' });
    const saved = await admin.put<PortalSettingsView>('/api/staff/settings/portal', good);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ publicUrl: 'https://portail.saint-exemple.fr', effectiveUrl: 'https://portail.saint-exemple.fr', lowBalanceThresholdCents: 1500 });
    expect((await admin.get<PortalSettingsView>('/api/staff/settings/portal')).body).toEqual(saved.body);

    // The welcome letter prints it.
    const account = `/api/staff/families/${t.ids.familyId}/portal-accounts/${t.ids.parentAccountId}`;
    const creds = await admin.post<{ temporaryPassword: string }>(`${account}/reset-password`, {});
    expect(creds.status, JSON.stringify(creds.body)).toBe(200);
    const letter = await admin.post(`${account}/welcome-letter`, { temporaryPassword: creds.body.temporaryPassword });
    expect(letter.status, JSON.stringify(letter.body)).toBe(200);
    const text = await pdfToText(letter.bytes!);
    expect(text).toContain('portail.saint-exemple.fr');
    expect(text).not.toContain('127.0.0.1');
    // The password-reset link and the message mail carry it.
    expect((await new Browser(h.url).post('/api/auth/password-reset/request', { identifier: 'chantal.devret' })).status).toBe(200);
    const reset = await t.db('mail_outbox').where('kind', 'password_reset').first('text_body');
    expect(reset.text_body).toContain('https://portail.saint-exemple.fr/reinitialisation?token=');
    const msg = await admin.post('/api/staff/messages', { familyId: t.ids.familyId, subject: 'Sortie', body: 'Bonjour, la sortie est confirmée.' });
    expect(msg.status, JSON.stringify(msg.body)).toBe(201);
    const mail = await t.db('mail_outbox').whereNot('kind', 'password_reset').orderBy('id', 'desc').first('text_body');
    expect(mail.text_body).toContain('https://portail.saint-exemple.fr');
    // PayFiP's return and notification addresses follow it.
    expect(await getPayfipSettings(t.db, {})).toMatchObject({ publicBaseUrl: 'https://portail.saint-exemple.fr', notificationBaseUrl: 'https://portail.saint-exemple.fr' });

    // A family created at the counter starts with the new threshold.
    const created = await admin.post<{ id: number }>('/api/staff/families', { name: 'NOUVELLE' });
    expect(created.status).toBe(201);
    expect((await t.db('families').where('id', created.body.id).first('low_balance_threshold_cents')).low_balance_threshold_cents).toBe(1500);

    const [row] = await audits('settings.portal');
    expect(JSON.parse(row.before_json)).toMatchObject({ publicUrl: '', lowBalanceThresholdCents: 1000 });
    expect(JSON.parse(row.after_json)).toMatchObject({ publicUrl: 'https://portail.saint-exemple.fr', lowBalanceThresholdCents: 1500 });
    const journal = await admin.get<{ rows: Array<{ actionLabel: string; changes: string[] }> }>('/api/staff/audit?action=settings.portal');
    expect(JSON.stringify(journal.body)).toContain('Réglages du portail modifiés');
    expect(JSON.stringify(journal.body)).toContain('Seuil d’alerte par défaut');
  });

  it('serves the welcome text to anyone, as plain text', async () => {
    const hostile = '<script>alert(1)</script>\u0007 Bonjour\r\nÀ bientôt';
    expect((await admin.put('/api/staff/settings/portal', { ...good, welcomeText: hostile })).status).toBe(200);
    const pub = await new Browser(h.url).get<PublicPortalTexts>('/api/public/portal');
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toMatch(/application\/json/);
    expect(pub.body).toEqual({ welcomeText: '<script>alert(1)</script> Bonjour\nÀ bientôt' });
  });

  it('refuses bad values in French next to the field, and writes nothing', async () => {
    await refusesAll('/api/staff/settings/portal', good, [
      ['publicUrl', 'portail.fr', /Adresse publique du portail.*https:\/\//],
      ['publicUrl', 'javascript:alert(1)', /Adresse publique du portail/],
      ['publicUrl', 'https://x.fr/?a=1', /Adresse publique du portail/],
      ['publicUrl', 42, /Adresse publique du portail/],
      ['lowBalanceThresholdCents', -1, /Seuil d’alerte par défaut/],
      ['lowBalanceThresholdCents', 12.5, /Seuil d’alerte par défaut/],
      ['lowBalanceThresholdCents', '10,00', /Seuil d’alerte par défaut/],
      ['lowBalanceThresholdCents', 1e9, /Seuil d’alerte par défaut/],
      ['welcomeText', 'x'.repeat(601), /Texte d’accueil : 600 caractères/],
      ['welcomeText', null, /Texte d’accueil/],
    ], 'portal');
    expect(await audits('settings.portal')).toHaveLength(0);
  });

  it('takes a double click as two saves of the same values', async () => {
    const both = await Promise.all([admin.put('/api/staff/settings/portal', good), admin.put('/api/staff/settings/portal', good)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await t.db('settings').where('key', 'portal').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect((await admin.get<PortalSettingsView>('/api/staff/settings/portal')).body.publicUrl).toBe('https://portail.saint-exemple.fr');
  });

  it('is the admin’s alone', async () => {
    await rolesRefused('get', '/api/staff/settings/portal');
    await rolesRefused('put', '/api/staff/settings/portal', good);
    expect(await t.db('settings').where('key', 'portal').first()).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

describe('Paiement en ligne', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1', clients: { '654321': 'Régie de Saint-Exemple' } });
  });
  afterAll(async () => {
    await sim.close();
  });
  const good = () => ({ numcli: '654321', saisie: 'X', serviceUrl: sim.serviceUrl, paymentPageUrl: '', notificationBaseUrl: '' });

  it('saves numcli, mode and the advanced addresses; empty addresses go back to the defaults', async () => {
    const saved = await admin.put<PayfipScreenView>('/api/staff/settings/payfip', good());
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ numcli: '654321', saisie: 'X', serviceUrl: sim.serviceUrl, paymentPageUrl: '' });
    expect(saved.body.effective).toMatchObject({ serviceUrl: sim.serviceUrl, paymentPageUrl: 'https://www.payfip.gouv.fr/tpa/paiementws.web' });
    expect((await admin.get<PayfipScreenView>('/api/staff/settings/payfip')).body).toEqual(saved.body);
    expect(await getPayfipSettings(t.db, {})).toMatchObject({ numcli: '654321', saisie: 'X', serviceUrl: sim.serviceUrl });

    const back = await admin.put<PayfipScreenView>('/api/staff/settings/payfip', { ...good(), serviceUrl: '' });
    expect(back.body.effective.serviceUrl).toBe('https://www.payfip.gouv.fr/tpa/services/securite');
    const rows = await audits('settings.payfip');
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1].after_json)).toMatchObject({ numcli: '654321', serviceUrl: '' });
  });

  it('“Tester” says in French whether PayFiP knows the number, and never fails the request', async () => {
    await admin.put('/api/staff/settings/payfip', good());
    const known = await admin.post<PayfipTestResult>('/api/staff/settings/payfip/test', {});
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ outcome: 'known', libelle: 'Régie de Saint-Exemple — Simulateur PayFiP' });
    expect(known.body.message).toMatch(/^PayFiP connaît le numéro client 654321 : « Régie de Saint-Exemple/);

    const unknown = await admin.post<PayfipTestResult>('/api/staff/settings/payfip/test', { numcli: '111111' });
    expect(unknown.status).toBe(200);
    expect(unknown.body.outcome).toBe('unknown');
    expect(unknown.body.message).toMatch(/^PayFiP ne connaît pas le numéro client 111111 \(R2 : Numéro client 111111 inconnu\.\)/);

    const bad = await admin.post<ErrorAnswer>('/api/staff/settings/payfip/test', { numcli: '12ab' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/6 chiffres/);

    // A dead port: PayFiP ne répond pas.
    await admin.put('/api/staff/settings/payfip', { ...good(), serviceUrl: `http://127.0.0.1:${await deadPort()}/tpa/services/securite` });
    const down = await admin.post<PayfipTestResult>('/api/staff/settings/payfip/test', {});
    expect(down.status).toBe(200);
    expect(down.body.outcome).toBe('unreachable');
    expect(down.body.message).toMatch(/^PayFiP ne répond pas à l’adresse http:\/\/127\.0\.0\.1:\d+/);

    // Maintenance (TechIndisponibiliteErreur) is not "unknown number".
    await admin.put('/api/staff/settings/payfip', good());
    sim.options.unavailable = true;
    try {
      const maintenance = await admin.post<PayfipTestResult>('/api/staff/settings/payfip/test', {});
      expect(maintenance.body.outcome).toBe('unreachable');
      expect(maintenance.body.message).toMatch(/^PayFiP est indisponible pour le moment/);
    } finally {
      sim.options.unavailable = false;
    }
  });

  it('gives up on a service that never answers within its timeout (10 s at most)', async () => {
    expect(PAYFIP_TEST_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
    const hung = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    try {
      await admin.put('/api/staff/settings/payfip', { ...good(), serviceUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/tpa` });
      const started = Date.now();
      const result = await testPayfip(t.ctx, t.actors.admin, {}, { timeoutMs: 300 });
      expect(result.outcome).toBe('unreachable');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((r) => hung.close(() => r()));
    }
  });

  it('sends a recupererDetailClient body that the DGFiP’s XSD accepts (where the XSD is shared)', async () => {
    await admin.put('/api/staff/settings/payfip', good());
    const exchanges: Array<{ request: string; response: string }> = [];
    const recording: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      const response = await res.text();
      exchanges.push({ request: String(init?.body ?? ''), response });
      return new Response(response, { status: res.status, headers: res.headers });
    };
    // The same SOAP adapter, over a fetch that keeps what goes by.
    const ports = { ...portsOf(t.ctx), payfip: (endpoint: PayfipEndpoint) => createPayfipClient({ ...endpoint, fetchImpl: recording }) };
    expect((await testPayfip({ ...t.ctx, ports }, t.actors.admin, {})).outcome).toBe('known');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.request).toContain('<numCli>654321</numCli>');
    if (canValidateXsd) {
      validateBody(exchanges[0]!.request, 'recupererDetailClient');
      validateBody(exchanges[0]!.response, 'recupererDetailClientResponse');
    }
  });

  it('refuses bad values in French next to the field; the admin’s alone', async () => {
    await refusesAll('/api/staff/settings/payfip', good(), [
      ['numcli', '12345', /Numéro client PayFiP : exactement 6 chiffres/],
      ['numcli', 123456, /Numéro client PayFiP/],
      ['saisie', 'Z', /Mode : test, activation ou production/],
      ['serviceUrl', 'ftp://payfip', /Adresse du service PayFiP/],
      ['paymentPageUrl', 'pas une adresse', /Adresse de la page de paiement/],
      ['notificationBaseUrl', 'http://a b', /Adresse de notification/],
    ], 'payfip');
    await rolesRefused('get', '/api/staff/settings/payfip');
    await rolesRefused('put', '/api/staff/settings/payfip', good());
    await rolesRefused('post', '/api/staff/settings/payfip/test', {});
    expect(await audits('settings.payfip')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Messagerie', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp({ rejectRecipient: 'inconnu@saint-exemple.fr' });
  });
  afterAll(async () => {
    await smtp.close();
  });
  const good = () => ({ host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'eticket', password: 'secret-smtp-123', fromAddress: 'ne-pas-repondre@saint-exemple.fr', fromName: 'Mairie de Saint-Exemple' });

  it('saves the server, never reads the password back, keeps it when left empty', async () => {
    const saved = await admin.put<SmtpScreenView & { password?: string; pass?: string }>('/api/staff/settings/smtp', good());
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'eticket', hasPassword: true, fromAddress: 'ne-pas-repondre@saint-exemple.fr', fromName: 'Mairie de Saint-Exemple' });
    const read = await admin.get<SmtpScreenView>('/api/staff/settings/smtp');
    expect(read.body).toEqual(saved.body);
    expect(JSON.stringify(read.body)).not.toContain('secret-smtp-123');
    expect(read.body.testAddress).toBe('enfance@saint-exemple.fr');
    expect(await getSmtpSettings(t.db, {})).toMatchObject({ pass: 'secret-smtp-123', from: '"Mairie de Saint-Exemple" <ne-pas-repondre@saint-exemple.fr>', ignoreTls: true, secure: false });

    // Empty password: the stored one stays.
    const again = await admin.put<SmtpScreenView>('/api/staff/settings/smtp', { ...good(), password: '', tls: 'starttls' });
    expect(again.body).toMatchObject({ hasPassword: true, tls: 'starttls' });
    expect((await getSmtpSettings(t.db, {})).pass).toBe('secret-smtp-123');
    // clearPassword forgets it.
    const cleared = await admin.put<SmtpScreenView>('/api/staff/settings/smtp', { ...good(), password: '', clearPassword: true, tls: 'tls', port: 465 });
    expect(cleared.body).toMatchObject({ hasPassword: false, tls: 'tls' });

    // The audit says the password changed, never what it is.
    const rows = await audits('settings.smtp');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(`${r.before_json}${r.after_json}`).not.toContain('secret-smtp-123');
    expect(JSON.parse(rows[0].after_json)).toMatchObject({ passwordChanged: true, hasPassword: true });
    expect(JSON.parse(rows[1].after_json).passwordChanged).toBeUndefined();
    expect(JSON.parse(rows[2].after_json)).toMatchObject({ passwordChanged: true, hasPassword: false });
    const journal = JSON.stringify((await admin.get('/api/staff/audit?action=settings.smtp')).body);
    expect(journal).toContain('Réglages de messagerie modifiés');
    expect(journal).not.toContain('secret-smtp-123');
  });

  it('sends a test mail through the saved settings and reports delivered, refused or unreachable in French', async () => {
    await admin.put('/api/staff/settings/smtp', good());
    const sent = await admin.post<SmtpTestResult>('/api/staff/settings/smtp/test', { to: 'secretaire@saint-exemple.fr' });
    expect(sent.status).toBe(200);
    expect(sent.body.outcome).toBe('delivered');
    expect(sent.body.message).toMatch(/^E-mail de test remis au serveur 127\.0\.0\.1:\d+ pour secretaire@saint-exemple\.fr/);
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['secretaire@saint-exemple.fr']);
    expect(mail.raw).toContain('Subject: eTicket : e-mail de test');
    expect(mail.raw).toMatch(/From: "Mairie de Saint-Exemple" <ne-pas-repondre@saint-exemple\.fr>/);
    // Not through the outbox.
    expect(await t.db('mail_outbox').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    const refused = await admin.post<SmtpTestResult>('/api/staff/settings/smtp/test', { to: 'inconnu@saint-exemple.fr' });
    expect(refused.body.outcome).toBe('refused');
    expect(refused.body.message).toMatch(/Boîte inconnue/);

    await admin.put('/api/staff/settings/smtp', { ...good(), password: 'mauvais' });
    const auth = await admin.post<SmtpTestResult>('/api/staff/settings/smtp/test', { to: 'secretaire@saint-exemple.fr' });
    expect(auth.body.outcome).toBe('refused');
    expect(auth.body.message).toMatch(/refusé l’identification/);
    expect(auth.body.message).not.toContain('mauvais');

    await admin.put('/api/staff/settings/smtp', { ...good(), port: await deadPort() });
    const down = await admin.post<SmtpTestResult>('/api/staff/settings/smtp/test', { to: 'secretaire@saint-exemple.fr' });
    expect(down.status).toBe(200);
    expect(down.body.outcome).toBe('unreachable');
    expect(down.body.message).toMatch(/ne répond pas ou refuse la connexion/);

    await admin.put('/api/staff/settings/smtp', { ...good(), host: '' });
    expect((await admin.post<SmtpTestResult>('/api/staff/settings/smtp/test', { to: 'a@b.fr' })).body.outcome).toBe('not_configured');
    const badTo = await admin.post<ErrorAnswer>('/api/staff/settings/smtp/test', { to: 'pas-une-adresse' });
    expect(badTo.status).toBe(400);
    expect(badTo.body.error.message).toMatch(/Destinataire : adresse e-mail invalide/);
  });

  it('refuses bad values in French next to the field; the admin’s alone', async () => {
    await refusesAll('/api/staff/settings/smtp', good(), [
      ['host', 'smtp serveur', /Serveur SMTP/],
      ['port', 0, /Port : un nombre entre 1 et 65535/],
      ['port', '587', /Port/],
      ['port', 70000, /Port/],
      ['tls', 'ssl', /Chiffrement : aucun, STARTTLS ou TLS/],
      ['fromAddress', 'mairie@', /Adresse d’expédition : adresse e-mail invalide/],
      ['fromName', 'Mairie "X" <y>', /Nom de l’expéditeur : sans guillemets/],
      ['password', 12, /Mot de passe/],
    ], 'smtp');
    await rolesRefused('get', '/api/staff/settings/smtp');
    await rolesRefused('put', '/api/staff/settings/smtp', good());
    await rolesRefused('post', '/api/staff/settings/smtp/test', { to: 'a@b.fr' });
    expect(await audits('settings.smtp')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Sécurité', () => {
  const good = { parentIdleMinutes: 30, parentAbsoluteMinutes: 8 * 60, staffIdleMinutes: 45, staffAbsoluteMinutes: 9 * 60 };

  it('saves the session lengths, which the next sign-ins and the running sessions follow', async () => {
    expect((await admin.get<SecuritySettings>('/api/staff/settings/security')).body).toEqual({ parentIdleMinutes: 120, parentAbsoluteMinutes: 720, staffIdleMinutes: 600, staffAbsoluteMinutes: 720 });
    const saved = await admin.put<SecuritySettings>('/api/staff/settings/security', good);
    expect(saved.status).toBe(200);
    expect((await admin.get<SecuritySettings>('/api/staff/settings/security')).body).toEqual(good);

    const parent = new Browser(h.url);
    const login = await parent.loginParent('chantal.devret');
    expect(login.headers.get('set-cookie')).toMatch(/Max-Age=28800/);
    t.clock.advanceMinutes(29);
    expect((await parent.get('/api/auth/me')).status).toBe(200);
    t.clock.advanceMinutes(29); // slid at the last request: 58 minutes in, 29 idle
    expect((await parent.get('/api/auth/me')).status).toBe(200);
    t.clock.advanceMinutes(31);
    expect((await parent.get('/api/auth/me')).status).toBe(401);

    // The admin's own session (signed in before the change) now ends after 45 idle minutes.
    t.clock.advanceMinutes(46);
    expect((await admin.get('/api/staff/settings/security')).status).toBe(401);

    const [row] = await audits('settings.security');
    expect(JSON.parse(row.before_json)).toMatchObject({ staffIdleMinutes: 600 });
    expect(JSON.parse(row.after_json)).toEqual(good);
  });

  it('reads the lengths with the session lookup: no extra query per request', async () => {
    await admin.put('/api/staff/settings/security', good);
    const queries: string[] = [];
    const listen = (q: { sql: string }) => queries.push(q.sql);
    t.db.on('query', listen);
    try {
      expect((await admin.get('/api/auth/me')).status).toBe(200);
    } finally {
      t.db.removeListener('query', listen);
    }
    expect(queries.filter((q) => /from [`"]settings[`"]/i.test(q) && !/join/i.test(q))).toEqual([]);
  });

  it('refuses lengths out of bounds in French next to the field; the admin’s alone', async () => {
    await refusesAll('/api/staff/settings/security', good, [
      ['parentIdleMinutes', 2, /Familles : inactivité : entre 5 min et 1 j/],
      ['staffIdleMinutes', 24 * 60 + 1, /Agents : inactivité : entre 5 min et 1 j/],
      ['staffAbsoluteMinutes', 8 * 24 * 60, /Agents : durée maximale : entre 30 min et 7 j/],
      ['parentAbsoluteMinutes', 20, /Familles : durée maximale/],
      ['staffIdleMinutes', 12.5, /Agents : inactivité : un nombre entier de minutes/],
      ['staffIdleMinutes', '45', /Agents : inactivité/],
    ], 'security');
    const shorter = await admin.put<ErrorAnswer>('/api/staff/settings/security', { ...good, parentIdleMinutes: 600, parentAbsoluteMinutes: 300 });
    expect(shorter.status).toBe(400);
    expect(shorter.body.error.message).toBe('Familles : la durée maximale ne peut être plus courte que l’inactivité.');
    expect(fieldOf(shorter.body)).toBe('parentAbsoluteMinutes');
    await rolesRefused('get', '/api/staff/settings/security');
    await rolesRefused('put', '/api/staff/settings/security', good);
    expect(await audits('settings.security')).toHaveLength(0);
  });
});
