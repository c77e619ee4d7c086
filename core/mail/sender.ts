/**
 * Delivers the mail outbox. Each due row is claimed (its next attempt pushed past a lease, so a
 * second sender never picks it up meanwhile), handed to the context's mail transport
 * (ctx.ports, core/ports.ts), then marked sent; a
 * failure counts the attempt, records the error and schedules a retry with exponential back-off.
 * Nothing is ever deleted: a mail that could not go stays visible with its error.
 *
 * With no SMTP host configured, demo mode hands each mail to the ports' demo mailbox (.eml files
 * in the data folder); outside demo mode mails wait until SMTP is configured.
 */
import { portsOf, type CoreContext } from '../context.js';
import type { MailTransport } from '../ports.js';
import { getSmtpSettings } from './settings.js';

export interface DeliverOptions {
  /** Demo mode: without SMTP, mails go to the demo mailbox instead of waiting. */
  demo: boolean;
  batchSize?: number;
  /** After this many failed attempts a mail is marked failed (and stays in the outbox). */
  maxAttempts?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DeliverResult {
  sent: number;
  retried: number;
  failed: number;
  /** Mails left waiting because no transport is configured. */
  waiting: number;
}

interface OutboxRow {
  id: number;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
}

const LEASE_MS = 5 * 60_000;
const NO_TRANSPORT_RETRY_MS = 5 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 10;

/** Delay before the next attempt after `attempts` failures: 30 s, 1 min, 2 min, … capped at 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 6 * 3600_000);
}

function senderDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)/.exec(from);
  return m?.[1] ?? 'eticket.local';
}

function errorText(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const parts = [e.code, e.responseCode, e.message].filter((x) => x !== undefined && x !== '');
  return parts.join(' ').slice(0, 500) || 'Erreur inconnue';
}

/** A recipient the server refused for good (no such mailbox…): retrying would not help. */
function isPermanent(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  return e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 550 && e.responseCode <= 553;
}

/** The server could not be reached or refused the session: every other mail would fail the same way. */
function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ECONNECTION' || code === 'ETIMEDOUT' || code === 'ESOCKET' || code === 'EDNS' || code === 'ETLS' || code === 'EAUTH';
}

/** Sends the outbox's due mails once. Safe to call repeatedly; never throws for a mail's failure. */
export async function deliverPendingMails(ctx: CoreContext, opts: DeliverOptions): Promise<DeliverResult> {
  const log = opts.log ?? (() => {});
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const result: DeliverResult = { sent: 0, retried: 0, failed: 0, waiting: 0 };
  const nowIso = ctx.clock.now().toISOString();

  const due: OutboxRow[] = await ctx.db('mail_outbox')
    .where('status', 'pending')
    .where('next_attempt_at', '<=', nowIso)
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(opts.batchSize ?? 20)
    .select('id', 'kind', 'to_address', 'subject', 'text_body', 'html_body', 'attempts', 'next_attempt_at', 'created_at');
  if (due.length === 0) return result;

  const smtp = await getSmtpSettings(ctx.db, opts.env);
  const ports = portsOf(ctx);
  const transport: MailTransport | null = smtp.host ? ports.smtp(smtp) : opts.demo ? ports.demoMailbox() : null;
  if (!transport) {
    await ctx.db('mail_outbox')
      .whereIn(
        'id',
        due.map((r) => r.id),
      )
      .where('status', 'pending')
      .update({
        last_error: 'Aucun serveur SMTP configuré (réglages de messagerie).',
        next_attempt_at: new Date(ctx.clock.now().getTime() + NO_TRANSPORT_RETRY_MS).toISOString(),
      });
    result.waiting = due.length;
    return result;
  }

  const recordFailure = async (row: OutboxRow, err: unknown, onlyIfUnclaimed: boolean) => {
    const attempts = row.attempts + 1;
    const giveUp = attempts >= maxAttempts || isPermanent(err);
    const q = ctx.db('mail_outbox').where({ id: row.id, status: 'pending' });
    if (onlyIfUnclaimed) q.where('next_attempt_at', row.next_attempt_at);
    const n = await q.update({
      status: giveUp ? 'failed' : 'pending',
      attempts,
      last_error: errorText(err),
      next_attempt_at: new Date(ctx.clock.now().getTime() + backoffMs(attempts)).toISOString(),
    });
    if (n === 0) return;
    log(`mail ${row.id} (${row.kind}) non envoyé, tentative ${attempts} : ${errorText(err)}`);
    if (giveUp) result.failed++;
    else result.retried++;
  };

  try {
    for (let i = 0; i < due.length; i++) {
      const row = due[i]!;
      // Claim: only the sender whose update matched the row's current schedule sends it.
      const claimed = await ctx.db('mail_outbox')
        .where({ id: row.id, status: 'pending', next_attempt_at: row.next_attempt_at })
        .update({ next_attempt_at: new Date(ctx.clock.now().getTime() + LEASE_MS).toISOString() });
      if (claimed !== 1) continue;

      try {
        await transport.send({
          from: smtp.from,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          // Stable per outbox row, so a mail re-sent after a crash can be recognised as the same one.
          messageId: `<eticket-outbox-${row.id}@${senderDomain(smtp.from)}>`,
          date: new Date(row.created_at),
          headers: { 'X-eTicket-Kind': row.kind },
          name: `${row.created_at.replace(/[:.]/g, '-')}-${row.id}-${row.kind}`,
        });
        await ctx.db('mail_outbox').where('id', row.id).update({
          status: 'sent',
          attempts: row.attempts + 1,
          sent_at: ctx.clock.now().toISOString(),
          last_error: null,
        });
        result.sent++;
      } catch (err) {
        await recordFailure(row, err, false);
        if (isConnectionFailure(err)) {
          // The server is down: the rest of the batch counts this attempt too, and waits its back-off.
          for (const rest of due.slice(i + 1)) await recordFailure(rest, err, true);
          break;
        }
      }
    }
  } finally {
    transport.close();
  }
  return result;
}

/** Puts a failed mail back in the queue (a button in the staff console, once the cause is fixed). */
export async function retryFailedMail(ctx: CoreContext, mailId: number): Promise<boolean> {
  const n = await ctx.db('mail_outbox')
    .where({ id: mailId, status: 'failed' })
    .update({ status: 'pending', next_attempt_at: ctx.clock.now().toISOString() });
  return n === 1;
}
