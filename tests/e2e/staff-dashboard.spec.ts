/**
 * "Tableau de bord" and "Soldes et relances" in the staff console (desktop), against the real
 * server on the demo database: the secretariat lands on the board, whose figures equal the
 * database; from the negative-balance alert, "Envoyer la relance" (double-clicked) reminds the
 * page's negative families once; the mails reach an in-process SMTP server (set by the admin in
 * Messagerie) and the reminder shows on the family's file. The database is read back read-only.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { expect, request, test, type Page } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import type { SmtpScreenView } from '../../api/settings-screens.js';
import { formatEuros } from '../../api/format.js';
import { signIn } from './staff-helpers.js';

function rows<T>(sql: string, ...params: unknown[]): T[] {
  const conn = new Database(path.join(process.env.ETICKET_E2E_DATA_DIR!, 'eticket.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}
const one = <T>(sql: string, ...params: unknown[]): T => rows<T>(sql, ...params)[0]!;
const n = (sql: string, ...params: unknown[]) => Number(one<{ n: number | null }>(sql, ...params).n ?? 0);

const BALANCES = `SELECT s.balance, f.low_balance_threshold_cents AS threshold FROM
  (SELECT family_id, wallet_id, SUM(amount_cents) AS balance FROM ledger_entries GROUP BY family_id, wallet_id) s
  JOIN families f ON f.id = s.family_id WHERE f.active = 1 AND f.anonymised_at IS NULL`;

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
}

test('le tableau de bord égale la base ; une relance aux familles au solde négatif part une fois et s’inscrit au dossier', async ({ page, baseURL }) => {
  const received: string[] = [];
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;

  // The admin points Messagerie at it and makes one family with an address deeply negative.
  const admin = await request.newContext({ baseURL });
  const login = await admin.post('/api/auth/staff/login', { data: { username: 'admin', password: 'eticket-demo' } });
  const headers = { 'X-CSRF-Token': ((await login.json()) as { csrfToken: string }).csrfToken };
  const before = (await (await admin.get('/api/staff/settings/smtp')).json()) as SmtpScreenView;
  const family = one<{ id: number; name: string }>(
    `SELECT f.id, f.name FROM families f WHERE f.active = 1 AND f.anonymised_at IS NULL AND f.name <> 'DEVRET'
     AND EXISTS (SELECT 1 FROM contacts c WHERE c.family_id = f.id AND c.use_for_billing = 1 AND c.email <> '') ORDER BY f.id LIMIT 1`,
  );
  const wallet = one<{ id: number }>("SELECT id FROM wallets WHERE label = 'Restauration scolaire'");
  const balance = n('SELECT SUM(amount_cents) AS n FROM ledger_entries WHERE family_id = ? AND wallet_id = ?', family.id, wallet.id);
  const debit = -balance - 98_765;
  try {
    const saved = await admin.put('/api/staff/settings/smtp', {
      headers,
      data: { host: '127.0.0.1', port, tls: 'none', user: '', password: '', clearPassword: true, fromAddress: 'ne-pas-repondre@saint-exemple.fr', fromName: 'Mairie' },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    const adjusted = await admin.post(`/api/staff/families/${family.id}/adjustments`, { headers, data: { walletId: wallet.id, amountCents: debit, reason: 'Test des relances' } });
    expect(adjusted.status(), await adjusted.text()).toBe(201);

    // The desk's home, whose figures are the database's.
    await signIn(page, 'secretariat');
    await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const balances = rows<{ balance: number; threshold: number }>(BALANCES);
    const expected: Record<string, string> = {
      negativeBalances: String(balances.filter((b) => b.balance < 0).length),
      underThreshold: String(balances.filter((b) => b.balance < b.threshold).length),
      pendingDocuments: String(n("SELECT COUNT(*) AS n FROM documents WHERE status = 'pending'")),
      unreadMessages: String(n("SELECT COUNT(*) AS n FROM messages WHERE author_kind = 'parent' AND read_at IS NULL")),
      pendingChanges: String(n("SELECT COUNT(*) AS n FROM audit_log WHERE needs_review = 1 AND actor_kind = 'parent'")),
      onlinePaymentsPending: String(n("SELECT COUNT(*) AS n FROM online_payments WHERE status = 'pending'")),
      bookingsTodayTotal: String(n("SELECT COUNT(*) AS n FROM bookings WHERE date = ? AND status = 'booked'", today)),
      cashTotal: formatEuros(n('SELECT SUM(amount_cents) AS n FROM receipts WHERE business_date = ?', today)),
    };
    for (const [name, value] of Object.entries(expected)) await expect(page.locator(`[data-figure="${name}"] .figure-value`), name).toHaveText(value);
    await axe(page);

    // From the alert to the list of negative balances.
    await page.locator('[data-figure="negativeBalances"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Soldes et relances' })).toBeVisible();
    await expect(page.getByLabel('Soldes')).toHaveValue('negative');
    const table = page.locator('table.balances-table tbody tr');
    await expect(table.first()).toContainText(family.name);
    const shown = await table.count();
    await page.getByRole('checkbox', { name: 'Sélectionner toute la page' }).check();
    const remindersBefore = n('SELECT COUNT(*) AS n FROM family_reminders');
    await page.getByRole('button', { name: 'Envoyer la relance' }).dblclick();
    await expect(page.getByText(/relancées? par e-mail/)).toBeVisible();
    await axe(page);
    expect(n('SELECT COUNT(*) AS n FROM family_reminders') - remindersBefore).toBe(shown);
    expect(n('SELECT COUNT(DISTINCT batch_key) AS n FROM family_reminders WHERE sent_at >= (SELECT MAX(sent_at) FROM family_reminders)')).toBe(1);

    // The mails reach the SMTP server (the outbox is sent every few seconds).
    const addresses = rows<{ to_address: string }>(
      "SELECT DISTINCT to_address FROM mail_outbox WHERE kind = 'balance_reminder' AND family_id = ?",
      family.id,
    ).map((r) => r.to_address.toLowerCase());
    expect(addresses.length).toBeGreaterThan(0);
    await expect.poll(() => addresses.every((a) => received.includes(a)), { timeout: 20_000 }).toBe(true);

    // On the family's file, wallet tab.
    await page.getByRole('link', { name: family.name, exact: true }).first().click();
    const section = page.getByRole('region', { name: 'Relances' });
    await expect(section.getByRole('row').nth(1)).toContainText('E-mail');
    await expect(section).toContainText(formatEuros(-98_765));
  } finally {
    await admin.post(`/api/staff/families/${family.id}/adjustments`, { headers, data: { walletId: wallet.id, amountCents: -debit, reason: 'Fin du test des relances' } });
    const { host, port: p, tls, user, fromAddress, fromName, hasPassword } = before;
    await admin.put('/api/staff/settings/smtp', { headers, data: { host, port: p, tls, user, fromAddress, fromName, password: '', clearPassword: !hasPassword } });
    await admin.dispose();
    smtp.close(() => {});
  }
});
