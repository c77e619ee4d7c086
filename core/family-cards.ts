import { audit } from './audit.js';
import type { ContactCard, FamilyDossier } from '../api/parent.js';
import type { Actor, CoreContext } from './context.js';
import { DomainError, invalid, notFound } from './errors.js';
import {
  cardOf,
  cleanContact,
  getFamilyDossier,
  MAX_CONTACTS_PER_FAMILY,
  touchFamily,
  writeContactInsert,
  writeContactUpdate,
  type ContactRow,
  type ContactValues,
} from './family.js';
import { authorize } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * "Mon dossier" as the guide has it: one "Je valide mes modifications" for all the cards, and
 * removing a card that no longer applies (the old nanny). Each changed card is audited on its
 * own, as a single-card save would be, so the secretariat's list of changes reads the same.
 */

/** A card as sent by the page: an existing card's id, or null for a new one. */
export interface CardToSave {
  id: number | null;
  values: ContactValues;
}

/** One problem in a batch, at the path the client uses to show it next to the field ("cards.1.postalCode"). */
export interface CardIssue {
  path: string;
  message: string;
}

const PARENT_RELATIONSHIPS = new Set(['MERE', 'PERE', 'TUTEUR']);

/**
 * Saves every card at once, all or nothing: a mistake on any card saves none and reports
 * each card's first mistake with its field. Unchanged cards write nothing.
 */
export async function saveContactCards(
  ctx: CoreContext,
  actor: Actor,
  input: { familyId: number; cards: CardToSave[] },
): Promise<FamilyDossier> {
  authorize(actor, 'family.edit', { familyId: input.familyId });
  if (input.cards.length === 0) throw invalid('Aucune fiche à enregistrer.');
  if (input.cards.length > MAX_CONTACTS_PER_FAMILY) {
    throw invalid(`Un dossier compte au plus ${MAX_CONTACTS_PER_FAMILY} fiches : contactez le secrétariat.`);
  }
  const ids = input.cards.flatMap((c) => (c.id === null ? [] : [c.id]));
  if (new Set(ids).size !== ids.length) throw invalid('La même fiche est envoyée deux fois.');

  const issues: CardIssue[] = [];
  const cleaned = input.cards.map((card, i) => {
    try {
      return { id: card.id, values: cleanContact(card.values) };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const field = typeof e.details?.field === 'string' ? e.details.field : '';
      issues.push({ path: field ? `cards.${i}.${field}` : `cards.${i}`, message: e.message });
      return null;
    }
  });
  if (issues.length) {
    const message = issues.length === 1 ? issues[0]!.message : `${issues.length} fiches sont à corriger : ${issues[0]!.message}`;
    throw invalid(message, { issues });
  }

  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const family = await trx('families').where('id', input.familyId).first('id');
    if (!family) throw notFound('Dossier');
    // One query for the ownership of every card named, rather than one per card.
    const owned = new Set(
      ((await trx('contacts').whereIn('id', ids).where('family_id', input.familyId).select('id')) as Array<{ id: number }>).map((r) => r.id),
    );
    if (ids.some((id) => !owned.has(id))) throw notFound('Fiche de contact');
    let changed = false;
    for (const card of cleaned) {
      if (card!.id === null) {
        await writeContactInsert(trx, actor, { familyId: input.familyId, values: card!.values }, now);
        changed = true;
      } else {
        const r = await writeContactUpdate(trx, actor, { familyId: input.familyId, contactId: card!.id, values: card!.values }, now);
        changed ||= r.changed;
      }
    }
    if (changed) await touchFamily(trx, input.familyId, now);
  });
  return getFamilyDossier(ctx, actor, input.familyId);
}

/**
 * Removes a card. Deleted rather than hidden: no other table points to a card except a
 * portal account (refused here), and the audit entry keeps the whole card in `before`.
 */
export async function removeContact(ctx: CoreContext, actor: Actor, input: { familyId: number; contactId: number }): Promise<FamilyDossier> {
  authorize(actor, 'family.edit', { familyId: input.familyId });
  const now = ctx.clock.now();
  await writeTransaction(ctx.db, async (trx) => {
    const rows = (await trx('contacts').where('family_id', input.familyId).select()) as ContactRow[];
    const row = rows.find((r) => r.id === input.contactId);
    if (!row) throw notFound('Fiche de contact');
    const card: ContactCard = cardOf(row);
    const name = `${card.lastName} ${card.firstName}`;

    const account = await trx('parent_accounts').where({ family_id: input.familyId, contact_id: row.id }).first('id');
    if (account) {
      throw new DomainError('CONFLICT', `La fiche de ${name} est liée à un compte du portail : elle ne peut pas être supprimée. Le secrétariat peut vous aider.`);
    }
    const others = rows.filter((r) => r.id !== row.id).map(cardOf);
    if (PARENT_RELATIONSHIPS.has(card.relationship) && !others.some((c) => PARENT_RELATIONSHIPS.has(c.relationship))) {
      throw new DomainError('CONFLICT', 'Le dossier doit garder au moins une fiche de parent ou de tuteur : cette fiche ne peut pas être supprimée.');
    }
    if (card.useForBilling && !others.some((c) => c.useForBilling)) {
      throw new DomainError(
        'CONFLICT',
        `La fiche de ${name} porte l’adresse de facturation : cochez « Utiliser cette adresse pour la facturation » sur une autre fiche et validez, puis supprimez celle-ci.`,
      );
    }

    await trx('contacts').where('id', row.id).delete();
    const { id: _id, ...content } = card;
    await audit(
      trx,
      actor,
      {
        action: 'contact.delete',
        entity: 'contact',
        entityId: row.id,
        familyId: input.familyId,
        before: content,
        note: `Fiche supprimée ${card.relationship} > ${name}`,
        needsReview: actor.kind === 'parent',
      },
      now,
    );
    await touchFamily(trx, input.familyId, now);
  });
  return getFamilyDossier(ctx, actor, input.familyId);
}
