import { formatEuros } from '../api/rules.js';
import { formatDateFr } from './dates.js';

/**
 * The Journal's "before → after" as French sentences an agent reads ("Quotient familial :
 * 850 → 1 250"), instead of the raw JSON stored in the audit log.
 */

const FIELD_LABELS: Record<string, string> = {
  folder: 'Dossier des sauvegardes',
  passphraseChanged: 'Phrase de passe changée',
  fileName: 'Fichier',
  name: 'Nom',
  code: 'Code',
  quotientFamilial: 'Quotient familial',
  staffNote: 'Note du secrétariat',
  active: 'Actif',
  present: 'Présent',
  justified: 'Absence justifiée',
  booked: 'Réservé',
  netCents: 'Montant du pointage',
  balanceCents: 'Solde',
  amountCents: 'Montant',
  priceCents: 'Prix',
  lateSurchargeCents: 'Majoration',
  status: 'État',
  state: 'Case',
  reason: 'Motif',
  childId: 'Enfant',
  activityId: 'Activité',
  walletId: 'Porte-monnaie',
  date: 'Jour',
  action: 'Action',
  firstName: 'Prénom',
  lastName: 'Nom',
  className: 'Classe',
  schoolId: 'École',
  birthDate: 'Date de naissance',
  diet: 'Régime',
  allergies: 'Allergies',
  pai: 'PAI',
  paiNote: 'Précisions du PAI',
  email: 'Adresse e-mail',
  mobile: 'Portable',
  phone: 'Téléphone',
  username: 'Identifiant',
  displayName: 'Nom affiché',
  role: 'Rôle',
  title: 'Titre',
  capacity: 'Capacité',
  bookDaysBefore: 'Réserver jusqu’à J-',
  cancelDaysBefore: 'Annuler jusqu’à J-',
  number: 'Numéro',
  comment: 'Commentaire',
  relationship: 'Lien avec l’enfant',
  address1: 'Adresse ligne 1',
  address2: 'Adresse ligne 2',
  address3: 'Adresse ligne 3',
  postalCode: 'Code postal',
  city: 'Ville',
  workPhone: 'Tél travail',
  workMobile: 'Tél travail (mob)',
  note: 'Note pratique',
  useForBilling: 'Adresse de facturation',
  emergencyContact: 'Contact en cas d’urgence',
  authorizedPickup: 'Autorisé à récupérer l’enfant',
  // Paramètres (core/settings/*): never a secret, only whether it changed.
  publicUrl: 'Adresse publique du portail',
  lowBalanceThresholdCents: 'Seuil d’alerte par défaut',
  welcomeText: 'Texte d’accueil',
  numcli: 'Numéro client PayFiP',
  saisie: 'Mode PayFiP',
  serviceUrl: 'Adresse du service PayFiP',
  paymentPageUrl: 'Adresse de la page de paiement',
  notificationBaseUrl: 'Adresse de notification',
  host: 'Serveur SMTP',
  port: 'Port',
  tls: 'Chiffrement',
  user: 'Compte',
  hasPassword: 'Mot de passe enregistré',
  passwordChanged: 'Mot de passe modifié',
  fromAddress: 'Adresse d’expédition',
  fromName: 'Nom de l’expéditeur',
  parentIdleMinutes: 'Familles : inactivité (minutes)',
  parentAbsoluteMinutes: 'Familles : durée maximale (minutes)',
  staffIdleMinutes: 'Agents : inactivité (minutes)',
  staffAbsoluteMinutes: 'Agents : durée maximale (minutes)',
  // The rentrée (core/school-calendar.ts, core/school-classes.ts, core/rentree.ts).
  zone: 'Zone',
  academie: 'Académie',
  years: 'Années scolaires',
  changes: 'Changements',
  classes: 'Classes',
  nextSchoolId: 'École élémentaire des GS',
  moved: 'Enfants changés de classe',
  left: 'Enfants partis',
  // Restauration (core/restore/*).
  backupDate: 'Sauvegarde du',
  familles: 'Familles',
  enfants: 'Enfants',
  reservations: 'Réservations',
  recus: 'Reçus',
  factures: 'Factures',
  documents: 'Documents',
  restoredReceipts: 'Derniers reçus restaurés',
  restoredInvoices: 'Dernières factures restaurées',
  skippedReceipts: 'Reçus non utilisés',
  skippedInvoices: 'Factures non utilisées',
  asideDir: 'Anciennes données mises de côté dans',
};

const VALUE_LABELS: Record<string, string> = {
  booked: 'réservé',
  cancelled: 'annulé',
  open: 'ouverte',
  locked: 'réservation close',
  booked_locked: 'réservé, annulation close',
  closed: 'fermée',
  book: 'réserver',
  cancel: 'annuler',
  pending: 'en attente',
  accepted: 'accepté',
  refused: 'refusé',
  paid: 'payé',
  starttls: 'STARTTLS',
  tls: 'TLS',
  none: 'aucun',
};

/** Names for the ids the log stores (children, activities, wallets, schools). */
export interface JournalNames {
  childId?: Map<number, string>;
  activityId?: Map<number, string>;
  walletId?: Map<number, string>;
  schoolId?: Map<number, string>;
}

function formatValue(key: string, value: unknown, names: JournalNames): string {
  if (value === null || value === undefined || value === '') return '(vide)';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') {
    if (/Cents$/.test(key)) return formatEuros(value);
    const named = names[key as keyof JournalNames]?.get(value);
    if (named) return named;
    return new Intl.NumberFormat('fr-FR').format(value).replace(/[\u202f\u00a0]/g, ' ');
  }
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDateFr(value);
    return VALUE_LABELS[value] ?? value;
  }
  if (Array.isArray(value)) return value.map((v) => formatValue(key, v, names)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${FIELD_LABELS[k] ?? k} ${formatValue(k, v, names)}`)
    .join(', ');
}

const isRecord = (v: unknown): v is Record<string, unknown> => v != null && typeof v === 'object' && !Array.isArray(v);

/** One sentence per field: "Label : avant → après", or "Label : valeur" when only one side exists. */
export function describeChange(before: unknown, after: unknown, names: JournalNames = {}): string[] {
  if (Array.isArray(after)) return after.map((item) => formatValue('', item, names));
  if (!isRecord(before) && !isRecord(after)) {
    const text = [before, after].filter((v) => v != null).map((v) => formatValue('', v, names));
    return text.length === 2 ? [`${text[0]} → ${text[1]}`] : text;
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'id');
  return keys.flatMap((k) => {
    const label = FIELD_LABELS[k] ?? k;
    const inBefore = k in b;
    const inAfter = k in a;
    if (inBefore && inAfter) {
      const was = formatValue(k, b[k], names);
      const is = formatValue(k, a[k], names);
      return was === is ? [`${label} : ${is}`] : [`${label} : ${was} → ${is}`];
    }
    return [`${label} : ${formatValue(k, inAfter ? a[k] : b[k], names)}`];
  });
}

/** The ids of children, activities, wallets and schools a row mentions, to name them in one query each. */
export function idsMentioned(values: unknown[]): Record<keyof JournalNames, Set<number>> {
  const out = { childId: new Set<number>(), activityId: new Set<number>(), walletId: new Set<number>(), schoolId: new Set<number>() };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v))
      for (const [k, x] of Object.entries(v)) {
        if (k in out && typeof x === 'number') out[k as keyof JournalNames].add(x);
        else visit(x);
      }
  };
  values.forEach(visit);
  return out;
}
