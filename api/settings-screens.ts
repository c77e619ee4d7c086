import { z } from 'zod';
import { isValidEmail } from './rules.js';

/**
 * The admin's "Paramètres" sections besides the commune (issue 10): Portail, Paiement en ligne,
 * Messagerie, Sécurité. Every message is French and names its field (the schema's path), so the
 * console shows it next to the field. Secrets go in, never out: a view says `hasPassword`.
 */

const strictObject = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape, { error: 'Réglages invalides : champ inconnu ou donnée mal formée.' });

/** "https://portail.mairie.fr" or "https://mairie.fr/eticket": no query, no fragment, no trailing slash. */
export const PUBLIC_URL_PATTERN = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i;

const httpAddress = (label: string, example: string) =>
  z
    .string({ error: `${label} : texte attendu.` })
    .trim()
    .max(200, { error: `${label} : 200 caractères au plus.` })
    .refine((v) => v === '' || PUBLIC_URL_PATTERN.test(v), { error: `${label} : une adresse commençant par https:// est attendue (exemple : ${example}).` })
    .transform((v) => v.replace(/\/+$/, ''));

// ---------------------------------------------------------------------------------------------
// Portail

export const MAX_DEFAULT_THRESHOLD_CENTS = 20_000;
export const WELCOME_TEXT_MAX = 600;

export const portalSettingsInput = strictObject({
  /** Empty: the server's own address (ETICKET_PUBLIC_URL) stays in use. */
  publicUrl: httpAddress('Adresse publique du portail', 'https://portail.mairie-exemple.fr'),
  lowBalanceThresholdCents: z
    .number({ error: 'Seuil d’alerte par défaut : un montant en euros est attendu (par exemple 10,00).' })
    .int({ error: 'Seuil d’alerte par défaut : un montant en centimes entiers est attendu.' })
    .min(0, { error: 'Seuil d’alerte par défaut : un montant entre 0,00 € et 200,00 € est attendu.' })
    .max(MAX_DEFAULT_THRESHOLD_CENTS, { error: 'Seuil d’alerte par défaut : un montant entre 0,00 € et 200,00 € est attendu.' }),
  welcomeText: z
    .string({ error: 'Texte d’accueil : texte attendu.' })
    .max(WELCOME_TEXT_MAX * 2, { error: `Texte d’accueil : ${WELCOME_TEXT_MAX} caractères au plus.` })
    // Plain text: line breaks kept, other control characters dropped (the portal renders it as text).
    .transform((v) => v.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim())
    .refine((v) => v.length <= WELCOME_TEXT_MAX, { error: `Texte d’accueil : ${WELCOME_TEXT_MAX} caractères au plus.` }),
});
export type PortalSettingsInput = z.infer<typeof portalSettingsInput>;

export interface PortalSettingsView extends PortalSettingsInput {
  /** The address in use when `publicUrl` is empty (the server's configuration). */
  fallbackUrl: string;
  /** What the letters and mails print today. */
  effectiveUrl: string;
}

/** GET /api/public/portal: the texts of the portal's sign-in page. */
export interface PublicPortalTexts {
  welcomeText: string;
}

// ---------------------------------------------------------------------------------------------
// Paiement en ligne (PayFiP)

export const SAISIE_LABELS = { T: 'Test', X: 'Activation', W: 'Production' } as const;

export const payfipScreenInput = strictObject({
  numcli: z.string({ error: 'Numéro client PayFiP : texte attendu.' }).trim().regex(/^\d{6}$/, { error: 'Numéro client PayFiP : exactement 6 chiffres (il figure sur la convention PayFiP).' }),
  saisie: z.enum(['T', 'X', 'W'], { error: 'Mode : test, activation ou production.' }),
  /** Advanced: empty means PayFiP's production address. */
  serviceUrl: httpAddress('Adresse du service PayFiP', 'https://www.payfip.gouv.fr/tpa/services/securite'),
  paymentPageUrl: httpAddress('Adresse de la page de paiement', 'https://www.payfip.gouv.fr/tpa/paiementws.web'),
  /** Advanced: empty follows the portal's public address. */
  notificationBaseUrl: httpAddress('Adresse de notification', 'https://portail.mairie-exemple.fr'),
});
export type PayfipScreenInput = z.infer<typeof payfipScreenInput>;

export interface PayfipScreenView extends PayfipScreenInput {
  /** What is used now (the environment or the demo simulator may stand over what is stored). */
  effective: { serviceUrl: string; paymentPageUrl: string; notificationBaseUrl: string; publicBaseUrl: string };
  /** The demo simulator stands in for PayFiP. */
  simulator: boolean;
}

export const payfipTestInput = strictObject({
  /** The number typed on the screen, not saved yet; the saved one otherwise. */
  numcli: z.string({ error: 'Numéro client PayFiP : texte attendu.' }).trim().regex(/^\d{6}$/, { error: 'Numéro client PayFiP : exactement 6 chiffres.' }).optional(),
});

export interface PayfipTestResult {
  outcome: 'known' | 'unknown' | 'unreachable';
  /** French sentence for the admin. */
  message: string;
  /** PayFiP's label of the client, when known. */
  libelle?: string;
}

// ---------------------------------------------------------------------------------------------
// Messagerie (SMTP)

export type SmtpTls = 'none' | 'starttls' | 'tls';
export const SMTP_TLS_LABELS: Record<SmtpTls, string> = {
  none: 'Aucun chiffrement',
  starttls: 'STARTTLS (port 587)',
  tls: 'TLS (port 465)',
};

const HOST_PATTERN = /^(?=.{1,200}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[?[0-9a-fA-F:.]+\]?$/;

export const smtpScreenInput = strictObject({
  /** Empty: no SMTP server (mails wait, or become .eml files in the demo). */
  host: z
    .string({ error: 'Serveur SMTP : texte attendu.' })
    .trim()
    .max(200, { error: 'Serveur SMTP : 200 caractères au plus.' })
    .refine((v) => v === '' || HOST_PATTERN.test(v), { error: 'Serveur SMTP : un nom de serveur est attendu (exemple : smtp.mairie-exemple.fr).' }),
  port: z
    .number({ error: 'Port : un nombre entre 1 et 65535 est attendu.' })
    .int({ error: 'Port : un nombre entier est attendu.' })
    .min(1, { error: 'Port : un nombre entre 1 et 65535 est attendu.' })
    .max(65535, { error: 'Port : un nombre entre 1 et 65535 est attendu.' }),
  tls: z.enum(['none', 'starttls', 'tls'], { error: 'Chiffrement : aucun, STARTTLS ou TLS.' }),
  user: z.string({ error: 'Compte : texte attendu.' }).trim().max(200, { error: 'Compte : 200 caractères au plus.' }),
  /** Empty keeps the stored password. */
  password: z.string({ error: 'Mot de passe : texte attendu.' }).max(200, { error: 'Mot de passe : 200 caractères au plus.' }).optional(),
  /** Forget the stored password (an account without one). */
  clearPassword: z.boolean({ error: 'Donnée invalide.' }).optional(),
  fromAddress: z
    .string({ error: 'Adresse d’expédition : texte attendu.' })
    .trim()
    .max(120, { error: 'Adresse d’expédition : 120 caractères au plus.' })
    .refine((v) => isValidEmail(v), { error: 'Adresse d’expédition : adresse e-mail invalide (exemple : ne-pas-repondre@mairie-exemple.fr).' }),
  fromName: z
    .string({ error: 'Nom de l’expéditeur : texte attendu.' })
    .trim()
    .max(80, { error: 'Nom de l’expéditeur : 80 caractères au plus.' })
    .refine((v) => !/["<>\\\r\n]/.test(v), { error: 'Nom de l’expéditeur : sans guillemets ni chevrons.' }),
});
export type SmtpScreenInput = z.infer<typeof smtpScreenInput>;

export interface SmtpScreenView {
  host: string;
  port: number;
  tls: SmtpTls;
  user: string;
  /** Never the password itself. */
  hasPassword: boolean;
  fromAddress: string;
  fromName: string;
  /** Where "Envoyer un e-mail de test" goes unless told: the admin's or the service's address. */
  testAddress: string;
}

export const smtpTestInput = strictObject({
  to: z
    .string({ error: 'Destinataire : texte attendu.' })
    .trim()
    .max(120, { error: 'Destinataire : 120 caractères au plus.' })
    .refine((v) => isValidEmail(v), { error: 'Destinataire : adresse e-mail invalide.' }),
});

export interface SmtpTestResult {
  outcome: 'delivered' | 'refused' | 'unreachable' | 'not_configured';
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Sécurité (session lengths, in minutes)

export const SESSION_BOUNDS = {
  parentIdleMinutes: { min: 5, max: 24 * 60, label: 'Familles : inactivité' },
  parentAbsoluteMinutes: { min: 30, max: 30 * 24 * 60, label: 'Familles : durée maximale' },
  staffIdleMinutes: { min: 5, max: 24 * 60, label: 'Agents : inactivité' },
  staffAbsoluteMinutes: { min: 30, max: 7 * 24 * 60, label: 'Agents : durée maximale' },
} as const;

/** "1 h 30", "45 min", "2 j" */
export function durationFr(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} j`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

const minutesField = (key: keyof typeof SESSION_BOUNDS) => {
  const b = SESSION_BOUNDS[key];
  const message = `${b.label} : entre ${durationFr(b.min)} et ${durationFr(b.max)}.`;
  return z.number({ error: message }).int({ error: `${b.label} : un nombre entier de minutes est attendu.` }).min(b.min, { error: message }).max(b.max, { error: message });
};

export const securitySettingsInput = strictObject({
  parentIdleMinutes: minutesField('parentIdleMinutes'),
  parentAbsoluteMinutes: minutesField('parentAbsoluteMinutes'),
  staffIdleMinutes: minutesField('staffIdleMinutes'),
  staffAbsoluteMinutes: minutesField('staffAbsoluteMinutes'),
})
  .refine((v) => v.parentIdleMinutes <= v.parentAbsoluteMinutes, { error: 'Familles : la durée maximale ne peut être plus courte que l’inactivité.', path: ['parentAbsoluteMinutes'] })
  .refine((v) => v.staffIdleMinutes <= v.staffAbsoluteMinutes, { error: 'Agents : la durée maximale ne peut être plus courte que l’inactivité.', path: ['staffAbsoluteMinutes'] });
export type SecuritySettings = z.infer<typeof securitySettingsInput>;
