import { z } from 'zod';
import { dateSchema, idSchema, ledgerQuerySchema, monthSchema, textField as text, weekdaysSchema, type DocumentSummary } from './common.js';
import { onlyPayableSchema, type BatchDoneSummary } from './batches.js';
import type { LowBalanceFields, WeekGlance } from './glance.js';
import { DIETS, isValidEmail, isValidPostalCode, normalisePhone, RELATIONSHIPS, type Diet } from './rules.js';

export * from './rules.js';
export * from './batches.js';
export * from './glance.js';
export { ledgerQuerySchema };

/**
 * The contract of /api/parent: zod schemas for what parents send, and the types of what the
 * server answers. The server checks that its core results fit these types at compile time.
 */

// ---------------------------------------------------------------------------------------------
// Field rules shared by the portal (checked as the parent types) and the server

export const PHONE_MESSAGE = 'numéro de téléphone invalide (exemple : 06 07 89 70 15).';

const phoneField = (label: string) =>
  z
    .string({ error: `${label} : ${PHONE_MESSAGE}` })
    .max(30, { error: `${label} : ${PHONE_MESSAGE}` })
    .refine((v) => normalisePhone(v) !== null, { error: `${label} : ${PHONE_MESSAGE}` });

/** One "fiche de renseignement" as the parent edits it (the guide's fields). */
export const contactInputSchema = z.object({
  relationship: z.enum(RELATIONSHIPS, { error: 'Lien avec l’enfant invalide.' }),
  lastName: text('Nom', 80, true),
  firstName: text('Prénom', 80, true),
  address1: text('Adresse ligne 1', 120),
  address2: text('Adresse ligne 2', 120),
  address3: text('Adresse ligne 3', 120),
  postalCode: z
    .string({ error: 'Code postal : 5 chiffres attendus.' })
    .trim()
    .refine((v) => v === '' || isValidPostalCode(v), { error: 'Code postal : 5 chiffres attendus (exemple : 33220).' }),
  city: text('Ville', 80),
  phone: phoneField('Tél.'),
  mobile: phoneField('TÉL (mob)'),
  workPhone: phoneField('Tél travail'),
  workMobile: phoneField('Tél travail (mob)'),
  email: z
    .string({ error: 'Mél : adresse invalide.' })
    .trim()
    .refine((v) => v === '' || isValidEmail(v), { error: 'Mél : adresse e-mail invalide (exemple : prenom.nom@exemple.fr).' }),
  note: text('Note pratique', 1000),
  useForBilling: z.boolean({ error: 'Case « Utiliser cette adresse pour la facturation » invalide.' }),
  emergencyContact: z.boolean({ error: 'Case « Utiliser ces coordonnées en cas d’urgence » invalide.' }),
  authorizedPickup: z.boolean({ error: 'Case « Est autorisé à récupérer l’enfant » invalide.' }),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export interface ContactCard extends ContactInput {
  id: number;
}

export const childHealthSchema = z.object({
  diet: z.enum(DIETS, { error: 'Régime alimentaire invalide.' }),
  allergies: text('Allergies', 500),
});
export type ChildHealthInput = z.infer<typeof childHealthSchema>;

export interface ChildView {
  id: number;
  firstName: string;
  lastName: string;
  birthDate: string;
  schoolName: string | null;
  className: string;
  diet: Diet;
  allergies: string;
  pai: boolean;
}

export interface FamilyDossier {
  familyId: number;
  familyName: string;
  familyCode: string;
  contacts: ContactCard[];
  children: ChildView[];
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * - open: booking open, child not booked
 * - booked: booking open, child booked (may still cancel)
 * - locked: child not booked, booking no longer allowed (deadline passed, or full)
 * - booked_locked: child booked, cancelling no longer allowed
 * - closed: the activity does not run (holiday, closed day, weekday not served)
 */
export type CellState = 'open' | 'booked' | 'locked' | 'booked_locked' | 'closed';
export type BookingAction = 'book' | 'cancel';

export const planningQuerySchema = z.object({ week: dateSchema.optional() });

const actionSchema = z.enum(['book', 'cancel'], { error: 'Action invalide : réserver ou annuler.' });

export const bookingChangesSchema = z.object({
  changes: z
    .array(
      z.object({
        childId: idSchema,
        activityId: idSchema,
        date: dateSchema,
        action: actionSchema,
      }),
      { error: 'Liste de cases attendue.' },
    )
    .min(1, { error: 'Aucune case à modifier.' })
    .max(500, { error: 'Trop de cases en une fois.' }),
});
export type BookingChangesInput = z.infer<typeof bookingChangesSchema>;

export const bookWeekSchema = z.object({ childId: idSchema, activityId: idSchema, weekStart: dateSchema, action: actionSchema });
export const bookDaySchema = z.object({ childId: idSchema, date: dateSchema, action: actionSchema });

export const templateWeekSchema = z
  .object({
    childId: idSchema,
    from: dateSchema,
    to: dateSchema,
    pattern: z
      .array(z.object({ activityId: idSchema, weekdays: weekdaysSchema }), { error: 'Semaine type attendue.' })
      .min(1, { error: 'La semaine type est vide.' })
      .max(20, { error: 'Trop d’activités dans la semaine type.' }),
  })
  .refine((v) => v.to >= v.from, { error: 'La date de fin doit suivre la date de début.', path: ['to'] });
export type TemplateWeekInput = z.infer<typeof templateWeekSchema>;

export const subscriptionInputSchema = z
  .object({
    childId: idSchema,
    activityId: idSchema,
    weekdays: weekdaysSchema.min(1, { error: 'Choisissez au moins un jour.' }),
    from: dateSchema,
    to: dateSchema,
  })
  .refine((v) => v.to >= v.from, { error: 'La date de fin doit suivre la date de début.', path: ['to'] });
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const subscriptionsQuerySchema = z.object({ childId: idSchema.optional() });

/** Ends a subscription: from `from` on (default today) its bookings are cancelled where still allowed. */
export const endSubscriptionSchema = z.object({ from: dateSchema.optional() });

/** The batch routes' bodies: the batch and the choice "réserver ce qui peut être payé". */
export const bookingChangesBody = bookingChangesSchema.safeExtend(onlyPayableSchema.shape);
export const bookWeekBody = bookWeekSchema.safeExtend(onlyPayableSchema.shape);
export const bookDayBody = bookDaySchema.safeExtend(onlyPayableSchema.shape);
export const templateWeekBody = templateWeekSchema.safeExtend(onlyPayableSchema.shape);
export const subscriptionBody = subscriptionInputSchema.safeExtend(onlyPayableSchema.shape);

/** POST /api/parent/planning/preview: the kind of batch, and the body its own route takes. */
export const batchPreviewSchema = z.discriminatedUnion(
  'kind',
  [
    bookingChangesSchema.safeExtend({ kind: z.literal('changes') }),
    bookWeekSchema.safeExtend({ kind: z.literal('week') }),
    bookDaySchema.safeExtend({ kind: z.literal('day') }),
    templateWeekSchema.safeExtend({ kind: z.literal('template') }),
    subscriptionInputSchema.safeExtend({ kind: z.literal('subscription') }),
  ],
  { error: 'Type de lot inconnu.' },
);

export interface WalletBalanceView extends LowBalanceFields {
  walletId: number;
  code: string;
  label: string;
  balanceCents: number;
  overdraftLimitCents: number;
}

export interface GridCell {
  date: string;
  state: CellState;
  reason?: string;
  /** ISO instants (UTC) of the deadlines, absent on closed days. */
  bookDeadline?: string;
  cancelDeadline?: string;
}

export interface GridRow {
  activityId: number;
  activityCode: string;
  activityName: string;
  walletId: number;
  /** The family's price for one day; null when the activity has no tariff. */
  priceCents: number | null;
  cells: GridCell[];
}

export interface GridPeriod {
  label: string;
  rows: GridRow[];
}

export interface GridChild {
  childId: number;
  firstName: string;
  lastName: string;
  schoolId: number | null;
  className: string;
  periods: GridPeriod[];
}

/** The guide's "Mon Planning" week grid, computed on the server: the clients only draw it. */
export interface WeekGridResponse {
  weekStart: string;
  weekEnd: string;
  previousWeek: string;
  nextWeek: string;
  /** `served`: some activity runs on this weekday (the phone shows a card only for those days). */
  days: Array<{ date: string; weekdayLabel: string; label: string; served?: boolean }>;
  children: GridChild[];
  balances: WalletBalanceView[];
  /** The week's totals per wallet, banners, next deadlines, the horizon (api/glance.ts). */
  glance: WeekGlance;
}

/** GET /api/parent/planning/glance: the summary above the grid, refreshed after a tap without the grid. */
export type WeekGlanceResponse = Pick<WeekGridResponse, 'weekStart' | 'balances' | 'glance'>;

export interface CellOutcome {
  childId: number;
  activityId: number;
  date: string;
  action: BookingAction;
  outcome: 'done' | 'unchanged' | 'refused';
  /** The cell's state after the batch. */
  state: CellState;
  /** French reason when refused or skipped. */
  message?: string;
}

export interface BookingResultResponse {
  results: CellOutcome[];
  balances: WalletBalanceView[];
  /** What the batch did, in its preview's words (api/batches.ts). */
  summary?: BatchDoneSummary;
  /** French, when the batch stopped short, e.g. at the booking horizon. */
  notice?: string;
}

/** Details of the 409 INSUFFICIENT_BALANCE error. */
export interface InsufficientBalanceDetails {
  missingCents: number;
  walletId: number;
  walletLabel: string;
  balanceCents: number;
  requiredCents: number;
}

export interface SubscriptionView {
  id: number;
  childId: number;
  childFirstName: string;
  activityId: number;
  activityName: string;
  weekdays: number[];
  from: string;
  to: string;
  createdAt: string;
  endedAt: string | null;
  /** Not ended and not past its last day. */
  active: boolean;
}

export interface SubscriptionChangeResponse {
  subscription: SubscriptionView;
  batch: BookingResultResponse;
}

// ---------------------------------------------------------------------------------------------
// Wallets, ledger, invoices

export interface LedgerLine {
  id: number;
  walletId: number;
  walletLabel: string;
  amountCents: number;
  kind: string;
  label: string;
  childFirstName: string | null;
  activityName: string | null;
  serviceDate: string | null;
  createdAt: string;
}

export interface WalletsResponse {
  balances: WalletBalanceView[];
  history: LedgerLine[];
}

export interface InvoiceView {
  id: number;
  number: string;
  kind: 'topup' | 'counter' | 'statement';
  issuedOn: string;
  periodFrom: string | null;
  periodTo: string | null;
  totalCents: number;
  status: 'paid' | 'issued' | 'cancelled';
}

export interface InvoicesResponse {
  invoices: InvoiceView[];
  /** 'YYYY-MM' months with a statement, newest first. */
  statementMonths: string[];
}

export const monthParams = z.object({ month: monthSchema });

// Top-ups ("Créditer mon compte"): the contract is api/payments.ts (topUpRequest, TopUpAnswer, TopUpStatus).

// ---------------------------------------------------------------------------------------------
// Documents

export const documentFieldsSchema = z.object({
  title: text('Intitulé du document', 120, true),
  // multipart fields are text: "" or absent means "no particular child"
  childId: z.preprocess((v) => (v === '' || v == null ? undefined : v), idSchema.optional()),
});

export interface DocumentView extends DocumentSummary {
  childId: number | null;
}

// ---------------------------------------------------------------------------------------------
// Information pages and contacts

export interface InfoPageView {
  slug: string;
  title: string;
  body: string;
  updatedAt: string;
}

export interface MairieContacts {
  name: string;
  service: string;
  email: string;
  phone: string;
  address: string[];
  website: string | null;
}

export interface InfoResponse {
  pages: InfoPageView[];
  contacts: MairieContacts;
}

// ---------------------------------------------------------------------------------------------
// Messages

export const newThreadSchema = z.object({
  subject: text('Objet', 150, true),
  body: text('Message', 5000, true),
});
export type NewThreadInput = z.infer<typeof newThreadSchema>;

export const replySchema = z.object({ body: text('Message', 5000, true) });

export interface MessageView {
  id: number;
  authorKind: 'parent' | 'staff';
  authorName: string;
  body: string;
  createdAt: string;
  /** Read by the other side. */
  readAt: string | null;
}

export interface ThreadSummary {
  id: number;
  subject: string;
  status: 'open' | 'closed';
  createdAt: string;
  lastMessageAt: string;
  messageCount: number;
  /** Messages of the other side not yet read by the viewer. */
  unread: number;
  lastMessagePreview: string;
}

export interface ThreadDetail extends ThreadSummary {
  familyId: number;
  messages: MessageView[];
}

export interface ThreadsResponse {
  threads: ThreadSummary[];
  unread: number;
}
