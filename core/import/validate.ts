import { isValidEmail } from '../../api/rules.js';
import { SCHOOL_LEVELS } from '../../api/school-classes.js';
import { formatCentsPlain } from '../money.js';
import { DomainError } from '../errors.js';
import { cleanContact, type ContactValues } from '../family.js';
import { normaliseText } from '../family-search.js';
import { CONTACT_FLAGS, CONTACT_PARTS, IGNORE, type WalletColumn } from './fields.js';
import { headerWords } from './map.js';
import type { ImportIssue, PlannedFamily } from './plan.js';
import type { Cell, Sheet } from './read.js';
import { isBlank, parseAmount, parseDate, parseDiet, parseFlag, parseQf, parseRelationship, text } from './values.js';

/**
 * From the file's rows and the column mapping to families, contacts, children, balances and
 * logins, with every bad line's French error. Pure: the database is compared in ./apply.ts.
 * The family's columns repeat on each of its children's rows; a later row may leave them
 * empty, but a different value is an error (two rows of one family disagreeing).
 */

export interface ValidateInput {
  sheet: Sheet;
  mapping: readonly string[];
  schools: ReadonlyArray<{ id: number; name: string }>;
  wallets: readonly WalletColumn[];
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,59}$/;
const quote = (s: string) => `« ${s.length > 60 ? `${s.slice(0, 60)}…` : s} »`;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Columns whose value belongs to the family (repeated on each row), not to the child. */
const isFamilyKey = (key: string) => key === 'familyName' || key === 'qf' || /^r[12]\./.test(key) || key.startsWith('balance:') || key.startsWith('portal');

export async function validateRows(input: ValidateInput): Promise<{ families: PlannedFamily[]; issues: ImportIssue[] }> {
  const { sheet, mapping } = input;
  const issues: ImportIssue[] = [];
  const col = new Map<string, number>();
  mapping.forEach((key, i) => key !== IGNORE && col.set(key, i));
  const header = (key: string) => {
    const i = col.get(key);
    return i == null ? key : sheet.headers[i] || `colonne ${i + 1}`;
  };
  const error = (line: number | null, key: string | null, message: string) =>
    issues.push({ line, column: key == null ? null : header(key), message, severity: 'error' });
  const warning = (line: number, key: string, message: string) => issues.push({ line, column: header(key), message, severity: 'warning' });

  if (!col.has('familyRef')) error(null, null, 'Associez une colonne à « Référence famille » : elle permet de relancer l’import sans créer de doublons.');
  if (!col.has('familyName') && !col.has('r1.lastName')) error(null, null, 'Associez une colonne à « Nom de famille » (ou au nom du responsable 1).');
  if (issues.length > 0) return { families: [], issues };

  const schoolByName = new Map<string, number>();
  for (const s of input.schools) {
    schoolByName.set(normaliseText(s.name), s.id);
    schoolByName.set(headerWords(s.name), s.id);
  }
  const walletByCode = new Map(input.wallets.map((w) => [w.code, w]));
  const families = new Map<string, PlannedFamily>();
  // The first value seen of each family column, to catch two rows that disagree.
  const firstSeen = new Map<string, Map<string, { value: string; line: number }>>();
  const childLines = new Map<string, number>();
  const usernames = new Map<string, string>();

  for (let r = 0; r < sheet.rows.length; r++) {
    if (r % 250 === 249) await yieldNow(); // keep the server answering during a big file
    const row = sheet.rows[r]!;
    const line = sheet.lines[r]!;
    const cell = (key: string): Cell => {
      const i = col.get(key);
      return i == null ? null : (row[i] ?? null);
    };
    const ref = text(cell('familyRef'));
    if (!ref) {
      error(line, 'familyRef', 'ce champ est obligatoire.');
      continue;
    }
    if (ref.length > 60) {
      error(line, 'familyRef', '60 caractères au maximum.');
      continue;
    }
    let family = families.get(ref);
    const seen = firstSeen.get(ref) ?? new Map<string, { value: string; line: number }>();
    const fresh = !family;
    if (!family) {
      family = { ref, line, name: '', quotientFamilial: null, contacts: [], children: [], balances: new Map(), login: null, invalid: false };
      families.set(ref, family);
      firstSeen.set(ref, seen);
    }
    const fam = family;
    const bad = (key: string, message: string) => {
      error(line, key, message);
      fam.invalid = true;
      // A bad value is not the family's value: the next row's is compared with nothing.
      if (seen.get(key)?.line === line) seen.delete(key);
    };

    // Family columns: compared with the first row that gave them.
    let disagree = false;
    for (const key of col.keys()) {
      if (!isFamilyKey(key)) continue;
      const value = text(cell(key));
      if (!value) continue;
      const before = seen.get(key);
      if (!before) seen.set(key, { value, line });
      // Same text is the common case; only a difference pays for the accent-blind comparison.
      else if (before.value !== value && normaliseText(before.value) !== normaliseText(value)) {
        bad(key, `${quote(text(cell(key)))} ne correspond pas à la ligne ${before.line} de la même famille (${ref}).`);
        disagree = true;
      }
    }
    if (!disagree) readFamilyColumns(fam, cell, line, bad, walletByCode, usernames);
    if (fresh && !fam.name) bad('familyName', 'ce champ est obligatoire.');

    // Child columns: a row without any is a family without (more) children.
    const childKeys = ['childRef', 'childFirstName', 'childLastName', 'birthDate', 'school', 'className', 'diet', 'allergies', 'pai'];
    if (childKeys.every((k) => isBlank(cell(k)))) continue;
    const firstName = text(cell('childFirstName'));
    const lastName = (text(cell('childLastName')) || fam.name).toUpperCase();
    if (!firstName) bad('childFirstName', 'le prénom de l’enfant est obligatoire.');
    else if (firstName.length > 80) bad('childFirstName', '80 caractères au maximum.');
    if (lastName.length > 80) bad('childLastName', '80 caractères au maximum.');
    const birthDate = parseDate(cell('birthDate'));
    if (!birthDate) bad('birthDate', isBlank(cell('birthDate')) ? 'la date de naissance est obligatoire.' : `${quote(text(cell('birthDate')))} n’est pas une date (exemple : 12/09/2016).`);
    let schoolId: number | null = null;
    const schoolText = text(cell('school'));
    if (schoolText) {
      schoolId = schoolByName.get(normaliseText(schoolText)) ?? schoolByName.get(headerWords(schoolText)) ?? null;
      if (schoolId == null) bad('school', `école inconnue ${quote(schoolText)} (écoles : ${input.schools.map((s) => s.name).join(', ') || 'aucune'}).`);
    }
    const className = text(cell('className'));
    if (className.length > 40) bad('className', '40 caractères au maximum.');
    else if (className && !(SCHOOL_LEVELS as readonly string[]).includes(className.toUpperCase().split(/[\s/\-–+]+/)[0] ?? '')) {
      warning(line, 'className', `${quote(className)} n’est pas un niveau connu (${SCHOOL_LEVELS.join(', ')}) : la classe est importée telle quelle.`);
    }
    const diet = parseDiet(cell('diet'));
    if (!diet) bad('diet', `${quote(text(cell('diet')))} n’est pas un régime connu (standard, sans porc, végétarien, sans gluten).`);
    const allergies = text(cell('allergies'));
    if (allergies.length > 500) bad('allergies', '500 caractères au maximum.');
    const pai = parseFlag(cell('pai'));
    if (pai === null) bad('pai', `${quote(text(cell('pai')))} : répondez Oui ou Non.`);
    const childRef = text(cell('childRef')) || `${ref}#${normaliseText(firstName)}#${birthDate ?? ''}`;
    if (childRef.length > 120) bad('childRef', '120 caractères au maximum.');
    const dup = childLines.get(childRef);
    if (dup != null) bad('childRef', `${quote(text(cell('childRef')) || firstName)} figure déjà ligne ${dup} : un enfant ne doit apparaître qu’une fois.`);
    else childLines.set(childRef, line);
    if (firstName && birthDate && diet && pai !== null && dup == null) {
      fam.children.push({ ref: childRef, line, firstName, lastName, birthDate, schoolId, className, diet, allergies, pai });
    }
  }
  return { families: [...families.values()], issues };
}

type CellOf = (key: string) => Cell;

function readFamilyColumns(
  fam: PlannedFamily,
  cell: CellOf,
  line: number,
  bad: (key: string, message: string) => void,
  walletByCode: Map<string, WalletColumn>,
  usernames: Map<string, string>,
): void {
  const name = text(cell('familyName')) || text(cell('r1.lastName'));
  if (name && !fam.name) {
    if (name.length > 120) bad('familyName', '120 caractères au maximum.');
    else fam.name = name.toLocaleUpperCase('fr-FR');
  }
  if (!isBlank(cell('qf')) && fam.quotientFamilial == null) {
    const qf = parseQf(cell('qf'));
    if (qf == null) bad('qf', `${quote(text(cell('qf')))} n’est pas un nombre (quotient familial en euros, exemple : 850).`);
    else fam.quotientFamilial = qf;
  }
  for (const slot of [1, 2] as const) {
    if (fam.contacts.some((c) => c.slot === slot)) continue;
    const k = (part: string) => `r${slot}.${part}`;
    const present = CONTACT_PARTS.some(([part]) => !CONTACT_FLAGS.includes(part) && part !== 'relationship' && !isBlank(cell(k(part))));
    if (!present) continue;
    const relationship = parseRelationship(cell(k('relationship')));
    if (!relationship) {
      bad(k('relationship'), `${quote(text(cell(k('relationship'))))} n’est pas un lien connu (Mère, Père, Tuteur, Nounou, Autre).`);
      continue;
    }
    const flags: Partial<Record<string, boolean>> = {};
    let flagsOk = true;
    for (const f of CONTACT_FLAGS) {
      const v = parseFlag(cell(k(f)));
      if (v === null) {
        bad(k(f), `${quote(text(cell(k(f))))} : répondez Oui ou Non.`);
        flagsOk = false;
      } else flags[f] = v;
    }
    if (!flagsOk) continue;
    const raw = { relationship, note: '', ...flags } as Record<string, unknown>;
    for (const [part] of CONTACT_PARTS) if (!CONTACT_FLAGS.includes(part) && part !== 'relationship') raw[part] = text(cell(k(part)));
    try {
      fam.contacts.push({ slot, line, values: cleanContact(raw as unknown as ContactValues) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const field = typeof err.details?.field === 'string' ? err.details.field : 'lastName';
      const value = text(cell(k(field)));
      bad(k(field), `${value ? `${quote(value)} : ` : ''}${err.message.replace(/^[^:]+ : /, '')}`);
    }
  }
  for (const [code, wallet] of walletByCode) {
    const key = `balance:${code}`;
    if (isBlank(cell(key)) || fam.balances.has(wallet.id)) continue;
    const cents = parseAmount(cell(key));
    if (cents == null) bad(key, `${quote(text(cell(key)))} n’est pas un montant (exemple : 12,50 ou -3,20 €).`);
    else if (cents !== 0) fam.balances.set(wallet.id, cents);
  }
  const username = text(cell('portalUsername')).toLowerCase();
  if (username && !fam.login) {
    const email = text(cell('portalEmail')) || fam.contacts.find((c) => c.slot === 1)?.values.email || text(cell('r1.email'));
    const other = usernames.get(username);
    if (!USERNAME_RE.test(username)) bad('portalUsername', `${quote(username)} : 3 à 60 caractères parmi lettres minuscules, chiffres, point, tiret et souligné.`);
    else if (other && other !== fam.ref) bad('portalUsername', `${quote(username)} est déjà donné à la famille ${other} dans ce fichier.`);
    else if (!email) bad('portalEmail', 'une adresse e-mail est nécessaire pour ouvrir l’accès au portail.');
    else if (!isValidEmail(email)) bad('portalEmail', `${quote(email)} n’est pas une adresse e-mail valide (exemple : prenom.nom@exemple.fr).`);
    else {
      usernames.set(username, fam.ref);
      fam.login = { username, email, line };
    }
  }
}

/** "Solde Restauration scolaire : 12,50 €" for the messages of ./apply.ts. */
export const centsText = (cents: number) => formatCentsPlain(cents);
