import { z } from 'zod';
import { idSchema } from './common.js';
import { contactInputSchema } from './parent.js';

/**
 * Mon dossier's single "Je valide mes modifications": every card of the page at once, all or
 * nothing. Kept apart from api/parent.ts, which it builds on (and so cannot be re-exported
 * from it without an import cycle). A refusal carries `details.issues`, each with a path
 * "cards.<index>.<field>" and a French message, as the schema's own errors do.
 */
export const contactCardsSchema = z.object({
  cards: z
    .array(contactInputSchema.extend({ id: idSchema.nullable() }), { error: 'Liste de fiches invalide.' })
    .min(1, { error: 'Aucune fiche à enregistrer.' })
    .max(12, { error: 'Un dossier compte au plus 12 fiches : contactez le secrétariat.' }),
});
export type ContactCardsInput = z.infer<typeof contactCardsSchema>;

export interface CardIssueView {
  path: string;
  message: string;
}
