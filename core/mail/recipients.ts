/**
 * The addresses a family's mails go to: its billing contacts, else its portal accounts, at most
 * three. Loaded for many families in a constant number of queries (a closure can concern hundreds).
 */
import type { Knex } from 'knex';

const MAX_RECIPIENTS = 3;
const CHUNK = 500;

interface AddressRow {
  family_id: number;
  email: string | null;
  billing: number | string;
}

/** Billing contacts win over portal accounts; duplicates (any case) count once. */
function pickRecipients(rows: AddressRow[]): string[] {
  const billing = rows.filter((r) => Number(r.billing) === 1);
  const source = billing.length > 0 ? billing : rows;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of source) {
    const email = (r.email ?? '').trim();
    if (!email || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    out.push(email);
  }
  return out.slice(0, MAX_RECIPIENTS);
}

/** Recipients of each family in `familyIds` (an empty list for a family without any address). */
export async function familiesMailRecipients(trx: Knex, familyIds: readonly number[]): Promise<Map<number, string[]>> {
  const ids = [...new Set(familyIds)];
  const byFamily = new Map<number, AddressRow[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows: AddressRow[] = await trx('contacts')
      .whereIn('family_id', chunk)
      .where('use_for_billing', true)
      .whereNot('email', '')
      .select('family_id', 'email', trx.raw('1 as billing'))
      .unionAll((q) =>
        q.from('parent_accounts').whereIn('family_id', chunk).where('active', true).whereNotNull('email').select('family_id', 'email', trx.raw('0 as billing')),
      );
    for (const r of rows) byFamily.get(Number(r.family_id))?.push(r);
  }
  return new Map([...byFamily].map(([id, rows]) => [id, pickRecipients(rows)]));
}

export async function familyMailRecipients(trx: Knex, familyId: number): Promise<string[]> {
  return (await familiesMailRecipients(trx, [familyId])).get(familyId) ?? [];
}
