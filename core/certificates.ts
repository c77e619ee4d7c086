import type { Knex } from 'knex';
import type {
  CertificateChild,
  ChildcareCertificate,
  ChildcareLine,
  PresenceActivity,
  PresenceCertificate,
  PresenceChild,
} from '../api/certificates.js';
import type { InvoicesResponse } from '../api/parent.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, daysBetween, formatDateNumericFr, isValidDate, parisDateOf, parisToday } from './dates.js';
import { invalid, notFound } from './errors.js';
import { listInvoices } from './invoices.js';
import { authorize } from './policy.js';

/**
 * The family's attestations, from the ledger and the pointage, in a fixed number of queries:
 *
 * - "Attestation de frais de garde" for a calendar year (crédit d'impôt pour frais de garde des
 *   enfants de moins de 6 ans, article 200 quater B du CGI): for each child under 6 on 1 January
 *   of that year, the garderie actually paid for days of that year = the garderie debits (booking
 *   debits, late charges) minus their refunds (cancellations, justified absences, reversals).
 * - "Attestation de présence" for a period: the days each child was pointed present, per activity.
 *
 * Activities carry no "kind" column (only `meal` for the canteen): an activity is garderie when it
 * is not a meal and its code or name says garderie / accueil (périscolaire, du matin, du soir).
 * The canteen (meal) and the bus never count, whatever their wallet.
 */

export function isDaycareActivity(a: { code: string; name: string; meal: boolean | number }): boolean {
  if (a.meal) return false;
  return /garderie|accueil|p[ée]riscolaire|daycare/i.test(`${a.code} ${a.name}`);
}

/**
 * Under 6 on 1 January of `year`: born after 1 January of year − 6 (born that very day, the child
 * is 6 already). A child born during the year counts too, as for the tax credit.
 */
export function underSixOnFirstJanuary(birthDate: string, year: number): boolean {
  return birthDate > `${year - 6}-01-01`;
}

interface FamilyHead {
  family: { id: number; name: string; code: string };
  children: Array<CertificateChild & { schoolName: string | null; className: string }>;
  billTo: ChildcareCertificate['billTo'];
}

/** The family, its children and its billing card: three queries, whatever the family's size. */
async function familyHead(db: Knex, familyId: number): Promise<FamilyHead> {
  const family: { id: number; name: string; code: string } | undefined = await db('families').where('id', familyId).first('id', 'name', 'code');
  if (!family) throw notFound('Famille');
  const [children, contacts] = await Promise.all([
    db('children as c')
      .leftJoin('schools as s', 's.id', 'c.school_id')
      .where('c.family_id', familyId)
      .orderBy([{ column: 'c.birth_date' }, { column: 'c.id' }])
      .select('c.id', 'c.first_name', 'c.last_name', 'c.birth_date', 'c.class_name', 's.name as school_name'),
    db('contacts')
      .where('family_id', familyId)
      .orderBy([{ column: 'use_for_billing', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .limit(1)
      .select(),
  ]);
  const c = contacts[0] as Record<string, string> | undefined;
  return {
    family,
    children: (children as Array<Record<string, unknown>>).map((r) => ({
      childId: r.id as number,
      firstName: r.first_name as string,
      lastName: r.last_name as string,
      birthDate: r.birth_date as string,
      schoolName: (r.school_name as string | null) ?? null,
      className: (r.class_name as string | null) ?? '',
    })),
    billTo: c
      ? {
          name: `${c.last_name} ${c.first_name}`.trim(),
          addressLines: [c.address1, c.address2, c.address3, `${c.postal_code} ${c.city}`.trim()].filter((l): l is string => Boolean(l && l.trim())),
        }
      : null,
  };
}

function checkYear(year: number, now: Date): void {
  if (!Number.isSafeInteger(year) || year < 2000 || year > 2199) throw invalid('Année invalide (format attendu : AAAA).');
  const current = Number(parisToday(now).slice(0, 4));
  if (year > current) throw invalid(`L’année ${year} n’est pas encore commencée.`);
}

export async function childcareCertificate(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; year: number },
): Promise<ChildcareCertificate> {
  authorize(actor, 'certificates.issue', { familyId: input.familyId, what: 'Famille' });
  checkYear(input.year, ctx.clock.now());
  const db = ctx.db;
  const head = await familyHead(db, input.familyId);
  const young = head.children.filter((c) => underSixOnFirstJanuary(c.birthDate, input.year));
  const from = `${input.year}-01-01`;
  const to = `${input.year}-12-31`;
  const [activities, entries] = await Promise.all([
    db('activities').select('id', 'code', 'name', 'meal'),
    young.length === 0
      ? Promise.resolve([])
      : db('ledger_entries')
          .where('family_id', input.familyId)
          .whereIn('child_id', young.map((c) => c.childId))
          .whereNotNull('activity_id')
          .whereBetween('service_date', [from, to])
          .select('child_id', 'activity_id', 'service_date', 'amount_cents'),
  ]);
  const daycare = new Set((activities as Array<{ id: number; code: string; name: string; meal: boolean | number }>).filter(isDaycareActivity).map((a) => a.id));
  // Net paid per child and day: a booked then cancelled day nets to zero and is not "covered".
  const perDay = new Map<number, Map<string, number>>();
  for (const e of entries as Array<{ child_id: number; activity_id: number; service_date: string; amount_cents: number }>) {
    if (!daycare.has(e.activity_id)) continue;
    const days = perDay.get(e.child_id) ?? new Map<string, number>();
    days.set(e.service_date, (days.get(e.service_date) ?? 0) - e.amount_cents);
    perDay.set(e.child_id, days);
  }
  const lines: ChildcareLine[] = [];
  for (const child of young) {
    const days = perDay.get(child.childId);
    if (!days) continue;
    const paidCents = [...days.values()].reduce((s, v) => s + v, 0);
    const covered = [...days.entries()].filter(([, v]) => v > 0).map(([d]) => d).sort();
    if (paidCents <= 0 || covered.length === 0) continue;
    const { childId, firstName, lastName, birthDate } = child;
    lines.push({ childId, firstName, lastName, birthDate, days: covered.length, firstDate: covered[0]!, lastDate: covered.at(-1)!, paidCents });
  }
  const totalCents = lines.reduce((s, l) => s + l.paidCents, 0);
  let noCertificate: string | null = null;
  if (young.length === 0) {
    noCertificate = `Aucun enfant de la famille n’avait moins de 6 ans au 1er janvier ${input.year} : pas d’attestation de frais de garde pour cette année.`;
  } else if (lines.length === 0) {
    noCertificate = `Aucune garderie payée en ${input.year} pour les enfants de moins de 6 ans : pas d’attestation de frais de garde pour cette année.`;
  }
  return {
    familyId: head.family.id,
    familyName: head.family.name,
    familyCode: head.family.code,
    year: input.year,
    lines,
    totalCents,
    noCertificate,
    billTo: head.billTo,
  };
}

export const MAX_PRESENCE_DAYS = 366;

export async function presenceCertificate(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; from: string; to: string },
): Promise<PresenceCertificate> {
  authorize(actor, 'certificates.issue', { familyId: input.familyId, what: 'Famille' });
  if (!isValidDate(input.from)) throw invalid('Date de début invalide (format attendu : AAAA-MM-JJ).');
  if (!isValidDate(input.to)) throw invalid('Date de fin invalide (format attendu : AAAA-MM-JJ).');
  if (input.to < input.from) throw invalid('La date de fin doit être postérieure ou égale à la date de début.');
  if (daysBetween(input.from, input.to) >= MAX_PRESENCE_DAYS) throw invalid('La période ne peut pas dépasser un an.');
  const today = parisToday(ctx.clock.now());
  if (input.from > today) throw invalid(`La période commence après aujourd’hui (${formatDateNumericFr(today)}).`);
  const db = ctx.db;
  const head = await familyHead(db, input.familyId);
  const rows: Array<{ child_id: number; activity_id: number; activity_name: string; date: string }> =
    head.children.length === 0
      ? []
      : await db('attendance as t')
          .join('activities as a', 'a.id', 't.activity_id')
          .whereIn('t.child_id', head.children.map((c) => c.childId))
          .where('t.present', true)
          .whereBetween('t.date', [input.from, input.to])
          .orderBy([{ column: 'a.position' }, { column: 'a.id' }, { column: 't.date' }])
          .select('t.child_id', 't.activity_id', 'a.name as activity_name', 't.date');
  const children: PresenceChild[] = [];
  for (const child of head.children) {
    const mine = rows.filter((r) => r.child_id === child.childId);
    if (mine.length === 0) continue;
    const byActivity = new Map<number, PresenceActivity>();
    for (const r of mine) {
      const a = byActivity.get(r.activity_id) ?? { activityId: r.activity_id, activityName: r.activity_name, days: 0, dates: [] };
      a.dates.push(r.date);
      a.days += 1;
      byActivity.set(r.activity_id, a);
    }
    children.push({ ...child, activities: [...byActivity.values()] });
  }
  return {
    familyId: head.family.id,
    familyName: head.family.name,
    familyCode: head.family.code,
    from: input.from,
    to: input.to,
    children,
    noCertificate:
      children.length === 0
        ? `Aucune présence pointée du ${formatDateNumericFr(input.from)} au ${formatDateNumericFr(input.to)} : pas d’attestation de présence pour cette période.`
        : null,
    billTo: head.billTo,
  };
}

/** The years a childcare attestation may be asked for: this year and the five before. */
export function certificateYears(now: Date): number[] {
  const current = Number(parisToday(now).slice(0, 4));
  return [0, 1, 2, 3, 4, 5].map((k) => current - k);
}

/** The default period of a presence attestation: the last full month before today's. */
export function lastMonthPeriod(now: Date): { from: string; to: string } {
  const today = parisToday(now);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfMonth, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** The family page's invoices and the months with a statement (newest first, at most 24). */
export async function familyInvoices(ctx: CoreContext, actor: Actor, familyId: number): Promise<InvoicesResponse> {
  authorize(actor, 'billing.read', { familyId, what: 'Famille' });
  const family = await ctx.db('families').where('id', familyId).first('id');
  if (!family) throw notFound('Famille');
  const [invoices, first] = await Promise.all([
    listInvoices(ctx, actor, familyId),
    ctx.db('ledger_entries').where('family_id', familyId).min({ at: 'created_at' }).first() as Promise<{ at: string | null } | undefined>,
  ]);
  const months = first?.at ? monthsBetween(parisDateOf(new Date(first.at)).slice(0, 7), parisToday(ctx.clock.now()).slice(0, 7)) : [];
  return {
    invoices: invoices.map((i) => ({
      id: i.id,
      number: i.number,
      kind: i.kind,
      issuedOn: i.issuedOn,
      periodFrom: i.periodFrom,
      periodTo: i.periodTo,
      totalCents: i.totalCents,
      status: i.status,
    })),
    statementMonths: months,
  };
}

/** 'YYYY-MM' from `last` back to `first`, newest first, at most 24 months. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = last.split('-').map(Number) as [number, number];
  while (out.length < 24) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month < first) break;
    out.push(month);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}
