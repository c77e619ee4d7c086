import type { Knex } from 'knex';
import { DIETS, type Diet } from '../api/rules.js';
import type { StaffChildView } from '../api/staff.js';
import { audit } from './audit.js';
import type { Actor, CoreContext } from './context.js';
import { isValidDate } from './dates.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { normaliseText, refreshFamilySearchText } from './family-search.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';
import { defaultLowBalanceThresholdCents } from './settings/portal.js';

/**
 * What the secretariat edits in a family file beyond the parents' own changes (core/family.ts):
 * the household (name, quotient familial, note), and the children's school file (school,
 * class, diet, allergies, PAI). Every change is audited with before and after.
 */

/** What the secretariat types for a child: the view's fields but the id, school name and state. */
export type StaffChildValues = Omit<StaffChildView, 'id' | 'schoolName' | 'active'>;

/** The family's children with what the school file holds (one query). */
export async function listChildrenForStaff(ctx: CoreContext, familyId: number, includeInactive = false): Promise<StaffChildView[]> {
  const q = ctx
    .db('children as c')
    .leftJoin('schools as s', 's.id', 'c.school_id')
    .where('c.family_id', familyId)
    .orderBy([{ column: 'c.birth_date' }, { column: 'c.id' }])
    .select('c.*', 's.name as school_name');
  if (!includeInactive) q.where('c.active', true);
  const rows = (await q) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id as number,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
    birthDate: r.birth_date as string,
    schoolId: (r.school_id as number | null) ?? null,
    schoolName: (r.school_name as string | null) ?? null,
    className: r.class_name as string,
    diet: ((DIETS as readonly string[]).includes(r.diet as string) ? r.diet : 'standard') as Diet,
    allergies: (r.allergies as string) ?? '',
    pai: !!r.pai,
    paiNote: (r.pai_note as string) ?? '',
    active: !!r.active,
  }));
}

function cleanChild(v: StaffChildValues): StaffChildValues {
  const firstName = String(v.firstName ?? '').trim();
  const lastName = String(v.lastName ?? '').trim().toUpperCase();
  if (!firstName || firstName.length > 80) throw invalid('Prénom : 1 à 80 caractères.');
  if (!lastName || lastName.length > 80) throw invalid('Nom : 1 à 80 caractères.');
  if (!isValidDate(v.birthDate)) throw invalid('Date de naissance invalide.');
  if (!(DIETS as readonly string[]).includes(v.diet)) throw invalid('Régime alimentaire invalide.');
  const className = String(v.className ?? '').trim();
  if (className.length > 40) throw invalid('Classe : 40 caractères au maximum.');
  const allergies = String(v.allergies ?? '').trim();
  if (allergies.length > 500) throw invalid('Allergies : 500 caractères au maximum.');
  const paiNote = String(v.paiNote ?? '').trim();
  if (paiNote.length > 500) throw invalid('Précisions du PAI : 500 caractères au maximum.');
  return { firstName, lastName, birthDate: v.birthDate, schoolId: v.schoolId ?? null, className, diet: v.diet, allergies, pai: !!v.pai, paiNote: v.pai ? paiNote : '' };
}

function childRow(v: StaffChildValues) {
  return {
    first_name: v.firstName,
    last_name: v.lastName,
    birth_date: v.birthDate,
    school_id: v.schoolId,
    class_name: v.className,
    diet: v.diet,
    allergies: v.allergies,
    pai: v.pai,
    pai_note: v.paiNote,
  };
}

/** Updates a child's school file; unchanged values write nothing. */
export async function updateChildByStaff(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId: number; values: StaffChildValues },
): Promise<StaffChildView> {
  const staff = authorizeStaff(actor, 'family.edit');
  const values = cleanChild(input.values);
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const row = (await trx('children').where({ id: input.childId }).first()) as Record<string, unknown> | undefined;
    if (!row || row.family_id !== input.familyId) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
    if (values.schoolId != null && !(await trx('schools').where({ id: values.schoolId }).first('id'))) throw notFound('École');
    const before: StaffChildValues = {
      firstName: row.first_name as string,
      lastName: row.last_name as string,
      birthDate: row.birth_date as string,
      schoolId: (row.school_id as number | null) ?? null,
      className: row.class_name as string,
      diet: row.diet as Diet,
      allergies: row.allergies as string,
      pai: !!row.pai,
      paiNote: row.pai_note as string,
    };
    const changedKeys = (Object.keys(values) as Array<keyof StaffChildValues>).filter((k) => values[k] !== before[k]);
    if (changedKeys.length === 0) return;
    await trx('children').where({ id: input.childId }).update({ ...childRow(values), updated_at: now.toISOString() });
    if (changedKeys.includes('firstName') || changedKeys.includes('lastName')) await refreshFamilySearchText(trx, input.familyId);
    await audit(
      trx,
      staff,
      {
        action: 'child.update',
        entity: 'child',
        entityId: input.childId,
        familyId: input.familyId,
        before: Object.fromEntries(changedKeys.map((k) => [k, before[k]])),
        after: Object.fromEntries(changedKeys.map((k) => [k, values[k]])),
        note: `Fiche enfant ${values.firstName}`,
      },
      now,
    );
  });
  const children = await listChildrenForStaff(ctx, input.familyId, true);
  return children.find((c) => c.id === input.childId)!;
}

/** Registers a new child in the family. */
export async function addChildByStaff(ctx: CoreContext, actor: Actor, input: { familyId: number; values: StaffChildValues }): Promise<StaffChildView> {
  const staff = authorizeStaff(actor, 'family.edit');
  const values = cleanChild(input.values);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = await writeTransaction(ctx.db, async (trx) => {
    if (!(await trx('families').where({ id: input.familyId }).first('id'))) throw notFound('Famille');
    if (values.schoolId != null && !(await trx('schools').where({ id: values.schoolId }).first('id'))) throw notFound('École');
    const [row] = await trx('children').insert({ family_id: input.familyId, ...childRow(values), active: true, created_at: at, updated_at: at }).returning('id');
    const childId = insertedId(row);
    await refreshFamilySearchText(trx, input.familyId);
    await audit(trx, staff, { action: 'child.create', entity: 'child', entityId: childId, familyId: input.familyId, after: values, note: `Nouvel enfant ${values.firstName}` }, now);
    return childId;
  });
  const children = await listChildrenForStaff(ctx, input.familyId, true);
  return children.find((c) => c.id === id)!;
}

/** The family files whose name is the same, accents, case and spacing aside (DEVRET = Dévret). */
export async function findHomonyms(db: Knex, name: string): Promise<Array<{ id: number; code: string; name: string }>> {
  const wanted = normaliseText(name);
  const rows = (await db('families').select('id', 'code', 'name').orderBy('code')) as Array<{ id: number; code: string; name: string }>;
  return rows.filter((r) => normaliseText(r.name) === wanted);
}

/**
 * Opens a new family file with the next dossier code (F0001, F0002…). A name already in use
 * is refused until the agent confirms it is another household (`confirmHomonym`), so that a
 * family is not opened twice with half its history in each file.
 */
export async function createFamily(
  ctx: CoreContext,
  actor: Actor,
  input: { name: string; quotientFamilial?: number | null; confirmHomonym?: boolean },
): Promise<{ id: number; code: string }> {
  const staff = authorizeStaff(actor, 'family.create');
  const name = String(input.name ?? '').trim().toUpperCase();
  if (!name || name.length > 120) throw invalid('Nom de la famille : 1 à 120 caractères.', { field: 'name' });
  const qf = input.quotientFamilial ?? null;
  if (qf != null && (!Number.isSafeInteger(qf) || qf < 0 || qf > 100_000)) throw invalid('Quotient familial invalide.', { field: 'quotientFamilial' });
  const now = ctx.clock.now();
  const at = now.toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const homonyms = input.confirmHomonym ? [] : await findHomonyms(trx, name);
    if (homonyms.length > 0) {
      const list = homonyms.map((h) => `${h.name} (${h.code})`).join(', ');
      throw new DomainError('CONFLICT', `Une famille porte déjà ce nom : ${list}. Vérifiez qu’il ne s’agit pas du même foyer, ou confirmez qu’il s’agit d’une autre famille.`, {
        field: 'name',
        homonyms,
      });
    }
    const codes = (await trx('families').where('code', 'like', 'F%').select('code')) as Array<{ code: string }>;
    const max = codes.reduce((m, c) => Math.max(m, /^F(\d+)$/.test(c.code) ? Number(c.code.slice(1)) : 0), 0);
    const code = `F${String(max + 1).padStart(4, '0')}`;
    // The alert threshold a new family starts with is the admin's (Paramètres › Portail).
    const threshold = await defaultLowBalanceThresholdCents(trx);
    const [row] = await trx('families')
      .insert({ code, name, quotient_familial: qf, low_balance_threshold_cents: threshold, search_text: '', active: true, created_at: at, updated_at: at })
      .returning('id');
    const id = insertedId(row);
    await refreshFamilySearchText(trx, id);
    await audit(trx, staff, { action: 'family.create', entity: 'family', entityId: id, familyId: id, after: { code, name, quotientFamilial: qf } }, now);
    return { id, code };
  });
}

/** The household's name, quotient familial, note of the secretariat, active flag. */
export async function updateFamily(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; name?: string; quotientFamilial?: number | null; staffNote?: string; active?: boolean },
): Promise<void> {
  const staff = authorizeStaff(actor, 'family.edit');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const row = (await trx('families').where({ id: input.familyId }).first('name', 'quotient_familial', 'staff_note', 'active')) as
      | { name: string; quotient_familial: number | null; staff_note: string | null; active: number | boolean }
      | undefined;
    if (!row) throw notFound('Famille');
    const before = { name: row.name, quotientFamilial: row.quotient_familial, staffNote: row.staff_note ?? '', active: !!row.active };
    const after = { ...before };
    if (input.name !== undefined) {
      const name = input.name.trim().toUpperCase();
      if (!name || name.length > 120) throw invalid('Nom de la famille : 1 à 120 caractères.');
      after.name = name;
    }
    if (input.quotientFamilial !== undefined) {
      const qf = input.quotientFamilial;
      if (qf != null && (!Number.isSafeInteger(qf) || qf < 0 || qf > 100_000)) throw invalid('Quotient familial invalide.');
      after.quotientFamilial = qf;
    }
    if (input.staffNote !== undefined) {
      if (input.staffNote.length > 2000) throw invalid('Note du secrétariat : 2 000 caractères au maximum.');
      after.staffNote = input.staffNote.trim();
    }
    if (input.active !== undefined) after.active = input.active;
    const keys = (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]);
    if (keys.length === 0) return;
    await trx('families').where({ id: input.familyId }).update({
      name: after.name,
      quotient_familial: after.quotientFamilial,
      staff_note: after.staffNote || null,
      active: after.active,
      updated_at: now.toISOString(),
    });
    if (keys.includes('name')) await refreshFamilySearchText(trx, input.familyId);
    await audit(
      trx,
      staff,
      {
        action: 'family.update',
        entity: 'family',
        entityId: input.familyId,
        familyId: input.familyId,
        before: Object.fromEntries(keys.map((k) => [k, before[k]])),
        after: Object.fromEntries(keys.map((k) => [k, after[k]])),
      },
      now,
    );
  });
}
