import type { Knex } from 'knex';
import { DEFAULT_RETENTION_YEARS, gdprSettingsInput, type GdprBalance, type GdprSettings, type InactiveFamiliesView } from '../../api/gdpr.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { authorizeStaff } from '../policy.js';
import { firstIssue, readSettingJson, writeSettingJson } from '../settings/store.js';
import { writeTransaction } from '../tx.js';

/** "Paramètres › Données personnelles": how long a departed family's data is kept (key `gdpr`). */
export const GDPR_SETTINGS_KEY = 'gdpr';

export async function getGdprSettings(db: Knex): Promise<GdprSettings> {
  const parsed = gdprSettingsInput.safeParse(await readSettingJson(db, GDPR_SETTINGS_KEY));
  return parsed.success ? parsed.data : { retentionYears: DEFAULT_RETENTION_YEARS };
}

export async function gdprSettingsView(db: Knex, actor: Actor): Promise<GdprSettings> {
  authorizeStaff(actor, 'settings.manage');
  return getGdprSettings(db);
}

export async function saveGdprSettings(ctx: CoreContext, actor: Actor, input: unknown): Promise<GdprSettings> {
  const admin = authorizeStaff(actor, 'settings.manage');
  const parsed = gdprSettingsInput.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw invalid(message, { field: field || 'retentionYears' });
  }
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const before = await getGdprSettings(trx);
    await writeSettingJson(trx, GDPR_SETTINGS_KEY, parsed.data, now);
    await audit(trx, admin, { action: 'settings.gdpr', entity: 'settings', entityId: GDPR_SETTINGS_KEY, before, after: parsed.data }, now);
  });
  return parsed.data;
}

/** now minus N calendar years, as an ISO instant (29 February falls back to 1 March). */
export function cutoffOf(now: Date, years: number): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString();
}

/**
 * "Familles inactives": not yet anonymised families whose last booking, ledger movement (sales,
 * bookings, payments, refunds all write one), receipt, online payment or portal sign-in is older
 * than the retention period, oldest first, with their balances. The file's creation counts as
 * activity, so a family created yesterday without any booking is not "inactive".
 *
 * One grouped query over a UNION ALL of per-table maxima (each uses its family_id or child_id
 * index), then one grouped query for the listed families' balances: no query per family.
 */
export async function listInactiveFamilies(ctx: CoreContext, actor: Actor): Promise<InactiveFamiliesView> {
  authorizeStaff(actor, 'gdpr.anonymise');
  const db = ctx.db;
  const { retentionYears } = await getGdprSettings(db);
  const cutoff = cutoffOf(ctx.clock.now(), retentionYears);

  const activity = db
    .select('id as family_id', 'created_at as at')
    .from('families')
    .unionAll([
      db('ledger_entries').select('family_id').max({ at: 'created_at' }).groupBy('family_id'),
      db('receipts').select('family_id').max({ at: 'created_at' }).groupBy('family_id'),
      db('online_payments').select('family_id').max({ at: 'created_at' }).groupBy('family_id'),
      db('parent_accounts').select('family_id').max({ at: 'last_login_at' }).whereNotNull('last_login_at').groupBy('family_id'),
      db('bookings as b').join('children as c', 'c.id', 'b.child_id').select('c.family_id').max({ at: 'b.updated_at' }).groupBy('c.family_id'),
    ])
    .as('a');
  const rows = (await db
    .from(activity)
    .join('families as f', 'f.id', 'a.family_id')
    .whereNull('f.anonymised_at')
    .groupBy('f.id', 'f.name', 'f.code')
    .havingRaw('MAX(a.at) < ?', [cutoff])
    .select('f.id', 'f.name', 'f.code')
    .max({ last: 'a.at' })
    .orderBy([{ column: 'last' }, { column: 'f.id' }])) as Array<{ id: number; name: string; code: string; last: string }>;

  const balances = new Map<number, GdprBalance[]>();
  if (rows.length > 0) {
    const wallets = (await db('wallets').orderBy([{ column: 'position' }, { column: 'id' }]).select('id', 'label')) as Array<{ id: number; label: string }>;
    const sums = (await db('ledger_entries')
      .whereIn('family_id', rows.map((r) => r.id))
      .groupBy('family_id', 'wallet_id')
      .select('family_id', 'wallet_id')
      .sum({ total: 'amount_cents' })) as Array<{ family_id: number; wallet_id: number; total: number | string | null }>;
    const total = new Map(sums.map((s) => [`${s.family_id}:${s.wallet_id}`, Number(s.total ?? 0)]));
    for (const r of rows) balances.set(r.id, wallets.map((w) => ({ walletId: w.id, label: w.label, balanceCents: total.get(`${r.id}:${w.id}`) ?? 0 })));
  }
  return {
    retentionYears,
    cutoff,
    families: rows.map((r) => ({ id: r.id, name: r.name, code: r.code, lastActivityAt: r.last, balances: balances.get(r.id) ?? [] })),
  };
}
