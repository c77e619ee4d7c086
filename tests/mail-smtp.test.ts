/**
 * Mail through a real SMTP server in-process (npm smtp-server): the password-reset mail arrives
 * and its link works once; with the server down, mail stays in the outbox with its attempts
 * counted and goes out when the server is back.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, createFamily, startHarness, type Harness } from './api/harness.js';
import { nodePorts } from '../core/adapters/node-ports.js';
import { deliverPendingMails } from '../core/mail/sender.js';
import { storeSmtpSettings } from '../core/mail/settings.js';
import { enqueueMail } from '../core/mail/outbox.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that requires a login and keeps what it receives. */
async function startSmtp(port = 0, opts: { rejectRecipient?: string } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'eticket' && auth.password === 'mot-de-passe-smtp') cb(null, { user: auth.username });
      else cb(new Error('Identifiants refusés'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === opts.rejectRecipient) {
        const err = new Error('Boîte inconnue') as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
      } else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  return { received, port: actualPort, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a MIME message with quoted-printable parts decoded (enough to find a link). */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (seq) => Buffer.from(seq.replace(/=/g, ''), 'hex').toString('utf8'));
}

let h: Harness;
let smtp: Awaited<ReturnType<typeof startSmtp>> | null = null;

beforeEach(async () => {
  h = await startHarness({ now: '2026-05-20T08:00:00Z' });
  await createFamily(h.db, { name: 'DEVRET', username: 'chantal.devret', email: 'chantal.devret@exemple.fr' });
});
afterEach(async () => {
  await smtp?.close();
  smtp = null;
  await h.close();
});

const ctx = () => ({ db: h.db, clock: h.clock, ports: nodePorts(h.dataDir) });
const deliver = () => deliverPendingMails(ctx(), { demo: false, env: {} });

async function useSmtp(port: number) {
  await storeSmtpSettings(
    h.db,
    { host: '127.0.0.1', port, secure: false, user: 'eticket', pass: 'mot-de-passe-smtp', from: 'eTicket <ne-pas-repondre@port-sainte-foy.info>' },
    h.clock.now(),
  );
}

describe('mail over SMTP', () => {
  it('the reset mail arrives, in French, and its link works once', async () => {
    smtp = await startSmtp();
    await useSmtp(smtp.port);
    const b = new Browser(h.url);
    expect((await b.post('/api/auth/password-reset/request', { identifier: 'chantal.devret' })).status).toBe(200);

    expect(await deliver()).toMatchObject({ sent: 1, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('ne-pas-repondre@port-sainte-foy.info');
    expect(mail.to).toEqual(['chantal.devret@exemple.fr']);
    const text = decodeQuotedPrintable(mail.raw);
    expect(text).toMatch(/^X-eTicket-Kind: password_reset\r?$/im); // nodemailer normalises the header case
    expect(text).toContain('Choisir un nouveau mot de passe');
    expect(text).toContain('ne fonctionne qu’une seule fois');
    expect(text).toContain('Content-Type: text/html');
    const token = /http:\/\/portail\.test\/reinitialisation\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(token).toBeTruthy();

    const row = await h.db('mail_outbox').first();
    expect(row).toMatchObject({ kind: 'password_reset', status: 'sent', attempts: 1 });

    const ok = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'nouveau-mot-de-passe-1' });
    expect(ok.status).toBe(200);
    const again = await b.post('/api/auth/password-reset/confirm', { token, newPassword: 'nouveau-mot-de-passe-2' });
    expect(again.status).toBe(400);
    expect((again.body as { error: { message: string } }).error.message).toMatch(/n’est plus valable/);
    expect((await new Browser(h.url).loginParent('chantal.devret', 'nouveau-mot-de-passe-1')).status).toBe(200);
    expect((await new Browser(h.url).loginParent('chantal.devret', 'nouveau-mot-de-passe-2')).status).not.toBe(200);
  });

  it('with the SMTP server down the mail stays in the outbox, attempts counted and pushed back, and goes when it is back', async () => {
    // Take a free port, then close the server: connections are refused.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    await useSmtp(port);
    const first = await enqueueMail(h.db, { kind: 'welcome', to: 'a@exemple.fr', subject: 'Bienvenue', text: 'Bonjour A', html: '<p>Bonjour A</p>' }, h.clock.now());
    const second = await enqueueMail(h.db, { kind: 'welcome', to: 'b@exemple.fr', subject: 'Bienvenue', text: 'Bonjour B', html: '<p>Bonjour B</p>' }, h.clock.now());

    expect(await deliver()).toMatchObject({ sent: 0, retried: 2 });
    let rows = await h.db('mail_outbox').orderBy('id');
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
      expect(row.next_attempt_at).toBe(new Date(h.clock.now().getTime() + 30_000).toISOString());
    }
    // Not due yet: nothing tried.
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });

    h.clock.advanceMinutes(1);
    expect(await deliver()).toMatchObject({ sent: 0, retried: 2 });
    rows = await h.db('mail_outbox').orderBy('id');
    expect(rows.map((r) => r.attempts)).toEqual([2, 2]);
    expect(rows[0].next_attempt_at).toBe(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // The server is back on the same port.
    smtp = await startSmtp(port);
    h.clock.advanceMinutes(2);
    expect(await deliver()).toMatchObject({ sent: 2, retried: 0 });
    rows = await h.db('mail_outbox').orderBy('id');
    expect(rows.map((r) => [r.id, r.status, r.attempts])).toEqual([
      [first, 'sent', 3],
      [second, 'sent', 3],
    ]);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['a@exemple.fr', 'b@exemple.fr']);
  });

  it('a mailbox the server refuses for good is marked failed with the reason, the others go', async () => {
    smtp = await startSmtp(0, { rejectRecipient: 'inconnu@exemple.fr' });
    await useSmtp(smtp.port);
    await enqueueMail(h.db, { kind: 'welcome', to: 'inconnu@exemple.fr', subject: 'x', text: 'x', html: '<p>x</p>' }, h.clock.now());
    await enqueueMail(h.db, { kind: 'welcome', to: 'connu@exemple.fr', subject: 'y', text: 'y', html: '<p>y</p>' }, h.clock.now());
    expect(await deliver()).toMatchObject({ sent: 1, failed: 1 });
    const failed = await h.db('mail_outbox').where('to_address', 'inconnu@exemple.fr').first();
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toMatch(/550/);
    expect(smtp.received.map((m) => m.to)).toEqual([['connu@exemple.fr']]);
  });

  it('wrong SMTP credentials: the mail waits with the error recorded', async () => {
    smtp = await startSmtp();
    await useSmtp(smtp.port);
    await storeSmtpSettings(h.db, { pass: 'faux' }, h.clock.now());
    await enqueueMail(h.db, { kind: 'welcome', to: 'a@exemple.fr', subject: 'x', text: 'x', html: '<p>x</p>' }, h.clock.now());
    expect(await deliver()).toMatchObject({ sent: 0, retried: 1 });
    const row = await h.db('mail_outbox').first();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/EAUTH/);
    expect(smtp.received).toHaveLength(0);
  });
});
