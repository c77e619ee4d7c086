/**
 * Numbering after a restore. A restored database's counters stop at the backup's moment, but
 * receipts and invoices may have been printed after it: reusing their numbers would give two
 * families the same receipt. So a restore leaves a "numbering to confirm" row; until the
 * régisseur confirms the last number issued on paper, counter sales and invoice issuing are
 * refused, and the skipped range (restored last + 1 … confirmed) is recorded in the journal.
 */
import type { Knex } from 'knex';
import { confirmNumberingInput, type NumberingYear, type RestorePendingView } from '../../api/restore.js';
import { formatDayMonthYearFr } from '../../api/format.js';
import { audit } from '../audit.js';
import type { Actor, CoreContext } from '../context.js';
import { parisDateOf, parisYearOf } from '../dates.js';
import { DomainError, invalid } from '../errors.js';
import { formatReceiptNumber } from '../receipt-view.js';
import { authorizeStaff } from '../policy.js';
import { firstIssue, readSettingJson } from '../settings/store.js';
import { writeTransaction } from '../tx.js';

// invoices.ts formats the same way; not imported from there, since invoices.ts imports this check.
const formatInvoiceNumber = (year: number, n: number): string => `F${year}-${String(n).padStart(6, '0')}`;

export const RESTORE_PENDING_KEY = 'restore_pending';

export const NUMBERING_UNCONFIRMED =
  'Après la restauration, confirmez d’abord le dernier numéro de reçu émis (Paramètres → Restauration).';

interface PendingRow {
  backupTakenAt: string;
  restoredAt: string;
  receipts: Record<string, number>;
  invoices: Record<string, number>;
}

function pendingOf(raw: Record<string, unknown>): PendingRow | null {
  if (raw.pending !== true) return null;
  const counters = (v: unknown): Record<string, number> => {
    const out: Record<string, number> = {};
    if (v && typeof v === 'object') for (const [k, n] of Object.entries(v)) if (/^\d{4}$/.test(k) && Number.isSafeInteger(n)) out[k] = n as number;
    return out;
  };
  return {
    backupTakenAt: typeof raw.backupTakenAt === 'string' ? raw.backupTakenAt : '',
    restoredAt: typeof raw.restoredAt === 'string' ? raw.restoredAt : '',
    receipts: counters(raw.receipts),
    invoices: counters(raw.invoices),
  };
}

/**
 * The check used by counter sales and invoice issuing (one line each): refuses while a restore's
 * numbering is not confirmed. One indexed read of the settings table.
 */
export async function assertNumberingConfirmed(db: Knex): Promise<void> {
  const row = (await db('settings').where('key', RESTORE_PENDING_KEY).first('value')) as { value: string } | undefined;
  if (row && row.value.includes('"pending":true')) throw new DomainError('CONFLICT', NUMBERING_UNCONFIRMED, { restorePending: true });
}

async function counters(db: Knex, table: 'receipt_counters' | 'invoice_counters'): Promise<Record<string, number>> {
  const rows = (await db(table).select('year', 'last_number')) as Array<{ year: number; last_number: number }>;
  return Object.fromEntries(rows.map((r) => [String(r.year), Number(r.last_number)]));
}

/**
 * Called in the restore's transaction on the restored database: records the counters as the
 * backup left them (plus the current year, whose receipts may all be after the backup) and
 * turns the numbering check on.
 */
export async function markRestorePending(trx: Knex, backupTakenAt: string, now: Date): Promise<PendingRow> {
  const year = String(parisYearOf(now));
  const receipts = await counters(trx, 'receipt_counters');
  const invoices = await counters(trx, 'invoice_counters');
  receipts[year] ??= 0;
  invoices[year] ??= 0;
  const row: PendingRow = { backupTakenAt, restoredAt: now.toISOString(), receipts, invoices };
  const value = JSON.stringify({ pending: true, ...row });
  const at = now.toISOString();
  const updated = await trx('settings').where('key', RESTORE_PENDING_KEY).update({ value, updated_at: at });
  if (updated === 0) await trx('settings').insert({ key: RESTORE_PENDING_KEY, value, updated_at: at });
  return row;
}

const yearsOf = (m: Record<string, number>): NumberingYear[] =>
  Object.entries(m)
    .map(([y, n]) => ({ year: Number(y), restoredLast: n, proposed: n + 1 }))
    .sort((a, b) => a.year - b.year);

/** What the "Restauration" screen shows: per year, the restored last number and the proposal. */
export async function getRestorePending(db: Knex): Promise<RestorePendingView> {
  const p = pendingOf(await readSettingJson(db, RESTORE_PENDING_KEY));
  if (!p) return { pending: false, backupTakenAt: null, restoredAt: null, receipts: [], invoices: [] };
  return { pending: true, backupTakenAt: p.backupTakenAt, restoredAt: p.restoredAt, receipts: yearsOf(p.receipts), invoices: yearsOf(p.invoices) };
}

export interface SkippedRange {
  year: number;
  restoredLast: number;
  confirmed: number;
  /** First and last number never to be used; null when the confirmed number is the restored last. */
  from: string | null;
  to: string | null;
}

function skipped(kind: 'receipts' | 'invoices', year: number, restoredLast: number, confirmed: number): SkippedRange {
  const fmt = kind === 'receipts' ? formatReceiptNumber : formatInvoiceNumber;
  return confirmed > restoredLast
    ? { year, restoredLast, confirmed, from: fmt(year, restoredLast + 1), to: fmt(year, confirmed) }
    : { year, restoredLast, confirmed, from: null, to: null };
}

/** "Restauration de la sauvegarde du 1er décembre 2026 ; reçus 2026-000004 à 2026-000005 non utilisés ; …" */
export function numberingSentence(backupTakenAt: string, receipts: SkippedRange[], invoices: SkippedRange[]): string {
  const date = backupTakenAt ? formatDayMonthYearFr(parisDateOf(new Date(backupTakenAt))) : 'date inconnue';
  const parts = [`Restauration de la sauvegarde du ${date}`];
  for (const r of receipts) if (r.from) parts.push(r.from === r.to ? `reçu ${r.from} non utilisé` : `reçus ${r.from} à ${r.to} non utilisés`);
  for (const r of invoices) if (r.from) parts.push(r.from === r.to ? `facture ${r.from} non utilisée` : `factures ${r.from} à ${r.to} non utilisées`);
  if (parts.length === 1) parts.push('aucun numéro sauté');
  return parts.join(' ; ');
}

/**
 * "Confirmer la numérotation": per year, the last receipt and invoice number issued on paper.
 * Refuses a number below the restored last (it is in the restored books); numbering resumes
 * after the confirmed one, and the skipped range is audited as `restore.numbering`.
 */
export async function confirmRestoreNumbering(ctx: CoreContext, actor: Actor, input: unknown): Promise<ConfirmedNumbering> {
  return applyNumbering(ctx, authorizeStaff(actor, 'restore.confirm'), input);
}

/**
 * `npm run restore -- … --dernier-recu N --derniere-facture N`: the same confirmation, given by
 * whoever runs the restore on the data folder (audited as the system, the command has no sign-in).
 */
export async function confirmNumberingFromCommandLine(ctx: CoreContext, input: unknown): Promise<ConfirmedNumbering> {
  return applyNumbering(ctx, { kind: 'system' }, input);
}

export interface ConfirmedNumbering {
  receipts: SkippedRange[];
  invoices: SkippedRange[];
  note: string;
}

async function applyNumbering(ctx: CoreContext, admin: Actor, input: unknown): Promise<ConfirmedNumbering> {
  const parsed = confirmNumberingInput.safeParse(input);
  if (!parsed.success) {
    const { message } = firstIssue(parsed.error);
    const issue = parsed.error.issues[0];
    throw invalid(message, { field: issue ? issue.path.join('.') : '' });
  }
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const pending = pendingOf(await readSettingJson(trx, RESTORE_PENDING_KEY));
    if (!pending) throw new DomainError('CONFLICT', 'Aucune restauration n’attend de confirmation de la numérotation.');
    const check = (kind: 'receipts' | 'invoices'): SkippedRange[] =>
      yearsOf(pending[kind]).map(({ year, restoredLast }) => {
        const field = `${kind}.${year}`;
        const confirmed = parsed.data[kind][String(year)];
        const label = kind === 'receipts' ? 'Dernier numéro de reçu émis' : 'Dernière facture émise';
        if (confirmed === undefined) throw invalid(`${label} ${year} : indiquez le numéro.`, { field });
        if (confirmed < restoredLast) {
          throw invalid(`${label} ${year} : la sauvegarde contient déjà le n° ${restoredLast} ; indiquez ${restoredLast} ou plus (proposé : ${restoredLast + 1}).`, { field, restoredLast });
        }
        return skipped(kind, year, restoredLast, confirmed);
      });
    const receipts = check('receipts');
    const invoices = check('invoices');
    for (const [table, ranges] of [['receipt_counters', receipts], ['invoice_counters', invoices]] as const) {
      for (const r of ranges) {
        // The counters are not the ledger: moving one forward is how numbering resumes after it.
        const updated = await trx(table).where('year', r.year).update({ last_number: r.confirmed });
        if (updated === 0 && r.confirmed > 0) await trx(table).insert({ year: r.year, last_number: r.confirmed });
      }
    }
    await trx('settings').where('key', RESTORE_PENDING_KEY).delete();
    const note = numberingSentence(pending.backupTakenAt, receipts, invoices);
    await audit(trx, admin, {
      action: 'restore.numbering', entity: 'settings', entityId: RESTORE_PENDING_KEY,
      before: { backupDate: pending.backupTakenAt ? parisDateOf(new Date(pending.backupTakenAt)) : null, restoredReceipts: pending.receipts, restoredInvoices: pending.invoices },
      after: { skippedReceipts: receipts.filter((r) => r.from).map((r) => `${r.from} → ${r.to}`), skippedInvoices: invoices.filter((r) => r.from).map((r) => `${r.from} → ${r.to}`) },
      note,
    }, now);
    return { receipts, invoices, note };
  });
}
