import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { PassagePreview, PassageRequest, PassageRow, SchoolYearsView } from '../api/rentree.js';
import { audit, auditMany } from './audit.js';
import { cancelBookingsOfClosure, closureImpact, type CancelCoverage } from './closures.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, parisToday } from './dates.js';
import { DomainError, invalid } from './errors.js';
import { planPassage, type PlanChild, type PlanClass, type PlanSchool } from './rentree-plan.js';
import { authorizeStaff } from './policy.js';
import { schoolYearOfDate } from './school-calendar-file.js';
import { writeTransaction } from './tx.js';

/**
 * The rentrée's "Passage en classe supérieure": a preview of every active child's next class,
 * then one confirmation that applies exactly that preview (the token says the children did not
 * change since) in one transaction: classes moved, CM2 archived (active = false: kept for the
 * accounts and the history, no longer bookable), the past year's subscriptions ended on its last
 * day, the new year made current. Once per school year.
 */

export async function listSchoolYears(db: Knex, now: Date): Promise<SchoolYearsView> {
  const rows: Array<{ id: number; label: string; date_from: string; date_to: string; current: number | boolean; promoted_at: string | null }> = await db('school_years').orderBy('label').select('*');
  const years = rows.map((r) => ({ id: r.id, label: r.label, dateFrom: r.date_from, dateTo: r.date_to, current: !!r.current, promotedAt: r.promoted_at ?? null }));
  const current = years.find((y) => y.current);
  const start = current ? Number(current.label.slice(0, 4)) + 1 : Number(schoolYearOfDate(addDays(parisToday(now), 60)).slice(0, 4));
  return { years, proposed: `${start}-${start + 1}` };
}

/** The leaving children's bookings after the last day of the old year. */
function leaversCoverage(year: string, previousYearEnd: string, rows: PassageRow[]): CancelCoverage {
  return {
    kind: 'fermeture', label: `Départ de l’école (rentrée ${year})`, dateFrom: addDays(previousYearEnd, 1), dateTo: '9999-12-31', activityId: null, schoolId: null,
    childIds: rows.filter((r) => r.action === 'leave').map((r) => r.childId),
    reason: `Votre enfant quitte l’école à la rentrée ${year}`,
  };
}

const yearStartOf = (label: string): number => {
  const start = Number(label.slice(0, 4));
  if (Number(label.slice(5)) !== start + 1) throw invalid('Année scolaire invalide (par exemple 2026-2027).', { field: 'year' });
  return start;
};

async function plan(trx: Knex, input: PassageRequest, now: Date): Promise<Omit<PassagePreview, 'applied'>> {
  const start = yearStartOf(input.year);
  const done = await trx('school_years').where({ label: input.year }).whereNotNull('promoted_at').first('promoted_at');
  if (done) throw new DomainError('CONFLICT', `Le passage en classe supérieure pour ${input.year} a déjà été fait.`);
  const currentYear = await trx('school_years').where({ current: true }).first('label');
  if (currentYear && input.year <= currentYear.label) throw invalid(`L’année ${input.year} n’est pas après l’année en cours (${currentYear.label}).`, { field: 'year' });
  const children: PlanChild[] = (
    await trx('children as c')
      .join('families as f', 'f.id', 'c.family_id')
      .where('c.active', true)
      .orderBy([{ column: 'f.name' }, { column: 'c.first_name' }, { column: 'c.id' }])
      .select('c.id', 'c.family_id', 'f.name as family_name', 'c.first_name', 'c.last_name', 'c.birth_date', 'c.school_id', 'c.class_name')
  ).map((r: Record<string, unknown>) => ({
    id: r.id as number, familyId: r.family_id as number, familyName: r.family_name as string, firstName: r.first_name as string,
    lastName: r.last_name as string, birthDate: r.birth_date as string, schoolId: (r.school_id as number | null) ?? null, className: (r.class_name as string) ?? '',
  }));
  const schools = new Map<number, PlanSchool>(
    (await trx('schools').select('id', 'name', 'kind', 'next_school_id')).map((s: Record<string, unknown>) => [s.id as number, { id: s.id as number, name: s.name as string, kind: s.kind as string, nextSchoolId: (s.next_school_id as number | null) ?? null }]),
  );
  const classes = new Map<number, PlanClass[]>();
  for (const k of await trx('school_classes').orderBy(['school_id', 'position', 'id']).select('school_id', 'name', 'level')) {
    classes.set(k.school_id, [...(classes.get(k.school_id) ?? []), { name: k.name, level: k.level ?? null }]);
  }
  const known = new Set(children.map((c) => c.id));
  for (const o of input.overrides) {
    if (!known.has(o.childId)) throw invalid('Un enfant choisi n’est plus inscrit : relancez l’aperçu.', { field: 'overrides' });
    if (o.action === 'move') {
      if (!o.className) throw invalid('Choisissez la classe de chaque enfant que vous changez.', { field: `child-${o.childId}` });
      if (o.schoolId != null && !schools.has(o.schoolId)) throw invalid('École inconnue.', { field: `child-${o.childId}` });
    }
  }
  const rows: PassageRow[] = planPassage({ children, schools, classes, newYearStart: start, overrides: new Map(input.overrides.map((o) => [o.childId, o])) });
  const current = await trx('school_years').where({ current: true }).first('date_to');
  const previousYearEnd: string = current?.date_to ?? `${start}-08-31`;
  const subs = await trx('subscriptions').whereNull('ended_at').where('date_to', '>', previousYearEnd).count({ n: '*' }).first();
  const counts = { move: 0, leave: 0, stay: 0, flagged: 0, subscriptions: Number(subs?.n ?? 0), leaverBookings: 0, leaverRefundCents: 0 };
  for (const r of rows) {
    counts[r.action] += 1;
    if (r.flag && !r.overridden) counts.flagged += 1;
  }
  const leavers = await closureImpact(trx, leaversCoverage(input.year, previousYearEnd, rows), now);
  counts.leaverBookings = leavers.bookings;
  counts.leaverRefundCents = leavers.refundCents;
  const token = createHash('sha256')
    .update(JSON.stringify([input.year, rows.map((r) => [r.childId, r.from.schoolId, r.from.className, r.action, r.to?.schoolId ?? null, r.to?.className ?? null])]))
    .digest('hex')
    .slice(0, 32);
  const n = counts.move + counts.leave;
  return { year: input.year, previousYearEnd, rows, counts, token, confirmLabel: `Confirmer le passage de ${n} enfant${n > 1 ? 's' : ''}` };
}

export async function previewPassage(ctx: CoreContext, actor: Actor, input: PassageRequest): Promise<PassagePreview> {
  authorizeStaff(actor, 'rentree.manage');
  return { ...(await plan(ctx.db, input, ctx.clock.now())), applied: false };
}

export async function applyPassage(ctx: CoreContext, actor: Actor, input: PassageRequest): Promise<PassagePreview> {
  const admin = authorizeStaff(actor, 'rentree.manage');
  const now = ctx.clock.now();
  const at = now.toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const p = await plan(trx, input, now);
    if (!input.token || input.token !== p.token) throw new DomainError('CONFLICT', 'Les enfants ou les classes ont changé depuis l’aperçu : relancez l’aperçu avant de confirmer.');
    // One update per destination (a school's class, or archived), in chunks of ids.
    const groups = new Map<string, { patch: Record<string, unknown>; ids: number[] }>();
    for (const r of p.rows) {
      if (r.action === 'stay') continue;
      const key = r.action === 'leave' ? 'leave' : JSON.stringify([r.to!.schoolId, r.to!.className]);
      const patch = r.action === 'leave' ? { active: false, updated_at: at } : { school_id: r.to!.schoolId, class_name: r.to!.className, updated_at: at };
      const g = groups.get(key) ?? { patch, ids: [] as number[] };
      g.ids.push(r.childId);
      groups.set(key, g);
    }
    for (const g of groups.values()) for (let i = 0; i < g.ids.length; i += 500) await trx('children').whereIn('id', g.ids.slice(i, i + 500)).update(g.patch);
    await auditMany(trx, admin, p.rows.filter((r) => r.action !== 'stay').map((r) => ({
      action: 'rentree.passage', entity: 'child', entityId: r.childId, familyId: r.familyId,
      before: { schoolId: r.from.schoolId, className: r.from.className, ...(r.action === 'leave' ? { active: true } : {}) },
      after: r.action === 'leave' ? { active: false } : { schoolId: r.to!.schoolId, className: r.to!.className },
      note: `${r.firstName} : ${r.from.className || 'sans classe'} → ${r.action === 'leave' ? 'quitte l’école' : r.to!.className} (${input.year})`,
    })), now);
    // A leaver's bookings beyond the old year (a horizon set past it) are cancelled and refunded.
    await cancelBookingsOfClosure(trx, admin, 0, leaversCoverage(input.year, p.previousYearEnd, p.rows), now, { entity: 'school_year', entityId: input.year });
    await trx('subscriptions').whereNull('ended_at').where('date_to', '>', p.previousYearEnd).update({ date_to: p.previousYearEnd, ended_at: at });
    const start = yearStartOf(input.year);
    await trx('school_years').update({ current: false });
    const existing = await trx('school_years').where({ label: input.year }).first('id');
    if (existing) await trx('school_years').where({ id: existing.id }).update({ current: true, promoted_at: at });
    else await trx('school_years').insert({ label: input.year, date_from: `${start}-09-01`, date_to: `${start + 1}-08-31`, current: true, promoted_at: at, created_at: at });
    await audit(trx, admin, {
      action: 'rentree.passage', entity: 'school_year', entityId: input.year,
      after: { moved: p.counts.move, left: p.counts.leave, stayed: p.counts.stay, subscriptionsEnded: p.counts.subscriptions },
      note: `Passage en classe supérieure ${input.year} : ${p.counts.move} enfant(s) changent de classe, ${p.counts.leave} quittent l’école, ${p.counts.subscriptions} abonnement(s) terminé(s) le ${p.previousYearEnd}.`,
    }, now);
    return { ...p, applied: true };
  });
}
