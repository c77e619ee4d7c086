import type { ChequeRejectionResult } from '../api/cheques.js';
import { formatDepositNumber } from '../api/cheques.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { formatDateNumericFr, isValidDate, parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { loadMailCommune } from './mail/commune.js';
import { familyMailRecipients } from './mail/recipients.js';
import { enqueueMail } from './mail/outbox.js';
import { messageFromMairieMail } from './mail/templates.js';
import { formatCents } from './money.js';
import { authorizeStaff } from './policy.js';
import { formatReceiptNumber } from './receipt-view.js';
import { writeTransaction } from './tx.js';
import { appendLedgerEntry, getBalance, insertedId } from './wallet.js';

/**
 * A cheque the bank sent back unpaid ("chèque rejeté", issue 14). The sale stands: its receipt,
 * its number and its paid invoice stay as they were, since the family did buy the credit. What
 * the cheque brought is taken back by a reversing ledger entry (the wallet goes down by the
 * cheque's amount, below zero if need be), a dated line goes on top of the family file's note,
 * and the family is warned: a message on its portal, and a mail pointing to it when it has an
 * address (else the answer says to send a letter). Once per cheque: refused the second time.
 */

const NOTE_MAX = 2000;

export async function rejectCheque(
  ctx: CoreContext,
  actor: Actor,
  input: { receiptId: number; reason: string; rejectedOn?: string; portalUrl?: string },
): Promise<ChequeRejectionResult> {
  const staff = authorizeStaff(actor, 'regie.manage');
  if (!Number.isSafeInteger(input.receiptId) || input.receiptId <= 0) throw invalid('Chèque invalide.');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 3) throw invalid('Motif du rejet : au moins 3 caractères.', { field: 'reason' });
  if (reason.length > 200) throw invalid('Motif du rejet : 200 caractères au maximum.', { field: 'reason' });
  const now = ctx.clock.now();
  const today = parisToday(now);
  const rejectedOn = input.rejectedOn ?? today;
  if (!isValidDate(rejectedOn)) throw invalid('Date du rejet invalide.', { field: 'rejectedOn' });
  if (rejectedOn > today) throw invalid('La date du rejet ne peut pas être dans le futur.', { field: 'rejectedOn' });

  const out = await writeTransaction(ctx.db, async (trx) => {
    const r = await trx('receipts as r')
      .join('families as f', 'f.id', 'r.family_id')
      .join('wallets as w', 'w.id', 'r.wallet_id')
      .leftJoin('cheque_deposit_lines as d', 'd.receipt_id', 'r.id')
      .leftJoin('cheque_deposits as k', 'k.id', 'd.deposit_id')
      .leftJoin('cheque_rejections as x', 'x.receipt_id', 'r.id')
      .leftJoin('receipts as c', 'c.cancels_receipt_id', 'r.id')
      .leftJoin('ledger_entries as l', 'l.receipt_id', 'r.id')
      .where('r.id', input.receiptId)
      .first(
        'r.*', 'f.name as family_name', 'f.staff_note', 'w.label as wallet_label', 'k.year as k_year', 'k.number as k_number', 'k.deposit_date',
        'x.rejected_on as x_on', 'c.id as c_id', 'l.id as entry_id',
      );
    if (!r || r.method !== 'cheque' || r.cancels_receipt_id != null) throw notFound('Chèque');
    const receiptNumber = formatReceiptNumber(r.year, r.number);
    if (r.x_on) throw new DomainError('CONFLICT', `Ce chèque a déjà été déclaré rejeté le ${formatDateNumericFr(r.x_on)}.`);
    if (r.c_id != null) throw new DomainError('CONFLICT', `La vente du reçu n° ${receiptNumber} a été annulée : son chèque ne peut pas être rejeté.`);
    if (r.k_year == null) throw new DomainError('CONFLICT', 'Ce chèque n’a pas encore été remis à la banque : il ne peut pas être rejeté.');
    if (rejectedOn < r.deposit_date) throw invalid('La date du rejet précède la remise du chèque.', { field: 'rejectedOn' });
    const amount = Number(r.amount_cents);
    const cheque = `chèque n° ${r.cheque_number as string} (${r.cheque_bank as string}) de ${formatCents(amount)}`;

    const entryId = await appendLedgerEntry(trx, {
      familyId: r.family_id, walletId: r.wallet_id, amountCents: -amount, kind: 'reversal',
      label: `Chèque rejeté n° ${r.cheque_number as string} — reçu n° ${receiptNumber}`, activityId: r.activity_id ?? null,
      reversesEntryId: r.entry_id ?? null, reason, staffUserId: staff.staffUserId,
    }, now);

    // The family file's note, newest first, within what the file's form accepts.
    const line = `${formatDateNumericFr(rejectedOn)} — ${cheque[0]!.toUpperCase()}${cheque.slice(1)}, reçu n° ${receiptNumber}, rejeté par la banque : ${reason}.`;
    const note = [line, (r.staff_note as string | null) ?? ''].filter(Boolean).join('\n').slice(0, NOTE_MAX);
    await trx('families').where('id', r.family_id).update({ staff_note: note, updated_at: now.toISOString() });

    // The family's warning: a message on its portal, a mail pointing to it when it has an address.
    const at = now.toISOString();
    const subject = `Chèque rejeté — reçu n° ${receiptNumber}`;
    const body = [
      'Bonjour,',
      `Votre ${cheque}, remis pour le reçu n° ${receiptNumber} (${r.wallet_label as string}), nous a été retourné impayé par la banque le ${formatDateNumericFr(rejectedOn)}. Motif : ${reason}.`,
      `Le montant de ${formatCents(amount)} a donc été retiré de votre porte-monnaie « ${r.wallet_label as string} ». Merci de régulariser au secrétariat de la Mairie ou en ligne.`,
    ].join('\n\n');
    const [threadRow] = await trx('message_threads').insert({ family_id: r.family_id, subject, status: 'open', created_at: at, last_message_at: at }).returning('id');
    const threadId = insertedId(threadRow);
    await trx('messages').insert({ thread_id: threadId, author_kind: 'staff', staff_user_id: staff.staffUserId, body, created_at: at });
    const recipients = await familyMailRecipients(trx, r.family_id);
    if (recipients.length > 0 && input.portalUrl) {
      const mail = messageFromMairieMail({ threadSubject: subject, portalUrl: input.portalUrl, sentAt: now, commune: await loadMailCommune(trx) });
      for (const to of recipients) await enqueueMail(trx, { kind: 'message_from_mairie', to, subject: mail.subject, text: mail.text, html: mail.html, familyId: r.family_id }, now);
    }
    const warnedBy = recipients.length > 0 && input.portalUrl ? 'mail' : 'message';

    await trx('cheque_rejections').insert({
      receipt_id: r.id, rejected_on: rejectedOn, reason, ledger_entry_id: entryId, staff_user_id: staff.staffUserId, warned_by: warnedBy, created_at: at,
    });
    await audit(trx, actor, {
      action: 'cheque.reject', entity: 'receipt', entityId: r.id, familyId: r.family_id,
      before: { receiptNumber, amountCents: amount, deposit: formatDepositNumber(r.k_year, r.k_number) },
      after: { ledgerEntryId: entryId, rejectedOn, warnedBy, threadId },
      note: reason,
    }, now);
    const balanceCents = await getBalance(trx, r.family_id, r.wallet_id);
    return { receiptNumber, amountCents: amount, balanceCents, warnedBy, hasAddress: recipients.length > 0, familyName: r.family_name as string } as const;
  });

  const told =
    out.warnedBy === 'mail'
      ? 'La famille est prévenue par courriel et par un message sur son portail.'
      : out.hasAddress
        ? 'L’adresse du portail n’est pas réglée, aucun courriel n’est parti : un message attend la famille sur son portail ; prévenez-la aussi par courrier.'
        : 'La famille n’a pas d’adresse électronique : un message l’attend sur son portail ; prévenez-la aussi par courrier.';
  return {
    receiptNumber: out.receiptNumber,
    amountCents: out.amountCents,
    balanceCents: out.balanceCents,
    warnedBy: out.warnedBy,
    message: `Chèque du reçu n° ${out.receiptNumber} (${out.familyName}) déclaré rejeté : ${formatCents(out.amountCents)} retirés du porte-monnaie, nouveau solde ${formatCents(out.balanceCents)}. ${told}`,
  };
}
