/**
 * Field rules and labels of the contract that the browser clients need as values. This module
 * imports no zod at run time (types only), so the portal's bundle stays small; api/parent.ts re-exports it.
 */


/** "06 07 89 70 15", "06.07.89.70.15", "+33 6 07 89 70 15" are French numbers; "+44 20 …" foreign ones. */
export function normalisePhone(input: string): string | null {
  const raw = input.trim();
  if (raw === '') return '';
  if (!/^[+\d][\d\s.\-/()]*$/.test(raw)) return null;
  let digits = raw.replace(/\D+/g, '');
  const international = raw.startsWith('+') || digits.startsWith('00');
  if (digits.startsWith('0033')) digits = '0' + digits.slice(4);
  else if (raw.startsWith('+33')) digits = '0' + digits.slice(2).replace(/^0/, ''); // "+33 (0)6 …"
  else if (international) {
    const d = digits.startsWith('00') ? digits.slice(2) : digits;
    if (d.length < 8 || d.length > 15 || d.startsWith('0')) return null;
    return `+${d}`;
  }
  if (!/^0[1-9]\d{8}$/.test(digits)) return null;
  return digits.replace(/(\d{2})(?=\d)/g, '$1 ');
}

export function isValidEmail(input: string): boolean {
  return input.length <= 200 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(input);
}

export function isValidPostalCode(input: string): boolean {
  return /^\d{5}$/.test(input) && input !== '00000';
}

export const RELATIONSHIPS = ['MERE', 'PERE', 'TUTEUR', 'NOUNOU', 'AUTRE'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export const RELATIONSHIP_LABELS: Record<Relationship, string> = {
  MERE: 'Mère',
  PERE: 'Père',
  TUTEUR: 'Tuteur ou tutrice',
  NOUNOU: 'Nounou, assistante maternelle',
  AUTRE: 'Autre personne',
};

export const DIETS = ['standard', 'sans_porc', 'vegetarien', 'sans_gluten'] as const;
export type Diet = (typeof DIETS)[number];
export const DIET_LABELS: Record<Diet, string> = {
  standard: 'Repas standard',
  sans_porc: 'Sans porc',
  vegetarien: 'Végétarien',
  sans_gluten: 'Sans gluten',
};

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const TOO_LARGE_MESSAGE = 'Le fichier est trop volumineux : 5 Mo au maximum. Réduisez-le (photo moins grande, PDF compressé) et réessayez.';

export type DocumentStatus = 'pending' | 'accepted' | 'refused';
export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  pending: 'En attente',
  accepted: 'Accepté',
  refused: 'Refusé',
};

export const PASSWORD_MIN_LENGTH = 10;

export const STAFF_ROLES = ['admin', 'secretariat', 'restauration'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  admin: 'Administrateur',
  secretariat: 'Secrétariat',
  restauration: 'Restauration',
};

/** How a counter sale is paid (the régie's three means). */
export const PAYMENT_METHODS = ['especes', 'cheque', 'carte'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  especes: 'Espèces',
  cheque: 'Chèque',
  carte: 'Carte bancaire',
};

/** Formats cents for display ("12,50 €"): one formatter for the clients and the server (api/format.ts). */
export { formatEuros } from './format.js';
