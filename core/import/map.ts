import { createHash } from 'node:crypto';
import { normaliseText } from '../family-search.js';
import { CHILD_FIELDS, CONTACT_PARTS, FAMILY_FIELDS, IGNORE, LOGIN_FIELDS, type FieldDef, type WalletColumn } from './fields.js';

/**
 * Which of our columns each column of a foreign file is. Guessed from its French header
 * (accents, case and little words aside: "Nom de l'enfant" = "Nom enfant", "Date naiss." =
 * "Date de naissance"), editable on the mapping screen, and remembered per header set.
 */

const STOP_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'a', 'en', 'cas', 'pour', 'n', 'no', 'num']);

/** "Date naiss." -> "date naiss", "Nom de l'enfant" -> "nom enfant", "Tél. (mob)" -> "tel mob". */
export function headerWords(header: string): string {
  return normaliseText(header)
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w && !STOP_WORDS.has(w))
    .join(' ');
}

const CONTACT_ALIASES: Record<string, string[]> = {
  relationship: ['lien', 'lien enfant', 'lien parente', 'qualite', 'parente', 'relation'],
  lastName: ['nom', 'nom famille', 'nom naissance'],
  firstName: ['prenom'],
  address1: ['adresse 1', 'adresse', 'adresse ligne 1', 'adr 1', 'rue'],
  address2: ['adresse 2', 'adresse ligne 2', 'adr 2', 'complement adresse'],
  address3: ['adresse 3', 'adresse ligne 3', 'adr 3'],
  postalCode: ['code postal', 'cp', 'cod postal'],
  city: ['ville', 'commune', 'localite'],
  phone: ['telephone', 'tel', 'tel domicile', 'telephone domicile', 'tel fixe', 'fixe'],
  mobile: ['portable', 'tel mob', 'tel portable', 'mobile', 'telephone portable', 'telephone mobile', 'gsm'],
  workPhone: ['telephone travail', 'tel travail', 'tel pro', 'telephone professionnel', 'tel professionnel'],
  workMobile: ['portable travail', 'tel travail mob', 'portable pro', 'mobile travail', 'mobile pro', 'portable professionnel'],
  email: ['mel', 'email', 'e mail', 'courriel', 'adresse email', 'adresse mail', 'mail', 'adresse e mail'],
  useForBilling: ['utiliser facturation', 'facturation', 'payeur', 'adresse facturation'],
  emergencyContact: ['contact urgence', 'urgence', 'prevenir urgence'],
  authorizedPickup: ['autorise venir chercher enfant', 'autorise venir chercher', 'autorise chercher', 'recuperation enfant', 'autorise recuperer'],
};

const SIMPLE_ALIASES: Record<string, string[]> = {
  familyRef: ['reference famille', 'ref famille', 'id famille', 'identifiant famille', 'code famille', 'dossier', 'numero dossier', 'code dossier', 'famille id'],
  familyName: ['nom famille', 'famille', 'nom foyer', 'foyer'],
  qf: ['qf', 'quotient familial', 'quotient', 'qf caf'],
  childRef: ['reference enfant', 'ref enfant', 'id enfant', 'identifiant enfant', 'code enfant'],
  childFirstName: ['prenom enfant', 'prenom'],
  childLastName: ['nom enfant', 'nom'],
  birthDate: ['date naissance', 'date naiss', 'ne e le', 'ne le', 'naissance', 'date nais', 'ddn'],
  school: ['ecole', 'etablissement', 'ecole enfant', 'groupe scolaire'],
  className: ['classe', 'niveau', 'classe enfant', 'niveau scolaire'],
  diet: ['regime', 'regime alimentaire', 'regime enfant', 'repas'],
  allergies: ['allergies', 'allergie', 'allergies alimentaires'],
  pai: ['pai', 'projet accueil individualise'],
  portalUsername: ['identifiant portail', 'identifiant', 'login', 'login portail', 'utilisateur', 'compte portail'],
  portalEmail: ['mel portail', 'email portail', 'mail portail', 'courriel portail', 'e mail portail'],
};

const SLOT_PREFIXES: Record<'r1' | 'r2', string[]> = {
  r1: ['responsable 1', 'resp 1', 'r1', 'parent 1', 'contact 1', 'representant 1', 'responsable1', 'resp1', 'parent1'],
  r2: ['responsable 2', 'resp 2', 'r2', 'parent 2', 'contact 2', 'representant 2', 'responsable2', 'resp2', 'parent2'],
};

/** Normalised header -> field key, built once per set of wallets. */
function aliasTable(fields: readonly FieldDef[], wallets: readonly WalletColumn[]): Map<string, string> {
  const table = new Map<string, string>();
  const put = (alias: string, key: string) => {
    const w = headerWords(alias);
    if (w && !table.has(w)) table.set(w, key);
  };
  for (const f of fields) put(f.label, f.key); // the template's own headers first
  for (const [key, aliases] of Object.entries(SIMPLE_ALIASES)) for (const a of aliases) put(a, key);
  for (const slot of ['r1', 'r2'] as const) {
    for (const prefix of SLOT_PREFIXES[slot]) {
      for (const [part, aliases] of Object.entries(CONTACT_ALIASES)) for (const a of aliases) put(`${prefix} ${a}`, `${slot}.${part}`);
    }
  }
  for (const w of wallets) {
    for (const a of [`solde ${w.label}`, `solde ${w.code}`, `solde ouverture ${w.label}`, `solde initial ${w.label}`, w.label]) put(a, `balance:${w.code}`);
  }
  return table;
}

/** Our key for each column (IGNORE when nothing fits); a key is guessed for one column only. */
export function guessMapping(headers: readonly string[], fields: readonly FieldDef[], wallets: readonly WalletColumn[]): string[] {
  const table = aliasTable(fields, wallets);
  const used = new Set<string>();
  return headers.map((h) => {
    const words = headerWords(h);
    let key = table.get(words);
    // "Mère nom", "Père prénom": a relationship word in front stands for a contact slot.
    if (!key) {
      const m = /^(mere|pere)\s+(.+)$/.exec(words);
      if (m) {
        const slot = m[1] === 'mere' ? 'r1' : 'r2';
        const part = Object.entries(CONTACT_ALIASES).find(([, aliases]) => aliases.some((a) => headerWords(a) === m[2]))?.[0];
        if (part) key = `${slot}.${part}`;
      }
    }
    if (!key || used.has(key)) return IGNORE;
    used.add(key);
    return key;
  });
}

/** The key a mapping is remembered under: the file's headers, normalised. */
export function headerKey(headers: readonly string[]): string {
  return createHash('sha256').update(headers.map(headerWords).join('\u0001')).digest('hex');
}

/** Keeps only known keys, each once, one per column (a hostile or stale mapping cannot add one). */
export function cleanMapping(mapping: readonly unknown[], columnCount: number, fields: readonly FieldDef[]): string[] {
  const known = new Set(fields.map((f) => f.key));
  const used = new Set<string>();
  return Array.from({ length: columnCount }, (_, i) => {
    const k = mapping[i];
    if (typeof k !== 'string' || !known.has(k) || used.has(k)) return IGNORE;
    used.add(k);
    return k;
  });
}

export { CHILD_FIELDS, FAMILY_FIELDS, LOGIN_FIELDS, CONTACT_PARTS };
