import type { Knex } from 'knex';
import type { MethodTotals } from '../api/staff.js';
import { countedCentsOf, DENOMINATIONS, MAX_EXPLANATION, MAX_PIECES, type CashCountState, type CashCountView, type DenominationCounts } from '../api/versement.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { isValidDate } from './dates.js';
import { DomainError, invalid } from './errors.js';
import { formatCents } from './money.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * The count of the till at a session's closure ("Clôture de caisse"): pieces per note and coin,
 * the counted total against the cash the closed session expects (its espèces total), and the
 * difference, which must be explained when it is not zero. One count per closed session, kept as
 * entered: the count is a statement of fact, audited, never edited.
 */

const column = (d: number) => `n_${d}`;

interface CountRow extends Record<string, unknown> {
  id: number;
  cash_closure_id: number;
  business_date: string;
  session: number;
  counted_cents: number;
  expected_cents: number;
  difference_cents: number;
  explanation: string | null;
  staff_name: string;
  created_at: string;
}

function countView(r: CountRow): CashCountView {
  const counts = Object.fromEntries(DENOMINATIONS.map((d) => [String(d), Number(r[column(d)] ?? 0)])) as DenominationCounts;
  return {
    id: r.id,
    closureId: r.cash_closure_id,
    businessDate: r.business_date,
    session: Number(r.session),
    counts,
    countedCents: Number(r.counted_cents),
    expectedCents: Number(r.expected_cents),
    differenceCents: Number(r.difference_cents),
    explanation: r.explanation,
    staffName: r.staff_name,
    createdAt: r.created_at,
  };
}

function countQuery(db: Knex) {
  return db('cash_counts as c')
    .join('cash_closures as k', 'k.id', 'c.cash_closure_id')
    .join('staff_users as s', 's.id', 'c.staff_user_id')
    .select('c.*', 'k.session', 's.display_name as staff_name');
}

async function closureOf(db: Knex, date: string, session: number) {
  return (await db('cash_closures').where({ business_date: date, session }).first('id', 'totals_by_method')) as { id: number; totals_by_method: string } | undefined;
}

const expectedOf = (closure: { totals_by_method: string }) => (JSON.parse(closure.totals_by_method) as MethodTotals).especes;

/** The count of one session of a day, and the cash it expects once closed. */
export async function cashCountState(ctx: CoreContext, actor: Actor, date: string, session: number): Promise<CashCountState> {
  authorizeStaff(actor, 'cash.close');
  if (!isValidDate(date)) throw invalid('Date invalide.');
  const closure = await closureOf(ctx.db, date, session);
  if (!closure) return { date, session, closureId: null, expectedCents: null, count: null };
  const row = (await countQuery(ctx.db).where('c.cash_closure_id', closure.id).first()) as CountRow | undefined;
  return { date, session, closureId: closure.id, expectedCents: expectedOf(closure), count: row ? countView(row) : null };
}

export interface CashCountInput {
  date: string;
  session: number;
  counts: Partial<Record<string, number>>;
  explanation?: string | null;
}

/** Checks the pieces: whole numbers from 0 to a million, of the euro's denominations only. */
function validCounts(counts: Partial<Record<string, number>>): DenominationCounts {
  if (!counts || typeof counts !== 'object') throw invalid('Comptage manquant.', { field: 'counts' });
  const allowed = new Set(DENOMINATIONS.map(String));
  for (const key of Object.keys(counts)) if (!allowed.has(key)) throw invalid(`Coupure inconnue : ${key}.`, { field: 'counts' });
  const out: Record<string, number> = {};
  for (const d of DENOMINATIONS) {
    const n = counts[String(d)] ?? 0;
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PIECES) {
      throw invalid(`Nombre invalide pour ${formatCents(d)} : un nombre entier de 0 à ${MAX_PIECES.toLocaleString('fr-FR')}.`, { field: `counts.${d}` });
    }
    out[String(d)] = n;
  }
  return out as DenominationCounts;
}

/** Records the count of a closed session; a difference needs its explanation. */
export async function recordCashCount(ctx: CoreContext, actor: Actor, input: CashCountInput): Promise<CashCountView> {
  const staff = authorizeStaff(actor, 'cash.close');
  if (!isValidDate(input.date)) throw invalid('Date invalide.');
  if (!Number.isSafeInteger(input.session) || input.session < 1) throw invalid('Session invalide.');
  const counts = validCounts(input.counts);
  const explanation = (input.explanation ?? '').trim();
  if (explanation.length > MAX_EXPLANATION) throw invalid(`L’explication fait au plus ${MAX_EXPLANATION} caractères.`, { field: 'explanation' });
  const countedCents = countedCentsOf(counts);
  if (!Number.isSafeInteger(countedCents) || countedCents > 2_000_000_000) throw invalid('Le total compté est trop grand.', { field: 'counts' });
  const now = ctx.clock.now();
  const id = await writeTransaction(ctx.db, async (trx) => {
    const closure = await closureOf(trx, input.date, input.session);
    if (!closure) throw new DomainError('CONFLICT', 'Clôturez d’abord cette session de caisse : le comptage se fait à la clôture.');
    if (await trx('cash_counts').where('cash_closure_id', closure.id).first('id')) {
      throw new DomainError('CONFLICT', 'Le comptage de cette session est déjà enregistré.');
    }
    const expectedCents = expectedOf(closure);
    const differenceCents = countedCents - expectedCents;
    if (differenceCents !== 0 && !explanation) {
      throw invalid(`Écart de ${formatCents(differenceCents)} : expliquez-le avant d’enregistrer le comptage.`, { field: 'explanation' });
    }
    const [row] = await trx('cash_counts')
      .insert({
        cash_closure_id: closure.id,
        business_date: input.date,
        ...Object.fromEntries(DENOMINATIONS.map((d) => [column(d), counts[`${d}`]])),
        counted_cents: countedCents,
        expected_cents: expectedCents,
        difference_cents: differenceCents,
        explanation: explanation || null,
        staff_user_id: staff.staffUserId,
        created_at: now.toISOString(),
      })
      .returning('id');
    const countId = insertedId(row);
    await audit(trx, actor, {
      action: 'cash.count', entity: 'cash_count', entityId: countId,
      after: { date: input.date, session: input.session, countedCents, expectedCents, differenceCents, explanation: explanation || null },
    }, now);
    return countId;
  });
  const row = (await countQuery(ctx.db).where('c.id', id).first()) as CountRow;
  return countView(row);
}
