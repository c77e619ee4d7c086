/**
 * The commune that runs eTicket: who signs every paper, mail and screen. One record in the
 * settings (core/commune.ts); the demo seed writes Port-Sainte-Foy-et-Ponchapt's, a commune's
 * own install writes its own at setup. Nothing else in the code names a commune.
 */
export interface CommuneIdentity {
  /** "Port-Sainte-Foy-et-Ponchapt"; empty until the setup names it. */
  name: string;
  /** "Dordogne" */
  department: string;
  /** The mairie's postal address, one line each. */
  address: string[];
  /** "Service cantine - ramassage scolaire" */
  service: string;
  email: string;
  phone: string;
  website: string;
  /** "Régie des services périscolaires" */
  regie: string;
  /** Who keeps the régie, printed on the régie's papers ("Martine Lafon, régisseuse"). */
  regisseur: string;
}

export const BLANK_COMMUNE: CommuneIdentity = {
  name: '',
  department: '',
  address: [],
  service: 'Service périscolaire',
  email: '',
  phone: '',
  website: '',
  regie: 'Régie des services périscolaires',
  regisseur: '',
};

/** "de Bordeaux", "d’Eysines": French elision before a vowel sound (a mute h is not guessed). */
export function ofPlace(name: string): string {
  return /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name) ? `d’${name}` : `de ${name}`;
}

/** "Commune de X" / "Mairie de X"; just "eTicket" while the commune is not named yet. */
export function communeTitle(c: Pick<CommuneIdentity, 'name'>): string {
  return c.name ? `Commune ${ofPlace(c.name)}` : 'eTicket';
}
export function mairieTitle(c: Pick<CommuneIdentity, 'name'>): string {
  return c.name ? `Mairie ${ofPlace(c.name)}` : 'Mairie';
}

/** The line under the commune's name on papers: "Département de la Dordogne". */
export function communeSubline(c: Pick<CommuneIdentity, 'department' | 'address'>): string {
  const parts = [c.department ? `Département : ${c.department}` : '', c.address.join(', ')].filter(Boolean);
  return parts.join(' — ');
}

/** GET /api/public/commune: what the clients show before anyone signs in (no régisseur). */
export type PublicCommune = Omit<CommuneIdentity, 'regie' | 'regisseur'>;
