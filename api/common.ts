import { z } from 'zod';

/**
 * Shared pieces of the HTTP contract. Every message is French: the server sends the first
 * failing message back as `{error: {code, message}}`, and the clients show it as is.
 */

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export type StaffRole = 'admin' | 'secretariat' | 'restauration';
export const STAFF_ROLES = ['admin', 'secretariat', 'restauration'] as const;

/** Route parameter or query id: "42" -> 42. */
export const idSchema = z.coerce
  .number({ error: 'Identifiant invalide.' })
  .int({ error: 'Identifiant invalide.' })
  .positive({ error: 'Identifiant invalide.' })
  .max(2_147_483_647, { error: 'Identifiant invalide.' });

export const dateSchema = z
  .string({ error: 'Date manquante.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Date invalide (format attendu : AAAA-MM-JJ).' })
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  }, { error: 'Cette date n’existe pas.' });

/** 'YYYY-MM' of a monthly statement. */
export const monthSchema = z
  .string({ error: 'Mois manquant.' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Mois invalide (format attendu : AAAA-MM).' });

/** Money: integer cents, never a float. */
export const centsSchema = z
  .number({ error: 'Montant invalide.' })
  .int({ error: 'Le montant doit être en centimes entiers.' })
  .min(-100_000_000, { error: 'Montant hors limites.' })
  .max(100_000_000, { error: 'Montant hors limites.' });

export const idParams = z.object({ id: idSchema });

export { formatEuros } from './rules.js';

export interface OkResponse {
  ok: true;
}
