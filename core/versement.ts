import type { Knex } from 'knex';
import {
  formatVersementNumber,
  MAX_VERSEMENT_DAYS,
  type VersementFigures,
  type VersementList,
  type VersementPreview,
  type VersementView,
} from '../api/versement.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { daysBetween, eachDate, formatDateNumericFr, isValidDate, parisToday, parisYearOf } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';
import { unclosedDays, unversedOnline, unversedReceipts, versementFigures } from './versement-figures.js';
import { insertedId } from './wallet.js';

export { unclosedDays, versementFigures } from './versement-figures.js';

/**
 * The "état de versement" of the régie to the comptable public (issue 14): for a period, the
 * receipts by method, the online payments by PayFiP's date and the cancellations, with totals per
 * seller. "Établir l'état" freezes the figures under the next number of the year (no gap: the
 * counter moves in the same transaction) and records which days, receipts and online payments it
 * counts, so none can be counted twice; every day of the period must be closed first. "Marquer
 * comme envoyé" records when it left for the trésorerie.
 */

interface VersementRow {
  id: number;
  year: number;
  number: number;
  period_from: string;
  period_to: string;
  total_cents: number;
  figures: string;
  staff_name: string;
  created_at: string;
  sent_at: string | null;
  sent_by_name: string | null;
}

function versementQuery(db: Knex) {
  return db('versements as v')
    .join('staff_users as s', 's.id', 'v.staff_user_id')
    .leftJoin('staff_users as e', 'e.id', 'v.sent_by_staff_user_id')
    .select('v.id', 'v.year', 'v.number', 'v.period_from', 'v.period_to', 'v.total_cents', 'v.created_at', 'v.sent_at', 's.display_name as staff_name', 'e.display_name as sent_by_name');
}

function summaryOf(r: VersementRow): Omit<VersementView, 'figures'> {
  return {
    id: r.id,
    year: r.year,
    number: r.number,
    numberLabel: formatVersementNumber(r.year, r.number),
    from: r.period_from,
    to: r.period_to,
    totalCents: Number(r.total_cents),
    staffName: r.staff_name,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    sentByName: r.sent_by_name,
  };
}

function checkPeriod(ctx: CoreContext, from: string, to: string): void {
  if (!isValidDate(from)) throw invalid('Date de début invalide.', { field: 'from' });
  if (!isValidDate(to)) throw invalid('Date de fin invalide.', { field: 'to' });
  if (from > to) throw invalid('La fin de la période précède son début.', { field: 'to' });
  if (to > parisToday(ctx.clock.now())) throw invalid('La période ne peut pas finir après aujourd’hui.', { field: 'to' });
  if (daysBetween(from, to) + 1 > MAX_VERSEMENT_DAYS) throw invalid(`Une période couvre au plus ${MAX_VERSEMENT_DAYS} jours.`, { field: 'from' });
}

async function coveredDays(db: Knex, from: string, to: string): Promise<Array<{ date: string; numberLabel: string }>> {
  const rows = (await db('versement_days as d')
    .join('versements as v', 'v.id', 'd.versement_id')
    .whereBetween('d.business_date', [from, to])
    .orderBy('d.business_date')
    .select('d.business_date as date', 'v.year', 'v.number')) as Array<{ date: string; year: number; number: number }>;
  return rows.map((r) => ({ date: r.date, numberLabel: formatVersementNumber(r.year, r.number) }));
}

/** What "Établir l'état" would freeze for the period, and what stops it. */
export async function previewVersement(ctx: CoreContext, actor: Actor, input: { from: string; to: string }): Promise<VersementPreview> {
  authorizeStaff(actor, 'regie.manage');
  checkPeriod(ctx, input.from, input.to);
  const [figures, unclosed, alreadyCovered] = await Promise.all([
    versementFigures(ctx.db, input.from, input.to),
    unclosedDays(ctx.db, input.to),
    coveredDays(ctx.db, input.from, input.to),
  ]);
  return { figures, unclosedDays: unclosed, alreadyCovered };
}

/** Takes the next number of the year, in the transaction that uses it (as receipt numbers). */
async function nextVersementNumber(trx: Knex, year: number): Promise<number> {
  const [row] = await trx('versement_counters')
    .insert({ year, last_number: 1 })
    .onConflict('year')
    .merge({ last_number: trx.raw('?? + 1', ['versement_counters.last_number']) })
    .returning('last_number');
  const n = typeof row === 'object' && row !== null ? Number((row as { last_number: number }).last_number) : Number(row);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('Numérotation des états de versement impossible.');
  return n;
}

const list = (dates: string[]) => dates.slice(0, 5).map(formatDateNumericFr).join(', ') + (dates.length > 5 ? '…' : '');

export async function establishVersement(ctx: CoreContext, actor: Actor, input: { from: string; to: string }): Promise<VersementView> {
  const staff = authorizeStaff(actor, 'regie.manage');
  checkPeriod(ctx, input.from, input.to);
  const { from, to } = input;
  const now = ctx.clock.now();
  const id = await writeTransaction(ctx.db, async (trx) => {
    const covered = await coveredDays(trx, from, to);
    if (covered.length > 0) {
      throw new DomainError('CONFLICT', `Le ${formatDateNumericFr(covered[0]!.date)} figure déjà dans l’état ${covered[0]!.numberLabel} : choisissez une période qui commence après.`, { field: 'from' });
    }
    const unclosed = await unclosedDays(trx, to);
    if (unclosed.length > 0) {
      throw new DomainError('CONFLICT', `Clôturez d’abord la caisse de ces journées : ${list(unclosed.map((d) => d.date))}.`, { unclosedDays: unclosed.map((d) => d.date) });
    }
    const figures: VersementFigures = await versementFigures(trx, from, to);
    const year = parisYearOf(now);
    const number = await nextVersementNumber(trx, year);
    const byMethod = Object.fromEntries(figures.methods.map((m) => [m.method, m.netCents])) as Record<string, number>;
    const [row] = await trx('versements')
      .insert({
        year, number, period_from: from, period_to: to,
        especes_cents: byMethod.especes ?? 0, cheque_cents: byMethod.cheque ?? 0, carte_cents: byMethod.carte ?? 0,
        online_cents: figures.onlineCents, cancellations_cents: figures.cancellationsCents, total_cents: figures.totalCents,
        receipt_count: figures.receiptCount, online_count: figures.onlineCount, figures: JSON.stringify(figures),
        staff_user_id: staff.staffUserId, created_at: now.toISOString(),
      })
      .returning('id');
    const versementId = insertedId(row);
    const dates = eachDate(from, to);
    for (let i = 0; i < dates.length; i += 200) {
      await trx('versement_days').insert(dates.slice(i, i + 200).map((d) => ({ business_date: d, versement_id: versementId })));
    }
    // What the figures counted, set-based in the same transaction (the write lock is held).
    const receipts = unversedReceipts(trx, to).select('r.id', trx.raw('?', [versementId]));
    await trx.raw(`INSERT INTO versement_receipts (receipt_id, versement_id) ${receipts.toQuery()}`);
    const online = unversedOnline(trx, to).select('p.id', trx.raw('?', [versementId]));
    await trx.raw(`INSERT INTO versement_online_payments (online_payment_id, versement_id) ${online.toQuery()}`);
    const counted = (await trx('versement_receipts').where('versement_id', versementId).count({ n: '*' }).first()) as { n: number | string };
    if (Number(counted.n) !== figures.receiptCount) throw new Error('État de versement incohérent : les reçus ont changé pendant son établissement.');
    await audit(trx, actor, {
      action: 'versement.establish', entity: 'versement', entityId: versementId,
      after: { number: formatVersementNumber(year, number), from, to, totalCents: figures.totalCents, counterCents: figures.counterCents, onlineCents: figures.onlineCents, cancellationsCents: figures.cancellationsCents },
    }, now);
    return versementId;
  });
  return getVersement(ctx, actor, id);
}

export async function getVersement(ctx: CoreContext, actor: Actor, id: number): Promise<VersementView> {
  authorizeStaff(actor, 'regie.manage');
  const row = (await versementQuery(ctx.db).select('v.figures').where('v.id', id).first()) as VersementRow | undefined;
  if (!row) throw notFound('État de versement');
  return { ...summaryOf(row), figures: JSON.parse(row.figures) as VersementFigures };
}

/** The états, newest first, and the days still to close. */
export async function listVersements(ctx: CoreContext, actor: Actor): Promise<VersementList> {
  authorizeStaff(actor, 'regie.manage');
  const [rows, unclosed] = await Promise.all([
    versementQuery(ctx.db).orderBy([{ column: 'v.year', order: 'desc' }, { column: 'v.number', order: 'desc' }]).limit(100) as Promise<VersementRow[]>,
    unclosedDays(ctx.db),
  ]);
  return { versements: rows.map(summaryOf), unclosedDays: unclosed };
}

export async function markVersementSent(ctx: CoreContext, actor: Actor, id: number): Promise<VersementView> {
  const staff = authorizeStaff(actor, 'regie.manage');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const row = (await trx('versements').where('id', id).first('id', 'year', 'number', 'sent_at')) as { id: number; year: number; number: number; sent_at: string | null } | undefined;
    if (!row) throw notFound('État de versement');
    if (row.sent_at) throw new DomainError('CONFLICT', `L’état ${formatVersementNumber(row.year, row.number)} est déjà marqué comme envoyé.`);
    await trx('versements').where('id', id).whereNull('sent_at').update({ sent_at: now.toISOString(), sent_by_staff_user_id: staff.staffUserId });
    await audit(trx, actor, { action: 'versement.send', entity: 'versement', entityId: id, after: { number: formatVersementNumber(row.year, row.number), sentAt: now.toISOString() } }, now);
  });
  return getVersement(ctx, actor, id);
}
