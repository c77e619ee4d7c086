import type { parentContactRoutes } from '../../api/routes/parent-contacts.js';
import { removeContact, saveContactCards } from '../../core/family-cards.js';
import type { ServerDeps } from '../deps.js';
import { coreContext } from '../http.js';
import type { Handlers } from '../route-mount.js';

/** Mon dossier: all cards saved at once, and a card removed, for the session's family. */
export function parentContactHandlers(deps: ServerDeps): Handlers<typeof parentContactRoutes> {
  const ctx = coreContext(deps);
  return {
    'parent.saveContacts': ({ me, body }) =>
      saveContactCards(ctx, me.actor, { familyId: me.familyId, cards: body.cards.map(({ id, ...values }) => ({ id, values })) }),
    'parent.removeContact': ({ me, params }) => removeContact(ctx, me.actor, { familyId: me.familyId, contactId: params.id }),
  };
}
