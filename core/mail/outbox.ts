import type { Knex } from 'knex';

export type MailKind = 'password_reset' | 'payment_confirmation' | 'low_balance' | 'message_answer' | 'message_from_mairie' | 'welcome' | 'closure_cancellation' | 'balance_reminder';

export interface OutgoingMail {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  familyId?: number | null;
}

/**
 * Queues a mail. Call it with the transaction of the event that causes the mail, so the mail
 * exists if and only if the event committed; a sender delivers the outbox later, with retries.
 */
export async function enqueueMail(trx: Knex | Knex.Transaction, mail: OutgoingMail, now: Date): Promise<number> {
  const at = now.toISOString();
  const [row] = await trx('mail_outbox')
    .insert({
      kind: mail.kind,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      family_id: mail.familyId ?? null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
    })
    .returning('id');
  return typeof row === 'object' ? (row as { id: number }).id : (row as number);
}
