import { z } from 'zod';
import type { StaffRole } from './common.js';

/** Sign-in, sign-out, password change and reset: the contract of /api/auth. */

import { PASSWORD_MIN_LENGTH } from './rules.js';

export { PASSWORD_MIN_LENGTH };

export const loginSchema = z.object({
  username: z
    .string({ error: 'Saisissez votre identifiant.' })
    .trim()
    .min(1, { error: 'Saisissez votre identifiant.' })
    .max(60, { error: 'Identifiant trop long.' }),
  password: z
    .string({ error: 'Saisissez votre mot de passe.' })
    .min(1, { error: 'Saisissez votre mot de passe.' })
    .max(200, { error: 'Mot de passe trop long.' }),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const newPasswordSchema = z
  .string({ error: 'Saisissez le nouveau mot de passe.' })
  .min(PASSWORD_MIN_LENGTH, { error: `Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.` })
  .max(200, { error: 'Le nouveau mot de passe ne doit pas dépasser 200 caractères.' })
  .refine((p) => p.trim().length === p.length, { error: 'Le mot de passe ne doit pas commencer ni finir par un espace.' });

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: 'Saisissez votre mot de passe actuel.' })
    .min(1, { error: 'Saisissez votre mot de passe actuel.' })
    .max(200, { error: 'Mot de passe trop long.' }),
  newPassword: newPasswordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const passwordResetRequestSchema = z.object({
  identifier: z
    .string({ error: 'Saisissez votre identifiant ou votre adresse e-mail.' })
    .trim()
    .min(1, { error: 'Saisissez votre identifiant ou votre adresse e-mail.' })
    .max(200, { error: 'Identifiant trop long.' }),
});
export type PasswordResetRequestInput = z.infer<typeof passwordResetRequestSchema>;

export const passwordResetConfirmSchema = z.object({
  token: z
    .string({ error: 'Lien de réinitialisation invalide.' })
    .regex(/^[A-Za-z0-9_-]{20,100}$/, { error: 'Lien de réinitialisation invalide.' }),
  newPassword: newPasswordSchema,
});
export type PasswordResetConfirmInput = z.infer<typeof passwordResetConfirmSchema>;

export type MeResponse =
  | {
      kind: 'parent';
      parentAccountId: number;
      familyId: number;
      familyName: string;
      username: string;
      /** "Chantal DEVRET" when the account is linked to a contact card. */
      displayName: string;
      mustChangePassword: boolean;
      csrfToken: string;
    }
  | {
      kind: 'staff';
      staffUserId: number;
      role: StaffRole;
      name: string;
      username: string;
      mustChangePassword: boolean;
      csrfToken: string;
    };

/** Login answers the same shape as GET /api/auth/me. */
export type LoginResponse = MeResponse;
