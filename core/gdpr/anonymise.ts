import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { anonymiseInput, type AnonymiseResult } from '../../api/gdpr.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { documentsDir } from '../documents.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { normaliseText, refreshFamilySearchText } from '../family-search.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { balanceRefusal, gdprBalances, pseudonymOf } from './guard.js';

/**
 * "Anonymiser" (admin): erases a departed family's personal data and keeps, under a pseudonym,
 * what public accounting must keep (ledger, receipts, invoices, bookings and their prices).
 *
 * Erased: the family's name, staff note and external reference; every contact card (names,
 * phones, e-mails, addresses); the children's names, diets, allergies and PAI; the portal
 * accounts' logins and e-mails (accounts disabled, sessions and reset links deleted); the
 * documents (rows now, files after commit); the messages; the mails of the outbox; the
 * attendance notes; the before/after and notes of the journal's rows about the family.
 *
 * Kept, on purpose:
 * - the children's birth YEAR (stored as YYYY-01-01): the CAF's statistics and the commune's
 *   reports count children by age group, the day and month add nothing to them;
 * - school and class: statistics per school, no one is identified by them once names are gone;
 * - the quotient familial: it justifies the tariff bracket of every price already charged,
 *   which the comptable public may ask to check;
 * - the ledger rows as they are, labels included (they may name a child's first name, e.g.
 *   "Cantine — Julia — 12/05/2026"): the ledger is append-only and the régie may not rewrite
 *   its books; without surname, family or contacts that first name no longer points to anyone;
 * - receipts and invoices with their numbers and amounts; an invoice line naming a child gets
 *   the child's pseudonym instead ("Enfant 1"), the paper re-printed shows the pseudonym.
 *
 * Refused while any wallet balance is not zero (money owed either way must be settled first),
 * and a second time.
 */
export async function anonymiseFamily(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; body: unknown; dataDir: string },
): Promise<AnonymiseResult> {
  const admin = authorizeStaff(actor, 'gdpr.anonymise');
  const parsed = anonymiseInput.safeParse(input.body);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'Confirmation manquante.', { field: 'confirm' });
  const now = ctx.clock.now();
  const at = now.toISOString();
  const familyId = input.familyId;

  const { result, files } = await writeTransaction(ctx.db, async (trx) => {
    const family = (await trx('families').where('id', familyId).first('id', 'name', 'code', 'anonymised_at')) as
      | { id: number; name: string; code: string; anonymised_at: string | null }
      | undefined;
    if (!family) throw notFound('Famille');
    if (family.anonymised_at) throw new DomainError('CONFLICT', 'Cette famille est déjà anonymisée.');
    const balances = await gdprBalances(trx, familyId);
    const refusal = balanceRefusal(balances);
    if (refusal) {
      const open = balances.find((b) => b.balanceCents !== 0)!;
      throw new DomainError('CONFLICT', refusal, { walletId: open.walletId, balanceCents: open.balanceCents });
    }
    const pseudonym = pseudonymOf(familyId);
    const erased = await eraseRows(trx, family, pseudonym, at);
    await audit(trx, admin, { action: 'gdpr.anonymise', entity: 'family', entityId: familyId, familyId, after: { pseudonym, erased: erased.counts } }, now);
    return { result: { familyId, pseudonym, anonymisedAt: at, erased: erased.counts }, files: erased.files };
  });

  // After commit: a crash here leaves orphan files under random names, never a row without its file.
  const dir = documentsDir(input.dataDir);
  for (const name of files) {
    if (!/^[0-9a-f]{40}\.(pdf|jpg|png)$/.test(name)) continue;
    await fs.rm(path.join(dir, name), { force: true });
  }
  return result;
}

async function eraseRows(
  trx: Knex.Transaction,
  family: { id: number; name: string; code: string },
  pseudonym: string,
  at: string,
): Promise<{ counts: AnonymiseResult['erased']; files: string[] }> {
  const familyId = family.id;
  const children = (await trx('children').where('family_id', familyId).orderBy('id').select('id', 'first_name', 'birth_date')) as Array<{ id: number; first_name: string; birth_date: string }>;
  const childIds = children.map((c) => c.id);
  const accounts = (await trx('parent_accounts').where('family_id', familyId).select('id')) as Array<{ id: number }>;
  const accountIds = accounts.map((a) => a.id);
  const emails = ((await trx('contacts').where('family_id', familyId).select('email')) as Array<{ email: string }>).map((c) => c.email).filter(Boolean);
  emails.push(...((await trx('parent_accounts').where('family_id', familyId).whereNotNull('email').select('email')) as Array<{ email: string }>).map((a) => a.email));

  // A dossier code made of the name ("F-DEVRET") would give the name back; a neutral one stays.
  const code = normaliseText(family.code).includes(normaliseText(family.name)) ? `ANON-${familyId}` : family.code;
  await trx('families').where('id', familyId).update({ name: pseudonym, code, staff_note: null, external_ref: null, active: false, anonymised_at: at, updated_at: at });

  const contacts = await trx('contacts').where('family_id', familyId).delete();

  // Invoice lines may name a child: the name becomes the child's pseudonym, amounts untouched.
  const lines = (await trx('invoice_lines as l').join('invoices as i', 'i.id', 'l.invoice_id').where('i.family_id', familyId).select('l.id', 'l.label')) as Array<{ id: number; label: string }>;
  for (const line of lines) {
    let label = line.label;
    children.forEach((c, i) => {
      if (c.first_name) label = label.split(c.first_name).join(`Enfant ${i + 1}`);
    });
    if (label !== line.label) await trx('invoice_lines').where('id', line.id).update({ label });
  }
  for (const [i, c] of children.entries()) {
    await trx('children')
      .where('id', c.id)
      .update({
        first_name: `Enfant ${i + 1}`,
        last_name: pseudonym,
        birth_date: `${c.birth_date.slice(0, 4)}-01-01`,
        diet: 'standard',
        allergies: '',
        pai: false,
        pai_note: '',
        external_ref: null,
        active: false,
        updated_at: at,
      });
  }
  if (childIds.length > 0) await trx('attendance').whereIn('child_id', childIds).update({ note: '' });

  if (accountIds.length > 0) {
    await trx('sessions').whereIn('parent_account_id', accountIds).delete();
    await trx('password_resets').whereIn('parent_account_id', accountIds).delete();
    for (const id of accountIds) {
      // '!' is no scrypt hash: no password can ever match it.
      await trx('parent_accounts').where('id', id).update({ username: `anonyme-${id}`, email: null, password_hash: '!', contact_id: null, active: false, must_change_password: true, locked_until: null, updated_at: at });
    }
  }

  const docs = (await trx('documents').where('family_id', familyId).select('stored_name')) as Array<{ stored_name: string }>;
  await trx('documents').where('family_id', familyId).delete();

  const threadIds = ((await trx('message_threads').where('family_id', familyId).select('id')) as Array<{ id: number }>).map((t) => t.id);
  const messages = threadIds.length > 0 ? await trx('messages').whereIn('thread_id', threadIds).delete() : 0;
  await trx('message_threads').where('family_id', familyId).delete();

  await trx('mail_outbox').where('family_id', familyId).delete();
  if (emails.length > 0) await trx('mail_outbox').whereIn('to_address', emails).delete();
  await trx('online_payments').where('family_id', familyId).update({ email: '' });

  // The journal keeps who did what and when about the family; what it said of the family goes.
  const auditRows = await trx('audit_log').where('family_id', familyId).update({ before_json: null, after_json: null, note: null });

  await refreshFamilySearchText(trx, familyId);
  return {
    counts: { contacts, children: children.length, portalAccounts: accountIds.length, documents: docs.length, messages, auditRows },
    files: docs.map((d) => d.stored_name),
  };
}
