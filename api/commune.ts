import { z } from 'zod';
import { textField } from './common.js';
import { isValidEmail, normalisePhone } from './rules.js';

export * from './commune-identity.js';

const optionalEmail = z
  .string({ error: 'Mél : adresse invalide.' })
  .trim()
  .max(120, { error: 'Mél : 120 caractères au plus.' })
  .refine((v) => v === '' || isValidEmail(v), { error: 'Mél : adresse e-mail invalide (exemple : periscolaire@mairie.fr).' });

const optionalPhone = z
  .string({ error: 'Téléphone invalide.' })
  .max(30, { error: 'Téléphone invalide.' })
  .refine((v) => v.trim() === '' || normalisePhone(v) !== null, { error: 'Téléphone : numéro invalide (exemple : 05 53 22 24 13).' });

const website = z
  .string({ error: 'Site internet invalide.' })
  .trim()
  .max(200, { error: 'Site internet : 200 caractères au plus.' })
  .refine((v) => v === '' || /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(v), { error: 'Site internet : une adresse commençant par https:// est attendue.' });

/** What the admin's "Commune" screen (and the setup) sends. */
export const communeInputSchema = z.object({
  name: textField('Nom de la commune', 120, true),
  department: textField('Département', 80),
  address: z
    .array(z.string({ error: 'Adresse invalide.' }).trim().max(120, { error: 'Adresse : 120 caractères au plus par ligne.' }), { error: 'Adresse invalide.' })
    .max(5, { error: 'Adresse : 5 lignes au plus.' })
    .transform((lines) => lines.filter((l) => l !== '')),
  service: textField('Service', 120, true),
  email: optionalEmail,
  phone: optionalPhone,
  website,
  regie: textField('Régie', 120, true),
  regisseur: textField('Régisseur', 120),
});
export type CommuneInput = z.infer<typeof communeInputSchema>;
