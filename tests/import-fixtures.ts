import ExcelJS from 'exceljs';
import { importFields, type WalletColumn } from '../core/import/fields.js';

/**
 * Import files made in the tests, the benchmark and the end-to-end walk: `children` rows shaped
 * like the template (families of 1 to 3 children), optionally with bad lines whose fix is
 * known, and portal logins for some families. Deterministic for a given `seed` prefix.
 */

export type FixtureCell = string | number | Date | null;

export interface FixtureOptions {
  children: number;
  schools: string[];
  wallets?: ReadonlyArray<Pick<WalletColumn, 'code' | 'label'>>;
  /** How many families get a portal login (the first ones). */
  logins?: number;
  badLines?: number;
  /** Makes references, names and usernames unique to this file (e.g. "e2e-1733"). */
  prefix?: string;
}

export interface BadLine {
  line: number;
  column: string;
  bad: string;
  fix: FixtureCell;
}

export interface FixtureLogin {
  username: string;
  email: string;
  familyName: string;
  familyRef: string;
}

export interface Fixture {
  headers: string[];
  rows: FixtureCell[][];
  badLines: BadLine[];
  logins: FixtureLogin[];
  familyNames: string[];
}

const FIRST = ['Julia', 'Louis', 'Margot', 'Léo', 'Inès', 'Hugo', 'Chloé', 'Noé', 'Zoé', 'Éloïse', 'Théo', 'Anaïs'];
const PARENTS = ['Chantal', 'Hélène', 'Sébastien', 'Céline', 'François', 'Amélie'];
const CLASSES = ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'];
const DIETS = ['', 'Sans porc', 'Végétarien', 'Sans gluten'];

const letters = (n: number) => {
  let s = '';
  for (let x = n; ; x = Math.floor(x / 26) - 1) {
    s = String.fromCharCode(65 + (x % 26)) + s;
    if (x < 26) break;
  }
  return s;
};

export function buildFixture(o: FixtureOptions): Fixture {
  const wallets = o.wallets ?? [];
  const headers = importFields(wallets.map((w, i) => ({ id: i + 1, ...w }))).map((f) => f.label);
  const idx = (label: string) => headers.indexOf(label);
  const prefix = o.prefix ?? 'imp';
  const rows: FixtureCell[][] = [];
  const logins: FixtureLogin[] = [];
  const familyNames: string[] = [];
  let child = 0;
  for (let f = 0; child < o.children; f++) {
    const name = `${prefix.toUpperCase().replace(/[^A-Z0-9]/g, '')}${letters(f)}`;
    const ref = `${prefix}-F${f + 1}`;
    familyNames.push(name);
    const parent = PARENTS[f % PARENTS.length]!;
    const email = `${parent.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}.${name.toLowerCase()}@exemple.fr`;
    const login = f < (o.logins ?? 0) ? `${prefix.toLowerCase()}.${name.toLowerCase()}` : '';
    if (login) logins.push({ username: login, email, familyName: name, familyRef: ref });
    const kids = Math.min(1 + (f % 3), o.children - child);
    for (let k = 0; k < kids; k++, child++) {
      const row: FixtureCell[] = headers.map(() => null);
      const set = (label: string, v: FixtureCell) => {
        if (idx(label) >= 0) row[idx(label)] = v;
      };
      set('Référence famille', ref);
      set('Nom de famille', name);
      set('QF', 400 + ((f * 37) % 1200));
      set('Responsable 1 lien', 'Mère');
      set('Responsable 1 nom', name);
      set('Responsable 1 prénom', parent);
      set('Responsable 1 adresse 1', `${1 + (f % 90)} rue des Écoles`);
      set('Responsable 1 code postal', '33220');
      set('Responsable 1 ville', 'Saint-Exemple');
      set('Responsable 1 portable', `06 ${String(10 + (f % 89)).padStart(2, '0')} ${String(f % 100).padStart(2, '0')} 70 15`);
      set('Responsable 1 mél', email);
      set('Responsable 1 utiliser pour la facturation', 'Oui');
      set('Responsable 1 contact en cas d’urgence', 'Oui');
      set('Responsable 1 autorisé à venir chercher l’enfant', 'X');
      if (f % 2 === 0) {
        set('Responsable 2 lien', 'Père');
        set('Responsable 2 nom', name);
        set('Responsable 2 prénom', 'Marc');
        set('Responsable 2 portable', '07 11 22 33 44');
        set('Responsable 2 autorisé à venir chercher l’enfant', 'Oui');
      }
      set('Référence enfant', `${prefix}-E${child + 1}`);
      set('Prénom enfant', FIRST[child % FIRST.length]!);
      set('Nom enfant', name);
      set('Date de naissance', `${String(1 + (child % 28)).padStart(2, '0')}/${String(1 + (child % 12)).padStart(2, '0')}/${2014 + (child % 8)}`);
      set('École', o.schools.length ? o.schools[child % o.schools.length]! : null);
      set('Classe', CLASSES[child % CLASSES.length]!);
      set('Régime', DIETS[child % DIETS.length]!);
      set('Allergies', child % 7 === 0 ? 'Arachide' : null);
      set('PAI', child % 7 === 0 ? 'Oui' : 'Non');
      if (k === 0 && wallets[0]) set(`Solde ${wallets[0].label}`, f % 4 === 0 ? '12,50' : f % 4 === 1 ? '-3,20 €' : null);
      if (login) {
        set('Identifiant portail', login);
        set('Mél portail', email);
      }
      rows.push(row);
    }
  }
  // Bad lines spread over the file, each with the value that fixes it.
  const kinds: Array<[string, string]> = [
    ['Date de naissance', '31/02/2016'],
    ['École', 'École des Mouettes'],
    ['QF', 'beaucoup'],
    ['Responsable 1 mél', 'pas-une-adresse'],
    ['Régime', 'hallal'],
  ];
  const badLines: BadLine[] = [];
  const count = Math.min(o.badLines ?? 0, rows.length);
  for (let b = 0; b < count; b++) {
    const r = Math.floor(((b + 0.5) * rows.length) / count);
    const [column, bad] = kinds[b % kinds.length]!;
    const i = idx(column);
    if (i < 0) continue;
    badLines.push({ line: r + 2, column, bad, fix: rows[r]![i]! });
    rows[r]![i] = bad;
  }
  return { headers, rows, badLines, logins, familyNames };
}

/** The same rows with the bad lines put right. */
export function fixedRows(fx: Fixture): FixtureCell[][] {
  const rows = fx.rows.map((r) => [...r]);
  for (const b of fx.badLines) rows[b.line - 2]![fx.headers.indexOf(b.column)] = b.fix;
  return rows;
}

export async function fixtureXlsx(headers: string[], rows: FixtureCell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Familles');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function fixtureCsv(headers: string[], rows: FixtureCell[][], delimiter = ';'): string {
  const esc = (v: FixtureCell) => {
    const s = v == null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    return /["\n;,\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(esc).join(delimiter)).join('\r\n') + '\r\n';
}
