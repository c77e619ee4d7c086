/**
 * The columns eTicket understands in an import file: one row per child, the family's columns
 * repeated on each of its children's rows. Keys are stable (they are stored in remembered
 * mappings); labels are the template's French headers.
 */

export type ContactSlot = 'r1' | 'r2';

export const CONTACT_PARTS = [
  ['relationship', 'lien'],
  ['lastName', 'nom'],
  ['firstName', 'prénom'],
  ['address1', 'adresse 1'],
  ['address2', 'adresse 2'],
  ['address3', 'adresse 3'],
  ['postalCode', 'code postal'],
  ['city', 'ville'],
  ['phone', 'téléphone'],
  ['mobile', 'portable'],
  ['workPhone', 'téléphone travail'],
  ['workMobile', 'portable travail'],
  ['email', 'mél'],
  ['useForBilling', 'utiliser pour la facturation'],
  ['emergencyContact', 'contact en cas d’urgence'],
  ['authorizedPickup', 'autorisé à venir chercher l’enfant'],
] as const;
export type ContactPart = (typeof CONTACT_PARTS)[number][0];
export const CONTACT_FLAGS: readonly ContactPart[] = ['useForBilling', 'emergencyContact', 'authorizedPickup'];

export const FAMILY_FIELDS = [
  ['familyRef', 'Référence famille'],
  ['familyName', 'Nom de famille'],
  ['qf', 'QF'],
] as const;

export const CHILD_FIELDS = [
  ['childRef', 'Référence enfant'],
  ['childFirstName', 'Prénom enfant'],
  ['childLastName', 'Nom enfant'],
  ['birthDate', 'Date de naissance'],
  ['school', 'École'],
  ['className', 'Classe'],
  ['diet', 'Régime'],
  ['allergies', 'Allergies'],
  ['pai', 'PAI'],
] as const;

export const LOGIN_FIELDS = [
  ['portalUsername', 'Identifiant portail'],
  ['portalEmail', 'Mél portail'],
] as const;

export interface WalletColumn {
  id: number;
  code: string;
  label: string;
}

export interface FieldDef {
  key: string;
  label: string;
}

const slotLabel = (slot: ContactSlot) => (slot === 'r1' ? 'Responsable 1' : 'Responsable 2');

/** Every column of the template, in its order; the wallets present in the database give the balances. */
export function importFields(wallets: readonly WalletColumn[]): FieldDef[] {
  const out: FieldDef[] = FAMILY_FIELDS.map(([key, label]) => ({ key, label }));
  for (const slot of ['r1', 'r2'] as const) {
    for (const [part, words] of CONTACT_PARTS) out.push({ key: `${slot}.${part}`, label: `${slotLabel(slot)} ${words}` });
  }
  for (const [key, label] of CHILD_FIELDS) out.push({ key, label });
  for (const w of wallets) out.push({ key: `balance:${w.code}`, label: `Solde ${w.label}` });
  for (const [key, label] of LOGIN_FIELDS) out.push({ key, label });
  return out;
}

export const IGNORE = '';
