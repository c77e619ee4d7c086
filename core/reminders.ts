/**
 * Reminders of "Soldes et relances": for each selected family wallet still negative or under the
 * family's threshold, a mail with the balance and how to pay (core/mail/templates.ts, through the
 * outbox) to the family's addresses, or, for a family without any, a letter printed from the
 * batch (core/pdf/reminder-letter.ts, one page per family). Each reminder is a row of
 * family_reminders (the family's file shows them) and an audit row.
 *
 * The batch key is the console's idempotency key: in the write transaction, a key already used
 * answers its first result again, so a double click or a retried request sends once. The
 * families' own low-balance alerts (core/mail/low-balance.ts) are left as they are.
 */
import type { Knex } from 'knex';
import {
  MAX_REMINDER_TARGETS,
  type FamilyReminderRow,
  type FamilyRemindersView,
  type ReminderChannel,
  type ReminderResult,
  type SendRemindersInput,
} from '../api/balances.js';
import { auditMany, type AuditEvent } from './audit.js';
import { getCommune } from './commune.js';
import type { Actor, CoreContext } from './context.js';
import { parisToday } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { loadMailCommune } from './mail/commune.js';
import { enqueueMail } from './mail/outbox.js';
import { familiesMailRecipients } from './mail/recipients.js';
import { balanceReminderMail } from './mail/templates.js';
import { formatCentsPlain } from './money.js';
import { getPayfipSettings } from './payfip/settings.js';
import { reminderLettersPdf, type ReminderLetter } from './pdf/reminder-letter.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';

const KEY = /^[A-Za-z0-9_-]{8,64}$/;

interface ReminderRow {
  family_id: number;
  wallet_id: number;
  channel: ReminderChannel;
}

function summary(batchKey: string, rows: ReminderRow[], skipped: number, replayed: boolean): ReminderResult {
  const mailed = new Set(rows.filter((r) => r.channel === 'mail').map((r) => r.family_id)).size;
  const letters = new Set(rows.filter((r) => r.channel === 'letter').map((r) => r.family_id)).size;
  const parts = [
    mailed > 0 ? `${mailed} famille${mailed > 1 ? 's' : ''} relancée${mailed > 1 ? 's' : ''} par e-mail` : '',
    letters > 0 ? `${letters} courrier${letters > 1 ? 's' : ''} à imprimer` : '',
    skipped > 0 ? `${skipped} solde${skipped > 1 ? 's' : ''} déjà régularisé${skipped > 1 ? 's' : ''} : rien envoyé` : '',
  ].filter(Boolean);
  const message = replayed
    ? `Cette relance a déjà été envoyée : ${parts.join(', ') || 'rien à envoyer'}.`
    : parts.length > 0 ? `${parts.join(', ')}.` : 'Rien à envoyer.';
  return { batchKey, mailed, letters, skipped, replayed, message };
}

export async function sendReminders(ctx: CoreContext, actor: Actor, input: SendRemindersInput): Promise<ReminderResult> {
  const staff = authorizeStaff(actor, 'balances.remind');
  if (!KEY.test(input.idempotencyKey ?? '')) throw invalid('Clé de relance invalide.', { field: 'idempotencyKey' });
  if (!Array.isArray(input.targets) || input.targets.length === 0) throw invalid('Sélectionnez au moins une famille.', { field: 'targets' });
  if (input.targets.length > MAX_REMINDER_TARGETS) throw invalid(`Au plus ${MAX_REMINDER_TARGETS} relances à la fois.`, { field: 'targets' });
  const seen = new Set<string>();
  const targets = input.targets.filter((t) => {
    const k = `${t.familyId}:${t.walletId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = parisToday(now);
  const key = input.idempotencyKey;

  return writeTransaction(ctx.db, async (trx) => {
    const already = (await trx('family_reminders').where('batch_key', key).select('family_id', 'wallet_id', 'channel')) as ReminderRow[];
    if (already.length > 0) return summary(key, already, 0, true);

    const familyIds = [...new Set(targets.map((t) => t.familyId))];
    const [families, sums, wallets, recipients, settings, commune] = await Promise.all([
      trx('families').whereIn('id', familyIds).where('active', true).whereNull('anonymised_at').select('id', 'name', 'low_balance_threshold_cents') as Promise<
        Array<{ id: number; name: string; low_balance_threshold_cents: number }>
      >,
      trx('ledger_entries').whereIn('family_id', familyIds).groupBy('family_id', 'wallet_id').select('family_id', 'wallet_id').sum({ balance: 'amount_cents' }) as Promise<
        Array<{ family_id: number; wallet_id: number; balance: number | string }>
      >,
      trx('wallets').select('id', 'label', 'position').orderBy([{ column: 'position' }, { column: 'id' }]) as Promise<Array<{ id: number; label: string }>>,
      familiesMailRecipients(trx, familyIds),
      getPayfipSettings(trx),
      loadMailCommune(trx),
    ]);
    const familyOf = new Map(families.map((f) => [Number(f.id), f]));
    const walletOf = new Map(wallets.map((w) => [Number(w.id), w]));
    const balanceOf = new Map(sums.map((s) => [`${s.family_id}:${s.wallet_id}`, Number(s.balance)]));
    for (const t of targets) {
      if (!familyOf.has(t.familyId)) throw notFound('Famille');
      if (!walletOf.has(t.walletId)) throw notFound('Porte-monnaie');
    }

    // Per family, the wallets still to remind, in the wallets' order.
    const due = new Map<number, Array<{ walletId: number; label: string; balanceCents: number }>>();
    let skipped = 0;
    for (const t of [...targets].sort((a, b) => a.familyId - b.familyId || a.walletId - b.walletId)) {
      const family = familyOf.get(t.familyId)!;
      const balance = balanceOf.get(`${t.familyId}:${t.walletId}`) ?? 0;
      if (balance >= 0 && balance >= family.low_balance_threshold_cents) {
        skipped++;
        continue;
      }
      const list = due.get(t.familyId) ?? [];
      list.push({ walletId: t.walletId, label: walletOf.get(t.walletId)!.label, balanceCents: balance });
      due.set(t.familyId, list);
    }

    const rows: Array<Record<string, unknown>> = [];
    const events: AuditEvent[] = [];
    for (const [familyId, list] of due) {
      const family = familyOf.get(familyId)!;
      const to = recipients.get(familyId) ?? [];
      const channel: ReminderChannel = to.length > 0 ? 'mail' : 'letter';
      if (channel === 'mail') {
        const content = balanceReminderMail({ familyName: family.name, date: today, wallets: list, portalUrl: settings.publicBaseUrl, commune });
        for (const address of to) await enqueueMail(trx, { kind: 'balance_reminder', to: address, ...content, familyId }, now);
      }
      for (const w of list) {
        rows.push({
          family_id: familyId, wallet_id: w.walletId, sent_on: today, sent_at: at, channel, amount_cents: w.balanceCents,
          staff_user_id: staff.staffUserId, batch_key: key, recipients: to.length,
        });
        events.push({
          action: 'balance.remind', entity: 'family', entityId: familyId, familyId,
          after: { walletId: w.walletId, balanceCents: w.balanceCents, channel, recipients: to.length, batchKey: key },
          note: `Relance ${channel === 'mail' ? 'par e-mail' : 'par courrier'} : ${w.label} ${formatCentsPlain(w.balanceCents)}`,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 200) await trx('family_reminders').insert(rows.slice(i, i + 200));
    await auditMany(trx, staff, events, now);
    return summary(key, rows as unknown as ReminderRow[], skipped, false);
  });
}

/** The letters of a batch, one page per family, to print (again) at any time. */
export async function reminderLetters(ctx: CoreContext, actor: Actor, batchKey: string): Promise<{ pdf: Uint8Array; filename: string; count: number }> {
  authorizeStaff(actor, 'balances.remind');
  if (!KEY.test(batchKey)) throw invalid('Clé de relance invalide.');
  const rows = (await ctx
    .db('family_reminders as r')
    .join('families as f', 'f.id', 'r.family_id')
    .join('wallets as w', 'w.id', 'r.wallet_id')
    .where('r.batch_key', batchKey)
    .where('r.channel', 'letter')
    .orderBy([{ column: 'f.name' }, { column: 'f.id' }, { column: 'w.position' }, { column: 'w.id' }])
    .select('r.family_id', 'r.amount_cents', 'r.sent_on', 'f.name', 'f.code', 'w.label')) as Array<{
    family_id: number;
    amount_cents: number;
    sent_on: string;
    name: string;
    code: string;
    label: string;
  }>;
  if (rows.length === 0) throw new DomainError('NOT_FOUND', 'Aucun courrier de relance pour cet envoi : chaque famille a été relancée par e-mail.');
  const familyIds = [...new Set(rows.map((r) => Number(r.family_id)))];
  const [contacts, commune, settings] = await Promise.all([billingCards(ctx.db, familyIds), getCommune(ctx.db), getPayfipSettings(ctx.db)]);
  const letters = new Map<number, ReminderLetter>();
  for (const r of rows) {
    const id = Number(r.family_id);
    let letter = letters.get(id);
    if (!letter) {
      const c = contacts.get(id);
      const civility = c?.relationship === 'MERE' ? 'Madame' : c?.relationship === 'PERE' ? 'Monsieur' : 'Madame, Monsieur';
      letter = {
        familyName: r.name,
        familyCode: r.code,
        addressee: c ? `${civility} ${c.first_name} ${c.last_name}` : `Famille ${r.name}`,
        addressLines: c ? [c.address1, c.address2, c.address3, `${c.postal_code} ${c.city}`.trim()].filter((l) => !!l) : [],
        wallets: [],
      };
      letters.set(id, letter);
    }
    letter.wallets.push({ label: r.label, balanceCents: Number(r.amount_cents) });
  }
  const date = rows[0]!.sent_on;
  const pdf = await reminderLettersPdf({ commune, date, portalUrl: settings.publicBaseUrl, letters: [...letters.values()] }, ctx.clock.now());
  return { pdf, filename: `relances-${date}.pdf`, count: letters.size };
}

interface Card {
  family_id: number;
  relationship: string;
  first_name: string;
  last_name: string;
  address1: string;
  address2: string;
  address3: string;
  postal_code: string;
  city: string;
}

/** Each family's first billing card (else its first card), in one query. */
async function billingCards(db: Knex, familyIds: number[]): Promise<Map<number, Card>> {
  const out = new Map<number, Card>();
  for (let i = 0; i < familyIds.length; i += 500) {
    const cards = (await db('contacts')
      .whereIn('family_id', familyIds.slice(i, i + 500))
      .orderBy([{ column: 'family_id' }, { column: 'use_for_billing', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .select('family_id', 'relationship', 'first_name', 'last_name', 'address1', 'address2', 'address3', 'postal_code', 'city')) as Card[];
    for (const c of cards) if (!out.has(Number(c.family_id))) out.set(Number(c.family_id), c);
  }
  return out;
}

/** The reminders on a family's file, newest first. */
export async function familyReminders(ctx: CoreContext, actor: Actor, familyId: number): Promise<FamilyRemindersView> {
  authorizeStaff(actor, 'balances.remind');
  const family = await ctx.db('families').where('id', familyId).first('id');
  if (!family) throw notFound('Famille');
  const rows = (await ctx
    .db('family_reminders as r')
    .join('wallets as w', 'w.id', 'r.wallet_id')
    .leftJoin('staff_users as s', 's.id', 'r.staff_user_id')
    .where('r.family_id', familyId)
    .orderBy([{ column: 'r.sent_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
    .limit(100)
    .select('r.id', 'r.sent_on', 'r.sent_at', 'r.channel', 'r.amount_cents', 'w.label as wallet_label', 's.display_name as staff_name')) as Array<{
    id: number;
    sent_on: string;
    sent_at: string;
    channel: ReminderChannel;
    amount_cents: number;
    wallet_label: string;
    staff_name: string | null;
  }>;
  const reminders: FamilyReminderRow[] = rows.map((r) => ({
    id: Number(r.id),
    sentOn: r.sent_on,
    sentAt: r.sent_at,
    channel: r.channel,
    walletLabel: r.wallet_label,
    amountCents: Number(r.amount_cents),
    staffName: r.staff_name,
  }));
  return { reminders };
}
