/**
 * The MailTransport adapters, over nodemailer: a real SMTP server, and the demo's mailbox that
 * writes each mail as an .eml file (open it with any mail client) when no SMTP is configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { SmtpSettings } from '../mail/settings.js';
import type { MailReceipt, MailTransport, OutgoingMessage } from '../ports.js';

/** Where the demo's .eml files go. */
export function mailsFolder(dataDir: string): string {
  return path.join(dataDir, 'mails');
}

function optionsOf(message: OutgoingMessage): SendMailOptions {
  const { name: _name, ...options } = message;
  return options;
}

function receiptOf(info: { rejected?: unknown[]; response?: string }): MailReceipt {
  return { rejected: (info.rejected ?? []).map(String), response: info.response ?? '' };
}

/** A connection to the SMTP server of the saved settings (the outbox and the settings screen's test mail). */
export function smtpTransport(smtp: SmtpSettings): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    ignoreTLS: smtp.ignoreTls,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
    // A mail server that hangs must not stall the outbox for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      return receiptOf(await transporter.sendMail(optionsOf(message)));
    },
    close: () => transporter.close(),
  };
}

/** Demo mode without SMTP: each mail becomes `<dir>/<name>.eml`, written whole then renamed. */
export function emlMailbox(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transporter.sendMail(optionsOf(message));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${message.name ?? `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`}.eml`);
      fs.writeFileSync(`${file}.tmp`, info.message as Buffer);
      fs.renameSync(`${file}.tmp`, file);
      return { rejected: [], response: `écrit dans ${path.basename(file)}` };
    },
    close: () => transporter.close(),
  };
}
