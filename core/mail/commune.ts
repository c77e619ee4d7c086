import type { Knex } from 'knex';
import { systemClock } from '../clock.js';
import { getMairieContacts } from '../info-pages.js';
import type { MailCommune } from './templates.js';

/**
 * The commune that signs the mails, from the `commune` setting as getMairieContacts reads it
 * (its defaults are the guide's commune). Call it inside the transaction that queues the mails.
 */
export async function loadMailCommune(db: Knex): Promise<MailCommune> {
  const contacts = await getMairieContacts({ db, clock: systemClock });
  // getMairieContacts names the mairie ("Mairie de X"); the mails name the commune.
  return { name: contacts.name.replace(/^Mairie d(?:e |’|')/, ''), email: contacts.email, phone: contacts.phone };
}
