import type { Knex } from 'knex';
import { getCommune } from '../commune.js';
import type { MailCommune } from './templates.js';

/** The commune that signs the mails (core/commune.ts). Call it inside the transaction that queues the mails. */
export async function loadMailCommune(db: Knex): Promise<MailCommune> {
  const c = await getCommune(db);
  return { name: c.name, email: c.email, phone: c.phone };
}
