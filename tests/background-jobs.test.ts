/**
 * The server's background jobs: in demo mode the address of the PayFiP simulator the demo started
 * is written into the settings, the outbox is delivered (as .eml files without SMTP) and pending payments are checked,
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
import { mailsFolder } from '../core/adapters/mail.js';
import { startPayfipSimulator, type RunningSimulator } from '../simulator/server.js';

let t: TestDb;
let dataDir: string;
let jobs: BackgroundJobs | null = null;
let sim: RunningSimulator | null = null;

beforeEach(async () => {
  t = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bg-'));
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  await sim?.close();
  sim = null;
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
  it('in demo mode: stores the demo simulator’s URLs, sends mail to files, settles a payment whose notification was lost', async () => {
    const lines: string[] = [];
    // As the demo scripts do (scripts/demo-simulator.ts): the simulator beside the server, its address in the config.
    sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1' });
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: true, secureCookies: false, payfipSimulatorUrl: sim.url } },
      { env: { HOST: '127.0.0.1', PORT: '3999' }, mailIntervalMs: 20, paymentCheckIntervalMs: 20, log: (l) => lines.push(l) },
    );
    const settings = await getPayfipSettings(t.db, { HOST: '127.0.0.1', PORT: '3999' });
    expect(settings.serviceUrl).toBe(sim.serviceUrl);
    expect(settings.paymentPageUrl).toBe(`${sim.url}/tpa/paiementws.web`);
    expect(settings.publicBaseUrl).toBe('http://127.0.0.1:3999');
    expect(lines.some((l) => l.startsWith('Simulateur PayFiP (démonstration)'))).toBe(true);

    await enqueueMail(t.db, { kind: 'welcome', to: 'a@example.fr', subject: 'Bienvenue', text: 'Bonjour', html: '<p>Bonjour</p>' }, t.clock.now());
    await waitFor(async () => (await t.db('mail_outbox').where('status', 'sent').first()) !== undefined);
    expect(fs.readdirSync(mailsFolder(dataDir)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    // Paid at PayFiP, but the notification never reaches us (nothing listens on :3999).
    sim.options.dropNotifications = true;
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    await sim.complete(new URL(redirectUrl).searchParams.get('idop')!, 'P');
    t.clock.advanceMinutes(2);
    await waitFor(async () => (await getTopUp(t.ctx, t.actors.parent, paymentId)).status === 'paid');
  });

  it('in demo mode without a simulator handed over: says so, and stores no address', async () => {
    const lines: string[] = [];
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: true, secureCookies: false } },
      { env: {}, mailIntervalMs: 60_000, paymentCheckIntervalMs: 60_000, log: (l) => lines.push(l) },
    );
    expect(lines.join('\n')).toMatch(/aucun simulateur de démonstration n’a été lancé avec ce serveur/);
    expect(await t.db('settings').where('key', 'payfip').first()).toBeUndefined();
  });

  it('outside demo mode: the simulator’s address is ignored; stop() ends the loops', async () => {
    sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1' });
    jobs = await startBackgroundJobs(
      { db: t.db, clock: t.clock, config: { dataDir, publicUrl: 'http://127.0.0.1:3999', demo: false, secureCookies: false, payfipSimulatorUrl: sim.url } },
      { env: {}, mailIntervalMs: 10, paymentCheckIntervalMs: 10, log: () => {} },
    );
    expect((await getPayfipSettings(t.db, {})).serviceUrl).not.toBe(sim.serviceUrl);
    await jobs.stop();
    jobs = null;
    // After stop, a queued mail stays queued.
    await enqueueMail(t.db, { kind: 'welcome', to: 'a@example.fr', subject: 'x', text: 'x', html: '<p>x</p>' }, t.clock.now());
    await new Promise((r) => setTimeout(r, 100));
    const row = await t.db('mail_outbox').first();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
  });
});
