/**
 * The server's background jobs: in demo mode the PayFiP simulator is started and written into the
 * settings, the outbox is delivered (as .eml files without SMTP) and pending payments are checked,
 * on intervals that never overlap, until stop().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { startBackgroundJobs, type BackgroundJobs } from '../server/background.js';
import { getPayfipSettings } from '../core/payfip/settings.js';
import { enqueueMail } from '../core/mail/outbox.js';
import { createTopUp, getTopUp } from '../core/payments.js';
import { mailsFolder } from '../core/mail/sender.js';

let t: TestDb;
let dataDir: string;
let jobs: BackgroundJobs | null = null;

beforeEach(async () => {
  t = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bg-'));
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  await t.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const waitFor = async (check: () => Promise<boolean>, ms = 5000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
};

describe('startBackgroundJobs', () => {
  it('in demo mode: starts the simulator, stores its URLs, sends mail to files, settles a payment whose notification was lost', async () => {
    const lines: string[] = [];
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: true, secureCookies: false } },
      { env: { HOST: '127.0.0.1', PORT: '3999' }, mailIntervalMs: 20, paymentCheckIntervalMs: 20, log: (l) => lines.push(l) },
    );
    expect(jobs.simulator).not.toBeNull();
    const settings = await getPayfipSettings(t.db, { HOST: '127.0.0.1', PORT: '3999' });
    expect(settings.serviceUrl).toBe(jobs.simulator!.serviceUrl);
    expect(settings.paymentPageUrl).toBe(`${jobs.simulator!.url}/tpa/paiementws.web`);
    expect(settings.publicBaseUrl).toBe('http://127.0.0.1:3999');
    expect(lines.some((l) => l.startsWith('Simulateur PayFiP (démonstration)'))).toBe(true);

    await enqueueMail(t.db, { kind: 'welcome', to: 'a@example.fr', subject: 'Bienvenue', text: 'Bonjour', html: '<p>Bonjour</p>' }, t.clock.now());
    await waitFor(async () => (await t.db('mail_outbox').where('status', 'sent').first()) !== undefined);
    expect(fs.readdirSync(mailsFolder(dataDir)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    // Paid at PayFiP, but the notification never reaches us (nothing listens on :3999).
    jobs.simulator!.options.dropNotifications = true;
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    await jobs.simulator!.complete(new URL(redirectUrl).searchParams.get('idop')!, 'P');
    t.clock.advanceMinutes(2);
    await waitFor(async () => (await getTopUp(t.ctx, t.actors.parent, paymentId)).status === 'paid');
  });

  it('outside demo mode: no simulator; stop() ends the loops', async () => {
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: false, secureCookies: false } },
      { env: {}, mailIntervalMs: 10, paymentCheckIntervalMs: 10, log: () => {} },
    );
    expect(jobs.simulator).toBeNull();
    await jobs.stop();
    jobs = null;
    // After stop, a queued mail stays queued.
    await enqueueMail(t.db, { kind: 'welcome', to: 'a@example.fr', subject: 'x', text: 'x', html: '<p>x</p>' }, t.clock.now());
    await new Promise((r) => setTimeout(r, 100));
    const row = await t.db('mail_outbox').first();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
  });
});
