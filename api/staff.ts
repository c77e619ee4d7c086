import { z } from 'zod';
import { centsInput, centsSchema, dateSchema, idSchema, integerInput, ledgerQuerySchema, optionalIntegerInput, STAFF_ROLES, textField as text, weekdaysSchema, type DocumentSummary, type StaffRole } from './common.js';
import {
  bookingChangesSchema,
  DIETS,
  type BookingResultResponse,
  type ContactCard,
  type Diet,
  type LedgerLine,
  type MessageView,
  type ThreadSummary,
  type WalletBalanceView,
} from './parent.js';
import { STAFF_ROLE_LABELS } from './rules.js';

/**
 * The contract of /api/staff (the staff console): zod schemas for what the console sends and
 * the types of what the server answers. Roles, as the server enforces them:
 * - admin: everything;
 * - secretariat: everything but staff accounts and the activities / tariffs / calendar editing;
 * - restauration: meal lists, pointage and attendance exports only (every money or family-file
 *   route answers 403).
 */

export { STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole };

const bool = (label: string) => z.boolean({ error: `${label} : oui ou non attendu.` });

/** Query-string booleans: "1"/"true" or "0"/"false". */
const queryBool = z
  .enum(['0', '1', 'true', 'false'], { error: 'Valeur attendue : 0 ou 1.' })
  .transform((v) => v === '1' || v === 'true');

const timeSchema = z.string({ error: 'Heure attendue (HH:MM).' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Heure invalide (format attendu : HH:MM).' });

// ---------------------------------------------------------------------------------------------
// Reference data (every screen)

export interface SchoolRef {
  id: number;
  name: string;
  kind: string;
}
export interface WalletRef {
  id: number;
  code: string;
  label: string;
  overdraftLimitCents: number;
}
export interface ActivityRef {
  id: number;
  code: string;
  name: string;
  walletId: number;
  meal: boolean;
  weekdays: number[];
  active: boolean;
}
export interface ReferenceResponse {
  /** Paris date of the server's clock. */
  today: string;
  schools: SchoolRef[];
  wallets: WalletRef[];
  activities: ActivityRef[];
  /** Classes already used, per school id ("" key = no school), for the filters. */
  classes: Record<string, string[]>;
}

/** Badges of the menu. */
export interface OverviewResponse {
  pendingDocuments: number;
  unreadMessages: number;
  pendingChanges: number;
}

// ---------------------------------------------------------------------------------------------
// Families

export const familySearchQuery = z.object({
  q: z.string({ error: 'Recherche attendue.' }).max(100, { error: 'Recherche trop longue.' }).default(''),
  limit: z.coerce.number({ error: 'Nombre invalide.' }).int().min(1, { error: 'Nombre invalide.' }).max(100, { error: 'Au plus 100 résultats.' }).optional(),
  inactive: queryBool.optional(),
});

export interface FamilyHit {
  id: number;
  code: string;
  name: string;
  active: boolean;
  /** Parents' names, e.g. ["Chantal DEVRET", "Marc DEVRET"]. */
  contacts: string[];
  /** Children's first names with school class, e.g. ["Julia (CM1)"]. */
  children: string[];
}
export interface FamilySearchResponse {
  hits: FamilyHit[];
  /** Server time spent, in milliseconds (shown discreetly; the bench checks it). */
  tookMs: number;
}

export interface StaffChildView {
  id: number;
  firstName: string;
  lastName: string;
  birthDate: string;
  schoolId: number | null;
  schoolName: string | null;
  className: string;
  diet: Diet;
  allergies: string;
  pai: boolean;
  paiNote: string;
  active: boolean;
}

export interface PortalAccountView {
  id: number;
  username: string;
  email: string | null;
  contactId: number | null;
  contactName: string | null;
  active: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface FamilyDetail {
  id: number;
  code: string;
  name: string;
  quotientFamilial: number | null;
  staffNote: string;
  active: boolean;
  contacts: ContactCard[];
  children: StaffChildView[];
  /** Children archived (left the school at the rentrée): kept for the accounts, not bookable. */
  archivedChildren: StaffChildView[];
  balances: WalletBalanceView[];
  portalAccounts: PortalAccountView[];
  pendingChanges: number;
  pendingDocuments: number;
  unreadMessages: number;
}

/**
 * The numeric fields of the console, one rule each: the client parses what is typed with it
 * (api/numbers.ts) and the server checks the request with the same rule.
 */
export const NUMBER_RULES = {
  quotientFamilial: { label: 'Quotient familial', min: 0, max: 100_000, optional: true },
  qfMin: { label: 'QF minimum', min: 0, max: 100_000 },
  qfMax: { label: 'QF maximum', min: 0, max: 100_000, optional: true },
  priceCents: { label: 'Prix', min: 0, max: 100_000 },
  lateSurchargeCents: { label: 'Majoration présent non inscrit', min: 0, max: 100_000 },
  capacity: { label: 'Capacité', min: 1, max: 10_000, optional: true },
  bookDaysBefore: { label: 'Réserver jusqu’à J-', min: 0, max: 30 },
  cancelDaysBefore: { label: 'Annuler jusqu’à J-', min: 0, max: 30 },
  tickets: { label: 'Nombre de tickets', min: 1, max: 500 },
  saleAmountCents: { label: 'Montant', min: 1, max: 999_999 },
  adjustmentCents: { label: 'Montant', min: -100_000_000, max: 100_000_000 },
  position: { label: 'Position', min: 0, max: 1000 },
  cafMinutesPerDay: { label: 'Durée comptée pour la CAF (minutes par jour)', min: 0, max: 1440 },
} as const;

export const familyCreateSchema = z.object({
  name: text('Nom de la famille', 120, true),
  quotientFamilial: optionalIntegerInput(NUMBER_RULES.quotientFamilial).optional(),
  /** The agent checked that the families already bearing this name are other households. */
  confirmHomonym: z.boolean({ error: 'Confirmation : oui ou non attendu.' }).optional(),
});
export type FamilyCreateInput = z.infer<typeof familyCreateSchema>;

export const familyUpdateSchema = z.object({
  name: text('Nom de la famille', 120, true).optional(),
  quotientFamilial: optionalIntegerInput(NUMBER_RULES.quotientFamilial).optional(),
  staffNote: text('Note du secrétariat', 2000).optional(),
  active: bool('Dossier actif').optional(),
});
export type FamilyUpdateInput = z.infer<typeof familyUpdateSchema>;

/** The secretariat edits a child's school file: school, class, diet, allergies, PAI. */
export const staffChildSchema = z.object({
  firstName: text('Prénom', 80, true),
  lastName: text('Nom', 80, true),
  birthDate: dateSchema,
  schoolId: idSchema.nullable(),
  className: text('Classe', 40),
  diet: z.enum(DIETS, { error: 'Régime alimentaire invalide.' }),
  allergies: text('Allergies', 500),
  pai: bool('PAI'),
  paiNote: text('Précisions du PAI', 500),
});
export type StaffChildInput = z.infer<typeof staffChildSchema>;

export const familyPlanningQuery = z.object({ week: dateSchema.optional(), childId: idSchema.optional() });

/** The parents' batch of cells, plus the staff's "dérogation". */
export const staffBookingChangesSchema = bookingChangesSchema.extend({
  /** "Dérogation": book or cancel past the deadlines (audited as booking.override). */
  override: z.boolean({ error: 'Dérogation : oui ou non attendu.' }).default(false),
  /** Required with the override (core/bookings.ts checks it): why the deadline is set aside. */
  overrideReason: text('Motif de la dérogation', 200).optional(),
});
export type StaffBookingChangesInput = z.input<typeof staffBookingChangesSchema>;
export type StaffBookingResult = BookingResultResponse;

export const ledgerQuery = ledgerQuerySchema;

/** The parents' ledger line plus what the régie needs: receipt, reversals, reason, agent. */
export interface StaffLedgerLine extends LedgerLine {
  receiptId: number | null;
  reversesEntryId: number | null;
  reversedByEntryId: number | null;
  reason: string | null;
  staffName: string | null;
}
export interface LedgerResponse {
  balances: WalletBalanceView[];
  entries: StaffLedgerLine[];
}

export const adjustmentSchema = z.object({
  walletId: idSchema,
  amountCents: centsSchema.refine((v) => v !== 0, { error: 'Le montant ne peut pas être nul.' }),
  reason: text('Motif', 200, true).refine((v) => v.length >= 3, { error: 'Indiquez le motif (au moins 3 caractères).' }),
});
export type AdjustmentInput = z.infer<typeof adjustmentSchema>;
/** A wallet entry written by the desk (adjustment or reversal) and the wallet's balance after it. */
export interface WalletEntryResult {
  entryId: number;
  balanceCents: number;
}

export const reverseEntrySchema = z.object({
  reason: text('Motif', 200, true).refine((v) => v.length >= 3, { error: 'Indiquez le motif (au moins 3 caractères).' }),
});

// Portal access
export const portalAccountCreateSchema = z.object({
  contactId: idSchema,
  username: z
    .string({ error: 'Identifiant : texte attendu.' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,59}$/, { error: 'Identifiant invalide : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type PortalAccountCreateInput = z.input<typeof portalAccountCreateSchema>;

/** Answer of a login creation or password reset: shown once, printed on the welcome letter. */
export interface PortalCredentials {
  parentAccountId: number;
  username: string;
  temporaryPassword: string;
}

export const welcomeLetterSchema = z.object({
  temporaryPassword: z.string({ error: 'Mot de passe provisoire attendu.' }).min(4, { error: 'Mot de passe provisoire attendu.' }).max(100, { error: 'Mot de passe provisoire invalide.' }),
});

// Parents' changes to family files
export interface FamilyChangeView {
  id: number;
  at: string;
  familyId: number;
  familyName: string;
  action: string;
  entity: string;
  entityId: string | null;
  note: string | null;
  before: unknown;
  after: unknown;
  authorName: string;
  needsReview: boolean;
  reviewedAt: string | null;
}
export const changesQuery = z.object({ all: queryBool.optional(), familyId: idSchema.optional() });
export const changesSeenSchema = z.object({
  ids: z.array(idSchema, { error: 'Liste de modifications attendue.' }).min(1, { error: 'Aucune modification choisie.' }).max(500, { error: 'Trop de modifications en une fois.' }),
});

// Documents
export const documentsQuery = z.object({
  status: z.enum(['pending', 'accepted', 'refused', 'all'], { error: 'Statut invalide.' }).optional(),
  familyId: idSchema.optional(),
});
export interface StaffDocumentView extends DocumentSummary {
  familyId: number;
  familyName: string | null;
  reviewerName: string | null;
}
export const documentReviewSchema = z
  .object({
    status: z.enum(['accepted', 'refused'], { error: 'Décision invalide : accepter ou refuser.' }),
    comment: text('Commentaire', 500).optional(),
  })
  .refine((v) => v.status === 'accepted' || (v.comment ?? '').length >= 3, {
    error: 'Indiquez à la famille pourquoi le document est refusé.',
    path: ['comment'],
  });
export type DocumentReviewInput = z.infer<typeof documentReviewSchema>;

// Messages
export const inboxQuery = z.object({
  status: z.enum(['open', 'closed', 'all'], { error: 'Statut invalide.' }).optional(),
  familyId: idSchema.optional(),
});
export interface StaffThreadSummary extends ThreadSummary {
  familyId: number;
  familyName: string | null;
}
export interface InboxResponse {
  threads: StaffThreadSummary[];
  unread: number;
}
export interface StaffThreadDetail extends StaffThreadSummary {
  messages: MessageView[];
}
export const staffReplySchema = z.object({ body: text('Message', 5000, true) });
export const threadStatusSchema = z.object({ status: z.enum(['open', 'closed'], { error: 'Statut invalide.' }) });

// ---------------------------------------------------------------------------------------------
// Counter: sales, receipts, cash journal (./staff-counter.ts)

export * from './staff-counter.js';

// ---------------------------------------------------------------------------------------------
// Activities, tariffs, calendar (admin edits; every staff member reads)

export interface TariffView {
  id: number;
  qfMin: number;
  qfMax: number | null;
  priceCents: number;
  label: string;
}
export interface ActivityAdminView {
  id: number;
  code: string;
  name: string;
  periodLabel: string;
  walletId: number;
  weekdays: number[];
  startTime: string | null;
  endTime: string | null;
  capacity: number | null;
  bookDaysBefore: number;
  bookUntilTime: string;
  cancelDaysBefore: number;
  cancelUntilTime: string;
  lateSurchargeCents: number;
  meal: boolean;
  active: boolean;
  position: number;
  /** Minutes a day pointed present counts for in the CAF's figures (0 to 1440). */
  cafMinutesPerDay: number;
  tariffs: TariffView[];
}

export const tariffInputSchema = z.object({
  qfMin: integerInput(NUMBER_RULES.qfMin),
  qfMax: optionalIntegerInput(NUMBER_RULES.qfMax),
  priceCents: centsInput(NUMBER_RULES.priceCents),
  label: text('Libellé de la tranche', 60),
});
export type TariffInput = z.infer<typeof tariffInputSchema>;

export const activityInputSchema = z.object({
  name: text('Nom', 120, true),
  periodLabel: text('Période', 60, true),
  walletId: idSchema,
  weekdays: weekdaysSchema.min(1, { error: 'Choisissez au moins un jour.' }),
  startTime: timeSchema.nullable(),
  endTime: timeSchema.nullable(),
  capacity: optionalIntegerInput(NUMBER_RULES.capacity),
  bookDaysBefore: integerInput(NUMBER_RULES.bookDaysBefore),
  bookUntilTime: timeSchema,
  cancelDaysBefore: integerInput(NUMBER_RULES.cancelDaysBefore),
  cancelUntilTime: timeSchema,
  lateSurchargeCents: centsInput(NUMBER_RULES.lateSurchargeCents),
  meal: bool('Repas'),
  active: bool('Active'),
  /** Absent: kept as it is (a new activity gets the default of its kind, core/caf.ts). */
  cafMinutesPerDay: integerInput(NUMBER_RULES.cafMinutesPerDay).optional(),
  tariffs: z.array(tariffInputSchema, { error: 'Tarifs attendus.' }).min(1, { error: 'Indiquez au moins un tarif.' }).max(20, { error: 'Au plus 20 tranches.' }),
});
export type ActivityInput = z.infer<typeof activityInputSchema>;
export const activityCreateSchema = activityInputSchema.extend({
  code: z.string({ error: 'Code attendu.' }).trim().regex(/^[A-Za-z0-9_]{2,30}$/, { error: 'Code invalide : 2 à 30 lettres, chiffres ou _.' }),
});
export type ActivityCreateInput = z.infer<typeof activityCreateSchema>;

export const calendarQuery = z.object({
  from: dateSchema,
  to: dateSchema,
});
export const CLOSURE_KINDS = ['vacances', 'mairie', 'fermeture'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];
export const CLOSURE_KIND_LABELS: Record<ClosureKind | 'ferie', string> = {
  ferie: 'Jour férié',
  vacances: 'Vacances scolaires',
  mairie: 'Fermeture de la mairie',
  fermeture: 'Fermeture d’une activité',
};
export interface ClosureView {
  id: number;
  kind: ClosureKind;
  label: string;
  dateFrom: string;
  dateTo: string;
  activityId: number | null;
  schoolId: number | null;
}
export interface CalendarResponse {
  from: string;
  to: string;
  publicHolidays: Array<{ date: string; label: string }>;
  closures: ClosureView[];
}
export const closureInputSchema = z
  .object({
    kind: z.enum(CLOSURE_KINDS, { error: 'Type de fermeture invalide.' }),
    label: text('Libellé', 120, true),
    dateFrom: dateSchema,
    dateTo: dateSchema,
    activityId: idSchema.nullable(),
    schoolId: idSchema.nullable(),
  })
  .refine((v) => v.dateTo >= v.dateFrom, { error: 'La date de fin doit suivre la date de début.', path: ['dateTo'] });
export type ClosureInput = z.infer<typeof closureInputSchema>;

/** What adding (or changing) a closure will do to the bookings it covers; the apply does exactly this. */
export interface ClosureImpactView {
  bookings: number;
  refundCents: number;
  families: number;
  /** Families with at least one e-mail address: they are told by mail. */
  familiesNotified: number;
  /** Booked days already pointed: they stay charged. */
  pointedKept: number;
  /** "37 réservations seront annulées et remboursées (118,40 €), 29 familles prévenues par e-mail." */
  summary: string;
}
export interface ClosureSavedView extends ClosureView {
  impact: ClosureImpactView;
}

// ---------------------------------------------------------------------------------------------
// Pointage, meal lists, exports (restauration too)

export const attendanceQuery = z.object({
  activityId: idSchema,
  date: dateSchema,
  schoolId: idSchema.optional(),
  all: queryBool.optional(),
});
export interface AttendanceLineView {
  childId: number;
  firstName: string;
  lastName: string;
  familyId: number;
  schoolId: number | null;
  className: string;
  booked: boolean;
  /** null until pointed. */
  present: boolean | null;
  justified: boolean;
}
export interface AttendanceSheetResponse {
  activityId: number;
  date: string;
  lines: AttendanceLineView[];
}
export const attendanceRecordSchema = z.object({
  activityId: idSchema,
  date: dateSchema,
  marks: z
    .array(z.object({ childId: idSchema, present: bool('Présent'), justified: bool('Justifié').optional() }), { error: 'Pointages attendus.' })
    .min(1, { error: 'Aucun pointage à enregistrer.' })
    .max(20_000, { error: 'Trop de pointages en une fois.' }),
});
export type AttendanceRecordInput = z.infer<typeof attendanceRecordSchema>;
export interface AttendanceRecordResponse {
  /** Marks that changed the attendance table. */
  changed: number;
  /** Ledger entries appended (0 when re-recording the same marks). */
  ledgerEntries: number;
}

export const mealsQuery = z.object({ date: dateSchema, schoolId: idSchema.optional() });
export interface MealChildView {
  childId: number;
  firstName: string;
  lastName: string;
  className: string;
  diet: string;
  allergies: string;
  pai: boolean;
  paiNote: string;
  /** Meal activities booked that day (usually one: "Cantine"). */
  activities: string[];
}
export interface MealTotalsView {
  total: number;
  byDiet: Record<string, number>;
  allergies: number;
  pai: number;
}
export interface MealClassView {
  className: string;
  children: MealChildView[];
  totals: MealTotalsView;
}
export interface MealSchoolView {
  schoolId: number | null;
  schoolName: string;
  classes: MealClassView[];
  totals: MealTotalsView;
}
export interface MealListResponse {
  date: string;
  schools: MealSchoolView[];
  totals: MealTotalsView;
}

export const attendanceExportQuery = z
  .object({
    activityId: idSchema,
    from: dateSchema,
    to: dateSchema,
    schoolId: idSchema.optional(),
    className: z.string().trim().max(40, { error: 'Classe invalide.' }).optional(),
    source: z.enum(['reservations', 'presences'], { error: 'Source invalide : réservations ou présences.' }).default('reservations'),
  })
  .refine((v) => v.to >= v.from, { error: 'La fin de la période précède son début.', path: ['to'] });
export const mealCountsExportQuery = z
  .object({ from: dateSchema, to: dateSchema })
  .refine((v) => v.to >= v.from, { error: 'La fin de la période précède son début.', path: ['to'] });

// ---------------------------------------------------------------------------------------------
// Information pages

export interface StaffInfoPage {
  slug: string;
  title: string;
  body: string;
  position: number;
  published: boolean;
  updatedAt: string;
}
export const infoPageSchema = z.object({
  title: text('Titre', 150, true),
  body: text('Texte', 20000, true),
  position: z.number({ error: 'Position invalide.' }).int({ error: 'Position invalide.' }).min(0, { error: 'Position invalide.' }).max(1000, { error: 'Position invalide.' }).default(0),
  published: z.boolean({ error: 'Publiée : oui ou non attendu.' }).default(true),
});
export const slugParams = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'Adresse de la page invalide : lettres minuscules, chiffres et tirets.' }).max(80, { error: 'Adresse de la page trop longue.' }),
});

// ---------------------------------------------------------------------------------------------
// Journal (audit log)

export const auditQuery = z.object({
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  action: z.string().trim().max(60, { error: 'Action invalide.' }).optional(),
  familyId: idSchema.optional(),
  staffUserId: idSchema.optional(),
  actorKind: z.enum(['staff', 'parent', 'system'], { error: 'Auteur invalide.' }).optional(),
  limit: z.coerce.number({ error: 'Nombre de lignes invalide.' }).int().min(1, { error: 'Nombre de lignes invalide.' }).max(500, { error: 'Au plus 500 lignes.' }).optional(),
  offset: z.coerce.number({ error: 'Décalage invalide.' }).int().min(0, { error: 'Décalage invalide.' }).max(1_000_000).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
export interface AuditRowView {
  id: number;
  at: string;
  actorKind: 'staff' | 'parent' | 'system';
  actorName: string;
  staffUserId: number | null;
  action: string;
  actionLabel: string;
  entity: string;
  entityId: string | null;
  familyId: number | null;
  familyName: string | null;
  before: unknown;
  after: unknown;
  /** before → after as French sentences ("Quotient familial : 850 → 1 250"). */
  changes: string[];
  note: string | null;
  needsReview: boolean;
}
export interface AuditResponse {
  rows: AuditRowView[];
  /** Distinct actions present in the log, for the filter. */
  actions: Array<{ action: string; label: string }>;
  staff: Array<{ id: number; name: string }>;
  hasMore: boolean;
}

// ---------------------------------------------------------------------------------------------
// Staff accounts (admin)

export interface StaffUserView {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  email: string | null;
  active: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}
export const staffUserCreateSchema = z.object({
  username: z
    .string({ error: 'Identifiant : texte attendu.' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,59}$/, { error: 'Identifiant invalide : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.' }),
  displayName: text('Nom affiché', 120, true).refine((v) => v.length >= 2, { error: 'Nom affiché : 2 caractères au moins.' }),
  role: z.enum(STAFF_ROLES, { error: 'Rôle inconnu : choisissez administrateur, secrétariat ou restauration.' }),
  email: z.union([z.literal(''), z.email({ error: 'Adresse e-mail invalide.' }).max(200)]).optional(),
});
export const staffUserUpdateSchema = z.object({
  displayName: text('Nom affiché', 120, true).optional(),
  role: z.enum(STAFF_ROLES, { error: 'Rôle inconnu : choisissez administrateur, secrétariat ou restauration.' }).optional(),
  email: z.union([z.literal(''), z.email({ error: 'Adresse e-mail invalide.' }).max(200)]).nullable().optional(),
  active: z.boolean({ error: 'Actif : oui ou non attendu.' }).optional(),
});
export interface StaffCredentials {
  user?: StaffUserView;
  username: string;
  temporaryPassword: string;
}

// ---------------------------------------------------------------------------------------------
// Added for the console: a message started by the secretariat, a portal login turned off or on,
// the "semaine type" applied from the family's planning.

export const staffNewThreadSchema = z.object({
  familyId: idSchema,
  subject: text('Objet', 150, true),
  body: text('Message', 5000, true),
});
export type StaffNewThreadInput = z.infer<typeof staffNewThreadSchema>;

export const portalAccountActiveSchema = z.object({
  active: z.boolean({ error: 'État de l’accès invalide : actif ou désactivé.' }),
});
export type PortalAccountActiveInput = z.infer<typeof portalAccountActiveSchema>;

/** The parents' "semaine type" (api/parent.ts), for one child of the family, applied by an agent. */
export { templateWeekSchema as staffTemplateWeekSchema, type TemplateWeekInput as StaffTemplateWeekInput } from './parent.js';
