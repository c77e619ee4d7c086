import { idParams } from '../common.js';
import { contactCardsSchema } from '../contacts.js';
import { defineRoutes, json, parent } from '../contract.js';
import type { FamilyDossier } from '../parent.js';

/** Mon dossier: every card saved at once, and a card removed; both answer the whole dossier. */
export const parentContactRoutes = defineRoutes({
  'parent.saveContacts': { method: 'PUT', path: '/api/parent/contacts', access: parent('family.edit'), body: contactCardsSchema, reply: json<FamilyDossier>() },
  'parent.removeContact': { method: 'DELETE', path: '/api/parent/contacts/:id', access: parent('family.edit'), params: idParams, reply: json<FamilyDossier>() },
});
