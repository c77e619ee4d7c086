import type { Knex } from 'knex';
import type { FamilyHit } from '../api/staff.js';
import type { CoreContext } from './context.js';
import { writeTransaction } from './tx.js';

/**
 * Search-as-you-type over families for the counter: family name, dossier code, parents' and
 * children's names, phone numbers. Each family keeps a denormalised `search_text` (lower-case,
 * without accents, phone numbers as bare digits) so that a search is one query with LIKEs,
 * fast enough on a few thousand families without a full-text engine.
 *
 * Whoever changes a family's name, contacts or children must call refreshFamilySearchText
 * in the same transaction.
 */

/** "Élodie  DÉVRET-Müller" -> "elodie devret-muller": lower case, accents and extra spaces removed. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "+33 6 07 89 70 15" and "06.07.89.70.15" -> "0607897015". */
export function phoneDigits(phone: string): string {
  let digits = phone.replace(/\D+/g, '');
  if (digits.startsWith('0033')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('33') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return digits;
}

export interface SearchSource {
  family: { name: string; code: string };
  contacts: ReadonlyArray<{ first_name: string; last_name: string; phone: string; mobile: string; work_phone: string; work_mobile: string; email?: string }>;
  children: ReadonlyArray<{ first_name: string; last_name: string }>;
}

/**
 * The text a family is found by. It starts with the family name, so a prefix match on the
 * name ranks first; names are separated by " " and phones by " #" so a phone query never
 * matches across two numbers.
 */
export function buildSearchText(src: SearchSource): string {
  const names = [src.family.name, src.family.code];
  for (const c of src.contacts) names.push(`${c.last_name} ${c.first_name}`, `${c.first_name} ${c.last_name}`);
  for (const ch of src.children) names.push(`${ch.first_name} ${ch.last_name}`);
  const phones = new Set<string>();
  for (const c of src.contacts) {
    for (const p of [c.phone, c.mobile, c.work_phone, c.work_mobile]) {
      const d = phoneDigits(p ?? '');
      if (d.length >= 6) phones.add(d);
    }
  }
  const emails = src.contacts.map((c) => normaliseText(c.email ?? '')).filter(Boolean);
  const uniqueNames = [...new Set(names.map(normaliseText).filter(Boolean))];
  return [uniqueNames.join(' '), ...[...phones].map((p) => `#${p}`), ...emails].join(' ');
}

/** Recomputes one family's search text from its current rows (3 reads, 1 write). */
export async function refreshFamilySearchText(trx: Knex | Knex.Transaction, familyId: number): Promise<void> {
  const family = await trx('families').where({ id: familyId }).first('name', 'code');
  if (!family) return;
  const contacts = await trx('contacts')
    .where({ family_id: familyId })
    .select('first_name', 'last_name', 'phone', 'mobile', 'work_phone', 'work_mobile', 'email');
  const children = await trx('children').where({ family_id: familyId }).select('first_name', 'last_name');
  await trx('families').where({ id: familyId }).update({ search_text: buildSearchText({ family, contacts, children }) });
}

/** Recomputes every family (after an import or a schema change), in a fixed number of queries. */
export async function rebuildAllFamilySearchText(db: Knex, familyIds?: number[]): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const familiesQuery = trx('families').select('id', 'name', 'code');
    if (familyIds) familiesQuery.whereIn('id', familyIds);
    const families = (await familiesQuery) as Array<{ id: number; name: string; code: string }>;
    if (families.length === 0) return 0;
    const ids = families.map((f) => f.id);
    const contacts = (await trx('contacts')
      .whereIn('family_id', ids)
      .select('family_id', 'first_name', 'last_name', 'phone', 'mobile', 'work_phone', 'work_mobile', 'email')) as Array<SearchSource['contacts'][number] & { family_id: number }>;
    const children = (await trx('children').whereIn('family_id', ids).select('family_id', 'first_name', 'last_name')) as Array<{ family_id: number; first_name: string; last_name: string }>;
    for (const f of families) {
      const text = buildSearchText({
        family: f,
        contacts: contacts.filter((c) => c.family_id === f.id),
        children: children.filter((c) => c.family_id === f.id),
      });
      await trx('families').where({ id: f.id }).update({ search_text: text });
    }
    return families.length;
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Splits a typed query into LIKE patterns. A token of digits (spaces and dots allowed inside
 * a phone number) is matched against the phone part; any other token against the names.
 */
export function queryTokens(q: string): Array<{ kind: 'text' | 'phone'; value: string }> {
  const trimmed = q.trim();
  if (!trimmed) return [];
  // A whole query that looks like a phone number ("06 07 89", "+33 6…") is one phone token.
  if (/^[+\d][\d\s.()-]*$/.test(trimmed) && trimmed.replace(/\D/g, '').length >= 2) {
    const digits = phoneDigits(trimmed);
    return [{ kind: 'phone', value: digits }];
  }
  return normaliseText(trimmed)
    .split(' ')
    .filter(Boolean)
    .slice(0, 6)
    .map((t) => (/^\d{2,}$/.test(t) ? { kind: 'phone' as const, value: t } : { kind: 'text' as const, value: t }));
}

/**
 * Families matching every token of `q`, best first: family-name prefix, then a word prefix
 * anywhere, then any substring. One query for the match, two for the cards' names.
 */
export async function searchFamilies(
  ctx: CoreContext,
  input: { q: string; limit?: number; includeInactive?: boolean },
): Promise<FamilyHit[]> {
  const tokens = queryTokens(input.q);
  if (tokens.length === 0) return [];
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);

  const query = ctx.db('families').select('id', 'code', 'name', 'active');
  if (!input.includeInactive) query.where('active', true);
  for (const t of tokens) {
    // Phone digits sit after '#', but a digits token may also be part of a dossier code.
    query.whereRaw("search_text like ? escape '\\'", [`%${escapeLike(t.value)}%`]);
  }
  const first = tokens[0]!;
  const p = escapeLike(first.value);
  query
    .orderByRaw(
      `case when search_text like ? escape '\\' then 0 when search_text like ? escape '\\' then 1 else 2 end`,
      first.kind === 'phone' ? [`%#${p}%`, `%${p}%`] : [`${p}%`, `% ${p}%`],
    )
    .orderBy('name')
    .orderBy('id')
    .limit(limit);
  const rows = (await query) as Array<{ id: number; code: string; name: string; active: number | boolean }>;
  if (rows.length === 0) return [];

  const ids = rows.map((r) => r.id);
  const [contacts, children] = await Promise.all([
    ctx.db('contacts').whereIn('family_id', ids).orderBy(['family_id', 'position', 'id']).select('family_id', 'first_name', 'last_name') as Promise<
      Array<{ family_id: number; first_name: string; last_name: string }>
    >,
    ctx.db('children')
      .whereIn('family_id', ids)
      .where('active', true)
      .orderBy(['family_id', 'birth_date', 'id'])
      .select('family_id', 'first_name', 'class_name') as Promise<Array<{ family_id: number; first_name: string; class_name: string }>>,
  ]);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    active: !!r.active,
    contacts: contacts.filter((c) => c.family_id === r.id).map((c) => `${c.first_name} ${c.last_name}`),
    children: children.filter((c) => c.family_id === r.id).map((c) => (c.class_name ? `${c.first_name} (${c.class_name})` : c.first_name)),
  }));
}
