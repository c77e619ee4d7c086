/**
 * The commune's identity (api/commune.ts), one JSON row of the `settings` table under
 * COMMUNE_SETTINGS_KEY. Every paper, mail, export and both clients read it here; a blank
 * identity stands until the setup (or the demo seed) writes one.
 */
import type { Knex } from 'knex';
import { BLANK_COMMUNE, communeInputSchema, type CommuneIdentity, type CommuneInput } from '../api/commune.js';
import { authorizeStaff } from './policy.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { invalid } from './errors.js';
import { writeTransaction } from './tx.js';

export const COMMUNE_SETTINGS_KEY = 'commune';

const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/**
 * Reads a stored record, tolerating the first version's shape (`shortName`, "Commune de X" in
 * `name`, "Département de la Dordogne" in `department`) so that older databases keep their name.
 */
export function communeFromStored(raw: unknown): CommuneIdentity {
  if (!raw || typeof raw !== 'object') return BLANK_COMMUNE;
  const c = raw as Record<string, unknown>;
  const name = str(c.shortName, str(c.name, '').replace(/^Commune d(?:e |’|')/, ''));
  return {
    name,
    department: str(c.department, '').replace(/^Département d(?:e la |e l’|u |es |e )/, ''),
    address: Array.isArray(c.address) ? c.address.map(String) : [],
    service: str(c.service, BLANK_COMMUNE.service),
    email: str(c.email, ''),
    phone: str(c.phone, ''),
    website: str(c.website, ''),
    regie: str(c.regie, BLANK_COMMUNE.regie),
    regisseur: str(c.regisseur, ''),
  };
}

export async function getCommune(db: Knex): Promise<CommuneIdentity> {
  const row: { value: string } | undefined = await db('settings').where('key', COMMUNE_SETTINGS_KEY).first('value');
  if (!row) return BLANK_COMMUNE;
  try {
    return communeFromStored(JSON.parse(row.value));
  } catch {
    return BLANK_COMMUNE;
  }
}

/** The admin's "Commune" screen: validated, saved, audited with before and after. */
export async function saveCommune(ctx: CoreContext, actor: Actor, input: unknown): Promise<CommuneIdentity> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = communeInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(issue.message, { field: String(issue.path[0] ?? '') });
  }
  const next: CommuneInput = parsed.data;
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const before = await getCommune(trx);
    const value = JSON.stringify(next);
    const at = now.toISOString();
    const updated = await trx('settings').where('key', COMMUNE_SETTINGS_KEY).update({ value, updated_at: at });
    if (updated === 0) await trx('settings').insert({ key: COMMUNE_SETTINGS_KEY, value, updated_at: at });
    await audit(trx, admin, { action: 'settings.commune', entity: 'settings', entityId: COMMUNE_SETTINGS_KEY, before, after: next }, now);
    return communeFromStored(next);
  });
}
