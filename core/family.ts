import type { Knex } from 'knex';
import { audit } from './audit.js';
import type { ChildView, ContactCard, ContactInput, FamilyDossier } from '../api/parent.js';
import { DIETS, isValidEmail, isValidPostalCode, normalisePhone, RELATIONSHIPS, type Diet, type Relationship } from '../api/rules.js';
import type { FamilyChangeView } from '../api/staff.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import { authorize, authorizeStaff } from './policy.js';
import { refreshFamilySearchText } from './family-search.js';
import { writeTransaction } from './tx.js';
import { insertedId } from './wallet.js';

/**
 * "Mon dossier": a family's contact cards (the guide's "fiches de renseignement") and its
 * children's diet and allergies. A parent's change is saved at once and written to the audit
 * log with needs_review = true, so the secretariat sees what changed (before and after).
 */

// A contact card as edited: the HTTP contract's shape (api/parent.ts).
export type ContactValues = ContactInput;

// ---------------------------------------------------------------------------------------------
// Field rules (the same as api/parent.ts checks at the boundary; core checks again because the
// staff console calls these functions too)

// The rules themselves live in api/rules.ts, shared with the browser clients.
export { normalisePhone as normaliseFrenchPhone } from '../api/rules.js';

const LIMITS: Record<string, [label: string, max: number]> = {
  lastName: ['Nom', 80],
  firstName: ['Prénom', 80],
  address1: ['Adresse ligne 1', 120],
  address2: ['Adresse ligne 2', 120],
  address3: ['Adresse ligne 3', 120],
  city: ['Ville', 80],
  note: ['Note pratique', 1000],
};

const PHONE_FIELDS: Array<[keyof ContactValues, string]> = [
  ['phone', 'Tél.'],
  ['mobile', 'TÉL (mob)'],
  ['workPhone', 'Tél travail'],
  ['workMobile', 'Tél travail (mob)'],
];

/** Validates and normalises a card; throws a French VALIDATION error naming the field. */
export function cleanContact(input: ContactValues): ContactValues {
  const v = { ...input };
  if (!RELATIONSHIPS.includes(v.relationship)) throw invalid('Lien avec l’enfant invalide.', { field: 'relationship' });
  for (const [field, [label, max]] of Object.entries(LIMITS)) {
    const value = String((v as unknown as Record<string, unknown>)[field] ?? '').trim();
    if (value.length > max) throw invalid(`${label} : ${max} caractères au maximum.`, { field });
    (v as unknown as Record<string, unknown>)[field] = value;
  }
  if (!v.lastName) throw invalid('Nom : ce champ est obligatoire.', { field: 'lastName' });
  if (!v.firstName) throw invalid('Prénom : ce champ est obligatoire.', { field: 'firstName' });
  v.lastName = v.lastName.toLocaleUpperCase('fr-FR');
  v.postalCode = String(v.postalCode ?? '').trim();
  if (v.postalCode && !isValidPostalCode(v.postalCode)) throw invalid('Code postal : 5 chiffres attendus (exemple : 33220).', { field: 'postalCode' });
  v.city = v.city.toLocaleUpperCase('fr-FR');
  for (const [field, label] of PHONE_FIELDS) {
    const normalised = normalisePhone(String(v[field] ?? ''));
    if (normalised === null) throw invalid(`${label} : numéro de téléphone invalide (exemple : 06 07 89 70 15).`, { field });
    (v as unknown as Record<string, unknown>)[field] = normalised;
  }
  v.email = String(v.email ?? '').trim();
  if (v.email && !isValidEmail(v.email)) throw invalid('Mél : adresse e-mail invalide (exemple : prenom.nom@exemple.fr).', { field: 'email' });
  v.useForBilling = v.useForBilling === true;
  v.emergencyContact = v.emergencyContact === true;
  v.authorizedPickup = v.authorizedPickup === true;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Rows

export interface ContactRow {
  id: number;
  family_id: number;
  relationship: string;
  last_name: string;
  first_name: string;
  address1: string;
  address2: string;
  address3: string;
  postal_code: string;
  city: string;
  phone: string;
  mobile: string;
  work_phone: string;
  work_mobile: string;
  email: string;
  note: string;
  use_for_billing: number | boolean;
  emergency_contact: number | boolean;
  authorized_pickup: number | boolean;
}

export function cardOf(r: ContactRow): ContactCard {
  return {
    id: r.id,
    relationship: (RELATIONSHIPS as readonly string[]).includes(r.relationship) ? (r.relationship as Relationship) : 'AUTRE',
    lastName: r.last_name,
    firstName: r.first_name,
    address1: r.address1,
    address2: r.address2,
    address3: r.address3,
    postalCode: r.postal_code,
    city: r.city,
    phone: r.phone,
    mobile: r.mobile,
    workPhone: r.work_phone,
    workMobile: r.work_mobile,
    email: r.email,
    note: r.note,
    useForBilling: Boolean(r.use_for_billing),
    emergencyContact: Boolean(r.emergency_contact),
    authorizedPickup: Boolean(r.authorized_pickup),
  };
}

/** A contact card's columns (the import writes the same ones). */
export function contactColumns(v: ContactValues) {
  return {
    relationship: v.relationship,
    last_name: v.lastName,
    first_name: v.firstName,
    address1: v.address1,
    address2: v.address2,
    address3: v.address3,
    postal_code: v.postalCode,
    city: v.city,
    phone: v.phone,
    mobile: v.mobile,
    work_phone: v.workPhone,
    work_mobile: v.workMobile,
    email: v.email,
    note: v.note,
    use_for_billing: v.useForBilling,
    emergency_contact: v.emergencyContact,
    authorized_pickup: v.authorizedPickup,
  };
}

/** Only the fields that changed, for a readable audit entry. */
function diff<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function getFamilyDossier(ctx: CoreContext, actor: Actor, familyId: number): Promise<FamilyDossier> {
  authorize(actor, 'family.read', { familyId });
  const family: { id: number; name: string; code: string } | undefined = await ctx.db('families').where('id', familyId).first('id', 'name', 'code');
  if (!family) throw notFound('Dossier');
  const [contacts, children] = await Promise.all([
    ctx.db('contacts').where('family_id', familyId).orderBy([{ column: 'position' }, { column: 'id' }]).select() as Promise<ContactRow[]>,
    ctx
      .db('children as c')
      .leftJoin('schools as s', 's.id', 'c.school_id')
      .where({ 'c.family_id': familyId, 'c.active': true })
      .orderBy([{ column: 'c.birth_date' }, { column: 'c.id' }])
      .select('c.id', 'c.first_name', 'c.last_name', 'c.birth_date', 'c.class_name', 'c.diet', 'c.allergies', 'c.pai', 's.name as school_name'),
  ]);
  return {
    familyId: family.id,
    familyName: family.name,
    familyCode: family.code,
    contacts: contacts.map(cardOf),
    children: (children as Array<Record<string, unknown>>).map((c) => ({
      id: c.id as number,
      firstName: c.first_name as string,
      lastName: c.last_name as string,
      birthDate: c.birth_date as string,
      schoolName: (c.school_name as string | null) ?? null,
      className: c.class_name as string,
      diet: ((DIETS as readonly string[]).includes(c.diet as string) ? c.diet : 'standard') as Diet,
      allergies: c.allergies as string,
      pai: Boolean(c.pai),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

const isParent = (actor: Actor) => actor.kind === 'parent';

/** "Je valide mes modifications" on one card. Unchanged cards write nothing. */
export async function updateContact(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; contactId: number; values: ContactValues },
): Promise<ContactCard> {
  authorize(actor, 'family.edit', { familyId: input.familyId });
  const values = cleanContact(input.values);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const after = await writeContactUpdate(trx, actor, { familyId: input.familyId, contactId: input.contactId, values }, now);
    if (after.changed) await touchFamily(trx, input.familyId, now);
    return after.card;
  });
}

/** After a change of cards: the family's date and its search text (names, phones). */
export async function touchFamily(trx: Knex.Transaction, familyId: number, now: Date): Promise<void> {
  await trx('families').where('id', familyId).update({ updated_at: now.toISOString() });
  await refreshFamilySearchText(trx, familyId);
}

/** Updates one card of the family inside the caller's transaction, audited; values already cleaned. */
export async function writeContactUpdate(
  trx: Knex.Transaction,
  actor: Actor,
  input: { familyId: number; contactId: number; values: ContactValues },
  now: Date,
): Promise<{ card: ContactCard; changed: boolean }> {
  const { values } = input;
  const row: ContactRow | undefined = await trx('contacts').where('id', input.contactId).first();
  // Another family's card: the same answer as a card that does not exist.
  if (!row || row.family_id !== input.familyId) throw notFound('Fiche de contact');
  const before = cardOf(row);
  const after: ContactCard = { id: row.id, ...values };
  const changed = diff(before, after);
  if (!changed) return { card: before, changed: false };
  await trx('contacts')
    .where('id', row.id)
    .update({ ...contactColumns(values), updated_at: now.toISOString() });
  await audit(
    trx,
    actor,
    {
      action: 'contact.update',
      entity: 'contact',
      entityId: row.id,
      familyId: input.familyId,
      before: changed.before,
      after: changed.after,
      note: `Fiche ${values.relationship} > ${values.lastName} ${values.firstName}`,
      needsReview: isParent(actor),
    },
    now,
  );
  return { card: after, changed: true };
}

export const MAX_CONTACTS_PER_FAMILY = 12;

/** A new card (a new nanny, a grandparent who picks the children up). */
export async function addContact(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; values: ContactValues },
): Promise<ContactCard> {
  authorize(actor, 'family.edit', { familyId: input.familyId });
  const values = cleanContact(input.values);
  const now = ctx.clock.now();
  return writeTransaction(ctx.db, async (trx) => {
    const family = await trx('families').where('id', input.familyId).first('id');
    if (!family) throw notFound('Dossier');
    const card = await writeContactInsert(trx, actor, { familyId: input.familyId, values }, now);
    await touchFamily(trx, input.familyId, now);
    return card;
  });
}

/** Adds a card at the end of the family's list inside the caller's transaction, audited; values already cleaned. */
export async function writeContactInsert(
  trx: Knex.Transaction,
  actor: Actor,
  input: { familyId: number; values: ContactValues },
  now: Date,
): Promise<ContactCard> {
  const { values } = input;
  const at = now.toISOString();
  const count = (await trx('contacts')
    .where('family_id', input.familyId)
    .count({ n: '*' })
    .max({ maxpos: 'position' })
    .first()) as { n: number | string; maxpos: number | string | null } | undefined;
  if (Number(count?.n ?? 0) >= MAX_CONTACTS_PER_FAMILY) {
    throw invalid(`Un dossier compte au plus ${MAX_CONTACTS_PER_FAMILY} fiches : contactez le secrétariat.`);
  }
  const [ins] = await trx('contacts')
    .insert({ family_id: input.familyId, ...contactColumns(values), position: Number(count?.maxpos ?? 0) + 1, created_at: at, updated_at: at })
    .returning('id');
  const id = insertedId(ins);
  await audit(
    trx,
    actor,
    {
      action: 'contact.create',
      entity: 'contact',
      entityId: id,
      familyId: input.familyId,
      after: values,
      note: `Nouvelle fiche ${values.relationship} > ${values.lastName} ${values.firstName}`,
      needsReview: isParent(actor),
    },
    now,
  );
  return { id, ...values };
}

/** A child's diet and allergies, as the parent declares them (the PAI itself is set by the secretariat). */
export async function updateChildHealth(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; childId: number; diet: Diet; allergies: string },
): Promise<ChildView> {
  authorize(actor, 'family.edit', { familyId: input.familyId });
  if (!(DIETS as readonly string[]).includes(input.diet)) throw invalid('Régime alimentaire invalide.');
  const allergies = String(input.allergies ?? '').trim();
  if (allergies.length > 500) throw invalid('Allergies : 500 caractères au maximum.');
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const child: { id: number; family_id: number; first_name: string; diet: string; allergies: string } | undefined = await trx('children')
      .where('id', input.childId)
      .first('id', 'family_id', 'first_name', 'diet', 'allergies');
    if (!child || child.family_id !== input.familyId) throw new DomainError('NOT_FOUND', 'Enfant introuvable dans cette famille.');
    const changed = diff({ diet: child.diet, allergies: child.allergies }, { diet: input.diet, allergies });
    if (!changed) return;
    await trx('children').where('id', child.id).update({ diet: input.diet, allergies, updated_at: now.toISOString() });
    await audit(
      trx,
      actor,
      {
        action: 'child.health_update',
        entity: 'child',
        entityId: child.id,
        familyId: input.familyId,
        before: changed.before,
        after: changed.after,
        note: `Régime et allergies de ${child.first_name}`,
        needsReview: isParent(actor),
      },
      now,
    );
  });
  const dossier = await getFamilyDossier(ctx, actor, input.familyId);
  return dossier.children.find((c) => c.id === input.childId)!;
}

// ---------------------------------------------------------------------------------------------
// The secretariat's view of parents' changes

/** Parents' changes to family files, newest first; only the unseen ones by default. */
export async function listFamilyChanges(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId?: number; onlyPending?: boolean; limit?: number } = {},
): Promise<FamilyChangeView[]> {
  authorizeStaff(actor, 'family.read');
  const q = ctx
    .db('audit_log as a')
    .join('families as f', 'f.id', 'a.family_id')
    .leftJoin('parent_accounts as p', 'p.id', 'a.parent_account_id')
    .where('a.actor_kind', 'parent')
    .whereIn('a.entity', ['contact', 'child'])
    .orderBy([{ column: 'a.at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .limit(Math.min(Math.max(input.limit ?? 100, 1), 500))
    .select('a.*', 'f.name as family_name', 'p.username');
  if (input.familyId != null) q.where('a.family_id', input.familyId);
  if (input.onlyPending !== false) q.where('a.needs_review', true);
  const rows: Array<Record<string, unknown>> = await q;
  return rows.map((r) => ({
    id: r.id as number,
    at: r.at as string,
    familyId: r.family_id as number,
    familyName: r.family_name as string,
    action: r.action as string,
    entity: r.entity as string,
    entityId: (r.entity_id as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    before: r.before_json ? JSON.parse(r.before_json as string) : null,
    after: r.after_json ? JSON.parse(r.after_json as string) : null,
    authorName: (r.username as string | null) ?? 'parent',
    needsReview: Boolean(r.needs_review),
    reviewedAt: (r.reviewed_at as string | null) ?? null,
  }));
}

/** The secretariat has seen these changes (ids of audit rows). */
export async function markFamilyChangesReviewed(ctx: CoreContext, actor: Actor, ids: number[]): Promise<number> {
  authorizeStaff(actor, 'family.edit');
  if (!Array.isArray(ids) || ids.some((i) => !Number.isSafeInteger(i) || i <= 0) || ids.length > 500) throw invalid('Liste de modifications invalide.');
  if (ids.length === 0) return 0;
  return ctx
    .db('audit_log')
    .whereIn('id', ids)
    .where('needs_review', true)
    .update({ needs_review: false, reviewed_at: ctx.clock.now().toISOString() });
}

