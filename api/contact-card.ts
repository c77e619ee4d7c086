import type { ContactInput } from './parent.js';
import type { Relationship } from './rules.js';

/** A blank contact card (the guide's "fiche de renseignement"), for the portal's and the console's "add a card" forms. */
export function emptyContactCard(relationship: Relationship): ContactInput {
  return {
    relationship, lastName: '', firstName: '', address1: '', address2: '', address3: '', postalCode: '', city: '',
    phone: '', mobile: '', workPhone: '', workMobile: '', email: '', note: '',
    useForBilling: false, emergencyContact: false, authorizedPickup: false,
  };
}
