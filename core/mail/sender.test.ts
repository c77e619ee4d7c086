import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mailsFolder } from '../adapters/mail.js';
import { nodePorts } from '../adapters/node-ports.js';
import type { CoreContext } from '../context.js';
import { createTestDb, type TestDb } from '../test-support.js';
import { enqueueMail } from './outbox.js';
import { backoffMs, deliverPendingMails, retryFailedMail } from './sender.js';
import { passwordResetMail } from './templates.js';
import { getSmtpSettings, storeSmtpSettings, updateSmtpSettings } from './settings.js';

let t: TestDb;
let dataDir: string;
/** The test's context with the real adapters on its own data folder (the demo's .eml files go there). */
let ctx: CoreContext;
const noSmtp = {} as NodeJS.ProcessEnv;

beforeEach(async () => {
  t = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-mail-'));
  ctx = { ...t.ctx, ports: nodePorts(dataDir) };
});
afterEach(async () => {
  await t.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function queueReset(to = 'chantal.devret@example.fr') {
  const content = passwordResetMail({ to, link: 'http://portail.test/reinitialisation?token=XYZ', expiresAt: new Date('2026-03-02T10:00:00Z') });
  return enqueueMail(t.db, { kind: 'password_reset', to, ...content }, t.clock.now());
}

describe('outbox sender without SMTP', () => {
  it('demo mode writes each mail as an .eml file a newcomer can open, and marks it sent', async () => {
    const id = await queueReset();
    const result = await deliverPendingMails(ctx, { demo: true, env: noSmtp });
    expect(result).toEqual({ sent: 1, retried: 0, failed: 0, waiting: 0 });
    const files = fs.readdirSync(mailsFolder(dataDir));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`-${id}-password_reset\\.eml$`));
    const eml = fs.readFileSync(path.join(mailsFolder(dataDir), files[0]!), 'utf8');
    expect(eml).toMatch(/^To: chantal\.devret@example\.fr$/m);
    expect(eml).toMatch(/^Subject: /m);
    expect(eml).toContain(`Message-ID: <eticket-outbox-${id}@eticket.invalid>`);
    expect(eml).toContain('multipart/alternative');
    const row = await t.db('mail_outbox').where('id', id).first();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, sent_at: t.clock.now().toISOString(), last_error: null });
    // Nothing left to do.
    expect(await deliverPendingMails(ctx, { demo: true, env: noSmtp })).toEqual({ sent: 0, retried: 0, failed: 0, waiting: 0 });
  });

  it('outside demo mode, mails wait (without using up attempts) until SMTP is configured', async () => {
    const id = await queueReset();
    expect(await deliverPendingMails(ctx, { demo: false, env: noSmtp })).toMatchObject({ waiting: 1, sent: 0 });
    const row = await t.db('mail_outbox').where('id', id).first();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.last_error).toMatch(/Aucun serveur SMTP configuré/);
    expect(row.next_attempt_at > t.clock.now().toISOString()).toBe(true);
    expect(fs.existsSync(mailsFolder(dataDir))).toBe(false);
  });

  it('sends nothing not yet due, and the oldest first', async () => {
    const a = await queueReset('a@example.fr');
    const b = await queueReset('b@example.fr');
    await t.db('mail_outbox').where('id', b).update({ next_attempt_at: '2030-01-01T00:00:00.000Z' });
    const r = await deliverPendingMails(ctx, { demo: true, env: noSmtp });
    expect(r.sent).toBe(1);
    expect((await t.db('mail_outbox').where('id', a).first()).status).toBe('sent');
    expect((await t.db('mail_outbox').where('id', b).first()).status).toBe('pending');
  });
});

describe('back-off and settings', () => {
  it('doubles from 30 seconds up to 6 hours', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30)).toBe(6 * 3600_000);
  });

  it('a failed mail can be put back in the queue', async () => {
    const id = await queueReset();
    await t.db('mail_outbox').where('id', id).update({ status: 'failed', attempts: 10 });
    expect(await retryFailedMail(t.ctx, id)).toBe(true);
    expect((await t.db('mail_outbox').where('id', id).first()).status).toBe('pending');
    expect(await retryFailedMail(t.ctx, id)).toBe(false);
  });

  it('SMTP settings: environment defaults, stored values, admin-only changes, audited without the password', async () => {
    const env = { SMTP_HOST: 'smtp.example.fr', SMTP_SECURE: '1', SMTP_USER: 'u', SMTP_PASS: 'p' } as NodeJS.ProcessEnv;
    expect(await getSmtpSettings(t.db, env)).toMatchObject({ host: 'smtp.example.fr', port: 465, secure: true, user: 'u', pass: 'p' });
    await storeSmtpSettings(t.db, { port: 2525 }, t.clock.now());
    expect((await getSmtpSettings(t.db, env)).port).toBe(2525);

    await expect(updateSmtpSettings(t.ctx, t.actors.secretariat, { host: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateSmtpSettings(t.ctx, t.actors.admin, { port: 70000 })).rejects.toThrow(/Port SMTP invalide/);
    const after = await updateSmtpSettings(t.ctx, t.actors.admin, { host: 'mail.mairie.fr', pass: 'secret' });
    expect(after).toMatchObject({ host: 'mail.mairie.fr', hasPassword: true });
    expect(after).not.toHaveProperty('pass');
    const audit = await t.db('audit_log').where('action', 'settings.smtp').first();
    expect(audit.after_json).not.toContain('secret');
  });
});
