/**
 * The "Mise en service" of a commune's own install (production mode): the commune, the first
 * administrator, the activities from a template, the schools. Checked step by step, written at
 * the end in one transaction (core/setup.ts).
 */
import { z } from 'zod';
import { communeInputSchema } from './commune.js';
import { textField, weekdaysSchema } from './common.js';
import { PASSWORD_MIN_LENGTH } from './rules.js';

export type InstallMode = 'demo' | 'production';
export interface InstallState {
  mode: InstallMode;
  /** False until the first administrator exists (production); always true for a demo. */
  setupDone: boolean;
}

/** GET /api/public/install: what both clients need before anything else (banner, setup page). */
export interface PublicInstall {
  mode: InstallMode;
  setupRequired: boolean;
}

/** GET /api/setup/status: whether this visitor may set up without the one-time code. */
export interface SetupStatus {
  required: true;
  /** The request comes from the machine itself (loopback socket, no proxy in between). */
  local: boolean;
}

export const SETUP_CODE_HEADER = 'x-setup-code';

export const TEMPLATE_CODES = ['CANTINE', 'GARDERIE_MATIN', 'GARDERIE_SOIR', 'BUS'] as const;
export type TemplateCode = (typeof TEMPLATE_CODES)[number];

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const time = (label: string) => z.string({ error: `${label} : heure attendue (HH:MM).` }).regex(TIME_RE, { error: `${label} : heure invalide, par exemple 08:30.` });
const days = (label: string) =>
  z.number({ error: `${label} : nombre de jours attendu.` }).int({ error: `${label} : nombre entier de jours.` }).min(0, { error: `${label} : 0 à 30 jours.` }).max(30, { error: `${label} : 0 à 30 jours.` });

const includedActivity = z.strictObject({
  code: z.enum(TEMPLATE_CODES, { error: 'Activité inconnue.' }),
  included: z.literal(true),
  name: textField('Nom de l’activité', 120, true),
  weekdays: weekdaysSchema.min(1, { error: 'Cochez au moins un jour de la semaine.' }),
  startTime: time('Début'),
  endTime: time('Fin'),
  priceCents: z
    .number({ error: 'Prix : montant attendu.' })
    .int({ error: 'Prix : en centimes entiers.' })
    .min(0, { error: 'Prix : le montant ne peut pas être négatif.' })
    .max(100_000, { error: 'Prix : 1 000,00 € au plus.' }),
  bookDaysBefore: days('Réservation'),
  bookUntilTime: time('Heure limite de réservation'),
  cancelDaysBefore: days('Annulation'),
  cancelUntilTime: time('Heure limite d’annulation'),
});
const skippedActivity = z.strictObject({ code: z.enum(TEMPLATE_CODES, { error: 'Activité inconnue.' }), included: z.literal(false) });

export const setupActivitySchema = z.discriminatedUnion('included', [includedActivity, skippedActivity], { error: 'Activité invalide.' });
export type SetupActivity = z.infer<typeof setupActivitySchema>;
export type SetupActivityValues = z.infer<typeof includedActivity>;

export const setupAdminSchema = z
  .strictObject({
    username: z
      .string({ error: 'Identifiant : texte attendu.' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9._-]{2,59}$/, { error: 'Identifiant invalide : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.' }),
    displayName: textField('Nom', 120, true).refine((v) => v.length >= 2, { error: 'Nom : 2 caractères au moins.' }),
    password: z
      .string({ error: 'Mot de passe : texte attendu.' })
      .min(PASSWORD_MIN_LENGTH, { error: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.` })
      .max(200, { error: 'Le mot de passe ne doit pas dépasser 200 caractères.' }),
    confirm: z.string({ error: 'Confirmation : texte attendu.' }).max(200, { error: 'Les deux mots de passe ne sont pas identiques.' }),
  })
  .refine((a) => a.password === a.confirm, { error: 'Les deux mots de passe ne sont pas identiques.', path: ['confirm'] });

export const SCHOOL_KINDS = ['maternelle', 'elementaire'] as const;
export const SCHOOL_KIND_LABELS: Record<(typeof SCHOOL_KINDS)[number], string> = { maternelle: 'Maternelle', elementaire: 'Élémentaire' };

export const setupSchoolSchema = z.strictObject({
  name: textField('Nom de l’école', 120, true).refine((v) => v.length >= 2, { error: 'Nom de l’école : 2 caractères au moins.' }),
  kind: z.enum(SCHOOL_KINDS, { error: 'Type d’école : maternelle ou élémentaire.' }),
});

const activitiesList = z
  .array(setupActivitySchema, { error: 'Activités attendues.' })
  .max(TEMPLATE_CODES.length, { error: 'Activités : une seule fois chacune.' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.code)) ctx.addIssue({ code: 'custom', message: 'Activités : une seule fois chacune.', path: [i, 'code'] });
      seen.add(a.code);
    });
    if (!list.some((a) => a.included)) ctx.addIssue({ code: 'custom', message: 'Cochez au moins une activité : vous pourrez en ajouter ensuite.', path: [] });
  });

const schoolsList = z
  .array(setupSchoolSchema, { error: 'Écoles attendues.' })
  .min(1, { error: 'Indiquez au moins une école.' })
  .max(30, { error: 'Trente écoles au plus.' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      const key = s.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'Deux écoles portent ce nom.', path: [i, 'name'] });
      seen.add(key);
    });
  });

/** One step, checked on "Suivant" (the same rules as the final write). */
export const setupStepSchemas = {
  commune: z.strictObject({ commune: communeInputSchema }),
  admin: z.strictObject({ admin: setupAdminSchema }),
  activities: z.strictObject({ activities: activitiesList }),
  schools: z.strictObject({ schools: schoolsList }),
} as const;
export type SetupStep = keyof typeof setupStepSchemas;
export const SETUP_STEPS = Object.keys(setupStepSchemas) as SetupStep[];

/** POST /api/setup: everything, written in one transaction. */
export const setupInputSchema = z.strictObject({
  commune: communeInputSchema,
  admin: setupAdminSchema,
  activities: activitiesList,
  schools: schoolsList,
});
export type SetupInput = z.infer<typeof setupInputSchema>;

/** POST /api/setup/check/:step: one step's part of the whole (core checks it with that step's schema). */
export const setupStepParams = z.object({ step: z.string() });
export const setupStepInput = setupInputSchema.partial();

/** POST /api/setup/code: the one-time code typed on another machine than the server. */
export const setupCodeInput = z.object({ code: z.string({ error: 'Saisissez le code de mise en service.' }).max(100, { error: 'Code de mise en service trop long.' }).optional() });

/** An activity of the template, as the setup page shows it before the mairie edits it. */
export interface ActivityTemplate extends SetupActivityValues {
  walletLabel: string;
  meal: boolean;
}
export interface SetupTemplate {
  activities: ActivityTemplate[];
}

export interface SetupDone {
  username: string;
}
