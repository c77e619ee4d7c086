import { Router } from 'express';
import { idParams } from '../../api/common.js';
import { contactCardsSchema } from '../../api/contacts.js';
import type { FamilyDossier } from '../../api/parent.js';
import { removeContact, saveContactCards } from '../../core/family-cards.js';
import type { ServerDeps } from '../deps.js';
import { coreContext, validate } from '../http.js';
import { parentOf } from '../session.js';

/** Mon dossier: all cards saved at once, and a card removed. Mounted by parentRouter (already signed in). */
export function parentContactsRouter(deps: ServerDeps): Router {
  const router = Router();
  const ctx = coreContext(deps);

  router.put('/contacts', async (req, res) => {
    const { cards } = validate(contactCardsSchema, req.body);
    const me = parentOf(req);
    const dossier: FamilyDossier = await saveContactCards(ctx, me.actor, {
      familyId: me.familyId,
      cards: cards.map(({ id, ...values }) => ({ id, values })),
    });
    res.json(dossier);
  });

  router.delete('/contacts/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const me = parentOf(req);
    const dossier: FamilyDossier = await removeContact(ctx, me.actor, { familyId: me.familyId, contactId: id });
    res.json(dossier);
  });

  return router;
}
