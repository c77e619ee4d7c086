import type { Knex } from 'knex';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { formatDateNumericFr, parisToday } from '../dates.js';
import { buildSearchText } from '../family-search.js';
import { authorizeStaff } from '../policy.js';
import { writeTransaction } from '../tx.js';
import type { WalletColumn } from './fields.js';
import { emptyCounts, type ImportCounts, type ImportIssue, type PlannedFamily } from './plan.js';
import type { Sheet } from './read.js';
import { writeChildren, writeContacts, type ContactRowOut } from './apply-rows.js';
import { chunks, selectIn } from './sql.js';
import { centsText, validateRows } from './validate.js';
import { defaultLowBalanceThresholdCents } from '../settings/portal.js';

/**
 * The import itself, and its dry run by the very same code: everything is written inside one
 * write transaction, which is rolled back when the file has an error or when only a preview
 * was asked for, so the preview's counts are what the import does. Idempotent by external
 * reference: a re-run compares and writes only what changed. Lookups are batched per table
 * and inserts go in chunks, so 20,000 children are a few hundred statements, not 100,000.
 */

export interface ImportReport {
  fileName: string;
  checksum: string;
  counts: ImportCounts;
  issues: ImportIssue[];
  errorCount: number;
  warningCount: number;
  applied: boolean;
  importId: number | null;
}

/** An account opened by an import has no password until its welcome letter gives one. */
export const NO_PASSWORD_YET = '!import:no-password-yet';
const MAX_ISSUES_SHOWN = 5000;

class Rollback extends Error {}

export async function importFamilies(
  ctx: CoreContext,
  actor: Actor,
  input: { sheet: Sheet; mapping: readonly string[]; fileName: string; checksum: string; dryRun: boolean },
): Promise<ImportReport> {
  const staff = authorizeStaff(actor, 'import.run');
  const now = ctx.clock.now();
  const schools = (await ctx.db('schools').select('id', 'name')) as Array<{ id: number; name: string }>;
  const wallets = (await ctx.db('wallets').orderBy(['position', 'id']).select('id', 'code', 'label')) as WalletColumn[];
  const { families, issues } = await validateRows({ sheet: input.sheet, mapping: input.mapping, schools, wallets });
  const counts = emptyCounts(input.sheet.rows.length);
  const report = (applied: boolean, importId: number | null): ImportReport => {
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return {
      fileName: input.fileName,
      checksum: input.checksum,
      counts,
      issues: issues.slice(0, MAX_ISSUES_SHOWN),
      errorCount: issues.filter((i) => i.severity === 'error').length,
      warningCount: issues.filter((i) => i.severity === 'warning').length,
      applied,
      importId,
    };
  };
  try {
    return await writeTransaction(ctx.db, async (trx) => {
      const [row] = await trx('family_imports')
        .insert({ file_name: input.fileName.slice(0, 200), checksum: input.checksum, counts_json: '{}', staff_user_id: staff.staffUserId, created_at: now.toISOString() })
        .returning('id');
      const importId = Number(typeof row === 'object' ? (row as { id: number }).id : row);
      await applyPlan(trx, { families, issues, counts, wallets, importId, staffUserId: staff.staffUserId, now, headerOf: columnHeader(input) });
      const hasErrors = issues.some((i) => i.severity === 'error');
      if (hasErrors || input.dryRun) throw new Rollback();
      await trx('family_imports').where('id', importId).update({ counts_json: JSON.stringify(counts) });
      await audit(
        trx,
        staff,
        { action: 'import.families', entity: 'family_import', entityId: importId, after: { fileName: input.fileName, checksum: input.checksum, ...counts }, note: input.fileName },
        now,
      );
      return report(true, importId);
    });
  } catch (err) {
    if (err instanceof Rollback) return report(false, null);
    throw err;
  }
}

function columnHeader(input: { sheet: Sheet; mapping: readonly string[] }) {
  return (key: string) => {
    const i = input.mapping.indexOf(key);
    return i < 0 ? key : input.sheet.headers[i] || `colonne ${i + 1}`;
  };
}

interface ApplyInput {
  families: PlannedFamily[];
  issues: ImportIssue[];
  counts: ImportCounts;
  wallets: WalletColumn[];
  importId: number;
  staffUserId: number;
  now: Date;
  headerOf: (key: string) => string;
}

async function applyPlan(trx: Knex, a: ApplyInput): Promise<void> {
  const { counts, issues, now } = a;
  const at = now.toISOString();
  const err = (f: PlannedFamily, line: number, key: string, message: string) => {
    issues.push({ line, column: a.headerOf(key), message, severity: 'error' });
    f.invalid = true;
  };

  // Everything the file could touch, in one query per table (chunked).
  const existing = await selectIn<{ id: number; external_ref: string; name: string; quotient_familial: number | null; code: string }>(
    trx, 'families', 'external_ref', a.families.map((f) => f.ref), ['id', 'external_ref', 'name', 'quotient_familial', 'code']);
  const familyByRef = new Map(existing.map((f) => [f.external_ref, f]));
  const childRows = await selectIn<Record<string, unknown> & { id: number; family_id: number; external_ref: string }>(
    trx, 'children', 'external_ref', a.families.flatMap((f) => f.children.map((c) => c.ref)), ['*']);
  const childByRef = new Map(childRows.map((c) => [c.external_ref, c]));
  const accounts = await selectIn<{ id: number; family_id: number; username: string }>(
    trx, 'parent_accounts', 'username', a.families.flatMap((f) => (f.login ? [f.login.username] : [])), ['id', 'family_id', 'username']);
  const accountByName = new Map(accounts.map((x) => [x.username.toLowerCase(), x]));
  const existingIds = existing.map((f) => f.id);
  const balances = await selectIn<{ family_id: number; wallet_id: number; amount_cents: number }>(
    trx, 'import_opening_balances', 'family_id', existingIds, ['family_id', 'wallet_id', 'amount_cents']);
  const balanceOf = new Map(balances.map((b) => [`${b.family_id}:${b.wallet_id}`, b.amount_cents]));

  // Checks against what the database already holds.
  for (const f of a.families) {
    const famId = familyByRef.get(f.ref)?.id ?? null;
    for (const c of f.children) {
      const known = childByRef.get(c.ref);
      if (known && known.family_id !== famId) err(f, c.line, 'childRef', `« ${c.ref} » est déjà l’enfant ${String(known.first_name)} d’une autre famille.`);
    }
    const owner = f.login ? accountByName.get(f.login.username) : undefined;
    if (f.login && owner && owner.family_id !== famId) err(f, f.login.line, 'portalUsername', `« ${f.login.username} » est déjà l’identifiant d’une autre famille.`);
  }
  const valid = a.families.filter((f) => !f.invalid);

  // Families: new ones in chunks (codes continue F0001…), changed ones updated.
  const codes = (await trx('families').where('code', 'like', 'F%').select('code')) as Array<{ code: string }>;
  let next = codes.reduce((m, c) => Math.max(m, /^F(\d+)$/.test(c.code) ? Number(c.code.slice(1)) : 0), 0);
  const fresh = valid.filter((f) => !familyByRef.has(f.ref));
  // A family typed by hand under the same name is probably the same household: said, not merged.
  const homonyms = await selectIn<{ name: string; code: string; external_ref: string | null }>(trx, 'families', 'name', fresh.map((f) => f.name), ['name', 'code', 'external_ref']);
  const handTyped = new Map(homonyms.filter((h) => h.external_ref == null).map((h) => [h.name, h.code]));
  for (const f of fresh) {
    const code = handTyped.get(f.name);
    if (code) issues.push({ line: f.line, column: a.headerOf('familyName'), message: `une famille ${f.name} existe déjà (dossier ${code}) : vérifiez qu’il ne s’agit pas du même foyer, l’import en crée une nouvelle.`, severity: 'warning' });
  }
  const familyId = new Map<string, number>();
  // New families start with the admin's default alert threshold (Paramètres › Portail), as at the counter.
  const threshold = await defaultLowBalanceThresholdCents(trx);
  for (const part of chunks(fresh)) {
    const rows = part.map((f) => {
      const code = `F${String(++next).padStart(4, '0')}`;
      const search = buildSearchText({
        family: { name: f.name, code },
        contacts: f.contacts.map((c) => ({ first_name: c.values.firstName, last_name: c.values.lastName, phone: c.values.phone, mobile: c.values.mobile, work_phone: c.values.workPhone, work_mobile: c.values.workMobile, email: c.values.email })),
        children: f.children.map((c) => ({ first_name: c.firstName, last_name: c.lastName })),
      });
      return { code, name: f.name, quotient_familial: f.quotientFamilial, low_balance_threshold_cents: threshold, external_ref: f.ref, search_text: search, active: true, created_at: at, updated_at: at };
    });
    const ids = (await trx('families').insert(rows).returning(['id', 'external_ref'])) as Array<{ id: number; external_ref: string }>;
    for (const r of ids) familyId.set(r.external_ref, r.id);
  }
  counts.familiesNew = fresh.length;
  const touched = new Set<number>(); // existing families whose search text must be rebuilt
  for (const f of valid) {
    const old = familyByRef.get(f.ref);
    if (!old) continue;
    familyId.set(f.ref, old.id);
    const qf = f.quotientFamilial ?? old.quotient_familial;
    if (old.name !== f.name || old.quotient_familial !== qf) {
      await trx('families').where('id', old.id).update({ name: f.name, quotient_familial: qf, updated_at: at });
      touched.add(old.id);
    }
  }

  const contactIds: Map<string, ContactRowOut> = await writeContacts(trx, valid, familyId, existingIds, counts, touched, at);
  await writeChildren(trx, valid, familyId, childByRef, counts, touched, at);

  // Portal logins: opened without a password; the welcome letters give one.
  const newAccounts = valid.filter((f) => f.login && !accountByName.has(f.login.username));
  for (const part of chunks(newAccounts)) {
    const rows = part.map((f) => ({
      family_id: familyId.get(f.ref)!,
      contact_id: contactIds.get(`${f.ref}:1`)?.id ?? null,
      username: f.login!.username,
      email: f.login!.email,
      password_hash: NO_PASSWORD_YET,
      must_change_password: true,
      active: true,
      failed_logins: 0,
      created_at: at,
      updated_at: at,
    }));
    const ids = (await trx('parent_accounts').insert(rows).returning('id')) as Array<{ id: number }>;
    await trx('imported_accounts').insert(ids.map((r) => ({ parent_account_id: r.id, import_id: a.importId, letter_at: null })));
  }
  counts.accountsNew = newAccounts.length;

  // Opening balances: once per family and wallet; a different value on a re-run is reported.
  const label = `Solde repris lors de l’import du ${formatDateNumericFr(parisToday(now))}`;
  const entries: Array<{ familyId: number; walletId: number; cents: number }> = [];
  const walletLabel = new Map(a.wallets.map((w) => [w.id, w.label]));
  for (const f of valid) {
    const id = familyId.get(f.ref)!;
    for (const [walletId, cents] of f.balances) {
      const before = balanceOf.get(`${id}:${walletId}`);
      if (before === undefined) entries.push({ familyId: id, walletId, cents });
      else if (before !== cents) {
        issues.push({
          line: f.line,
          column: `Solde ${walletLabel.get(walletId) ?? ''}`.trim(),
          message: `${centsText(before)} déjà repris lors d’un import précédent : la nouvelle valeur ${centsText(cents)} n’est pas appliquée (faites une régularisation si besoin).`,
          severity: 'warning',
        });
      }
    }
  }
  for (const part of chunks(entries)) {
    const ids = (await trx('ledger_entries')
      .insert(part.map((e) => ({ family_id: e.familyId, wallet_id: e.walletId, amount_cents: e.cents, kind: 'adjustment', label: `${label} (${walletLabel.get(e.walletId) ?? ''})`.slice(0, 200), reason: label, staff_user_id: a.staffUserId, created_at: at })))
      .returning('id')) as Array<{ id: number }>;
    await trx('import_opening_balances').insert(part.map((e, i) => ({ family_id: e.familyId, wallet_id: e.walletId, amount_cents: e.cents, ledger_entry_id: ids[i]!.id, import_id: a.importId })));
  }
  counts.balancesNew = entries.length;
  counts.balancesTotalCents = entries.reduce((s, e) => s + e.cents, 0);

  const existingSet = new Set(existingIds);
  const updated = [...touched].filter((id) => existingSet.has(id));
  counts.familiesUpdated = updated.length;
  counts.familiesUnchanged = valid.length - fresh.length - updated.length;
  await rebuildSearchText(trx, updated);
}

/** The search text of the existing families the import changed, grouped in memory (no per-family reads). */
async function rebuildSearchText(trx: Knex, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const families = await selectIn<{ id: number; name: string; code: string }>(trx, 'families', 'id', ids, ['id', 'name', 'code']);
  const contacts = await selectIn<{ family_id: number; first_name: string; last_name: string; phone: string; mobile: string; work_phone: string; work_mobile: string; email: string }>(
    trx, 'contacts', 'family_id', ids, ['family_id', 'first_name', 'last_name', 'phone', 'mobile', 'work_phone', 'work_mobile', 'email']);
  const children = await selectIn<{ family_id: number; first_name: string; last_name: string }>(trx, 'children', 'family_id', ids, ['family_id', 'first_name', 'last_name']);
  const group = <T extends { family_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) m.set(r.family_id, [...(m.get(r.family_id) ?? []), r]);
    return m;
  };
  const byC = group(contacts);
  const byK = group(children);
  for (const f of families) {
    await trx('families').where('id', f.id).update({ search_text: buildSearchText({ family: f, contacts: byC.get(f.id) ?? [], children: byK.get(f.id) ?? [] }) });
  }
}
