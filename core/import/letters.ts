import { PDFDocument } from 'pdf-lib';
import { audit } from '../audit.js';
import { generateTemporaryPassword, hashPassword } from '../auth.js';
import { getCommune } from '../commune.js';
import type { Actor, CoreContext } from '../context.js';
import { parisToday } from '../dates.js';
import { DomainError } from '../errors.js';
import { welcomeLetterPdf } from '../pdf/welcome-letter.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import { NO_PASSWORD_YET } from './apply.js';

/**
 * "Courriers de bienvenue" after an import: the logins it opened have no password (hashing one
 * per row would take hours at 20,000); each letter gives its account a fresh temporary password,
 * hashed in libuv's pool (core/passwords.ts, one hash per core at a time), a bounded batch per
 * call. Only accounts that never signed in and got no letter yet are printed; a second call
 * prints the next batch.
 */

export const LETTERS_PER_BATCH = 50;

interface Pending {
  id: number;
  family_id: number;
  username: string;
  contact_id: number | null;
}

function pendingQuery(ctx: CoreContext, importId: number | null) {
  const q = ctx
    .db('imported_accounts as i')
    .join('parent_accounts as p', 'p.id', 'i.parent_account_id')
    .join('families as f', 'f.id', 'p.family_id')
    .whereNull('i.letter_at')
    // Never given a password: a login reset at the counter keeps the letter printed there.
    .where('p.password_hash', NO_PASSWORD_YET)
    .whereNull('p.last_login_at')
    .where('p.active', true);
  if (importId != null) q.where('i.import_id', importId);
  return q;
}

export async function pendingLetterCount(ctx: CoreContext, actor: Actor, importId: number | null): Promise<number> {
  authorizeStaff(actor, 'import.run');
  const row = (await pendingQuery(ctx, importId).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

export async function importedWelcomeLetters(
  ctx: CoreContext,
  actor: Actor,
  input: { importId: number | null; portalUrl: string; limit?: number },
): Promise<{ pdf: Uint8Array; filename: string; count: number; remaining: number }> {
  const staff = authorizeStaff(actor, 'import.run');
  const limit = Math.min(Math.max(input.limit ?? LETTERS_PER_BATCH, 1), LETTERS_PER_BATCH);
  const accounts = (await pendingQuery(ctx, input.importId)
    .orderBy([{ column: 'f.name' }, { column: 'p.id' }])
    .limit(limit)
    .select('p.id', 'p.family_id', 'p.username', 'p.contact_id')) as Pending[];
  if (accounts.length === 0) throw new DomainError('CONFLICT', 'Aucun courrier à imprimer : chaque accès importé a déjà reçu le sien ou s’est déjà connecté.');
  // Off the event loop, before the transaction: the write lock is held only for the updates.
  const passwords = accounts.map(() => generateTemporaryPassword());
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));
  const now = ctx.clock.now();
  const at = now.toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    for (let i = 0; i < accounts.length; i++) {
      await trx('parent_accounts').where('id', accounts[i]!.id).update({ password_hash: hashes[i], must_change_password: true, failed_logins: 0, locked_until: null, updated_at: at });
    }
    await trx('imported_accounts').whereIn('parent_account_id', accounts.map((a) => a.id)).update({ letter_at: at });
    await audit(trx, staff, { action: 'import.welcome_letters', entity: 'family_import', entityId: input.importId, after: { count: accounts.length, usernames: accounts.map((a) => a.username) } }, now);
  });

  const commune = await getCommune(ctx.db);
  const families = new Map(
    ((await ctx.db('families').whereIn('id', [...new Set(accounts.map((a) => a.family_id))]).select('id', 'name', 'code')) as Array<{ id: number; name: string; code: string }>).map((f) => [f.id, f]),
  );
  const contacts = new Map(
    ((await ctx.db('contacts').whereIn('id', accounts.flatMap((a) => (a.contact_id ? [a.contact_id] : []))).select('*')) as Array<Record<string, string> & { id: number }>).map((c) => [c.id, c]),
  );
  const merged = await PDFDocument.create();
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i]!;
    const family = families.get(a.family_id)!;
    const contact = a.contact_id ? contacts.get(a.contact_id) : undefined;
    const civility = contact?.relationship === 'MERE' ? 'Madame' : contact?.relationship === 'PERE' ? 'Monsieur' : 'Madame, Monsieur';
    const bytes = await welcomeLetterPdf(
      {
        commune,
        familyName: family.name,
        familyCode: family.code,
        addressee: contact ? `${civility} ${contact.first_name} ${contact.last_name}` : `Famille ${family.name}`,
        addressLines: contact ? [contact.address1, contact.address2, contact.address3, `${contact.postal_code ?? ''} ${contact.city ?? ''}`.trim()].filter((l): l is string => !!l) : [],
        username: a.username,
        temporaryPassword: passwords[i]!,
        portalUrl: input.portalUrl,
        date: parisToday(now),
      },
      now,
    );
    const letter = await PDFDocument.load(bytes);
    for (const page of await merged.copyPages(letter, letter.getPageIndices())) merged.addPage(page);
  }
  merged.setTitle('Courriers de bienvenue eTicket');
  merged.setCreationDate(now);
  const remaining = await pendingLetterCount(ctx, actor, input.importId);
  return { pdf: await merged.save(), filename: `courriers-bienvenue-${parisToday(now)}.pdf`, count: accounts.length, remaining };
}
