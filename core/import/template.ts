import ExcelJS from 'exceljs';
import { DIET_LABELS } from '../../api/rules.js';
import type { CoreContext } from '../context.js';
import { EXCEL_DAY, excelDay } from '../excel-dates.js';
import { importFields, type WalletColumn } from './fields.js';

/**
 * The template the secretariat fills in (or that another system's export is shaped like): one
 * row per child, the family's columns repeated on each of its children's rows, one example
 * row, and a second sheet "Aide" that says what each column holds and the accepted values.
 */

const HELP: Record<string, string> = {
  familyRef: 'Obligatoire. Le numéro du foyer dans votre ancien logiciel (ex. : 1042). Il permet de relancer l’import : les familles déjà importées sont mises à jour, jamais dupliquées.',
  familyName: 'Obligatoire. Nom du foyer (ex. : DEVRET).',
  qf: 'Quotient familial en euros (nombre entier, ex. : 850). Vide : tranche la plus haute.',
  relationship: 'Mère, Père, Tuteur, Nounou ou Autre.',
  flags: 'Oui ou Non (X, 1 et 0 sont acceptés).',
  phone: 'Numéro français (06 07 89 70 15) ou international (+44 …).',
  email: 'Adresse e-mail (prenom.nom@exemple.fr).',
  postalCode: '5 chiffres (ex. : 33220).',
  childRef: 'Le numéro de l’enfant dans votre ancien logiciel. Vide : l’enfant est reconnu par son prénom et sa date de naissance.',
  childFirstName: 'Obligatoire pour un enfant. Une ligne sans colonne « enfant » remplie est une famille sans enfant.',
  childLastName: 'Vide : le nom de la famille.',
  birthDate: 'Obligatoire pour un enfant : 12/09/2016, 2016-09-12 ou une date Excel.',
  school: 'Le nom de l’école tel qu’il est dans eTicket',
  className: 'TPS, PS, MS, GS, CP, CE1, CE2, CM1, CM2 (ou une classe double : CE2-CM1).',
  diet: `${Object.values(DIET_LABELS).join(', ')}. Vide : repas standard.`,
  allergies: 'Texte libre (500 caractères au maximum).',
  pai: 'Projet d’accueil individualisé : Oui ou Non.',
  balance: 'Solde repris de l’ancien logiciel, en euros (12,50 ou -3,20). Appliqué une seule fois par famille et porte-monnaie, même si l’import est relancé.',
  portalUsername: 'Identifiant de connexion au portail des parents (lettres minuscules, chiffres, point, tiret). Vide : pas d’accès ouvert.',
  portalEmail: 'Adresse e-mail de l’accès au portail. Vide : celle du responsable 1.',
};

function helpOf(key: string, schools: string[]): string {
  if (key === 'school') return `${HELP.school} : ${schools.join(', ') || '(aucune école enregistrée)'}.`;
  if (key.startsWith('balance:')) return HELP.balance!;
  const part = key.split('.')[1];
  if (part) {
    if (['useForBilling', 'emergencyContact', 'authorizedPickup'].includes(part)) return HELP.flags!;
    if (['phone', 'mobile', 'workPhone', 'workMobile'].includes(part)) return HELP.phone!;
    if (part === 'lastName' || part === 'firstName') return key.startsWith('r1') ? 'Nom et prénom du premier responsable.' : 'Nom et prénom du second responsable (facultatif).';
    return HELP[part] ?? '';
  }
  return HELP[key] ?? '';
}

const EXAMPLE: Record<string, string | number | Date> = {
  familyRef: '1042',
  familyName: 'DEVRET',
  qf: 850,
  'r1.relationship': 'Mère',
  'r1.lastName': 'DEVRET',
  'r1.firstName': 'Chantal',
  'r1.address1': '12 rue des Écoles',
  'r1.postalCode': '33220',
  'r1.city': 'Ma Commune',
  'r1.mobile': '06 07 89 70 15',
  'r1.email': 'chantal.devret@exemple.fr',
  'r1.useForBilling': 'Oui',
  'r1.emergencyContact': 'Oui',
  'r1.authorizedPickup': 'Oui',
  childRef: 'E-2087',
  childFirstName: 'Julia',
  childLastName: 'DEVRET',
  birthDate: excelDay('2016-09-12'),
  className: 'CM1',
  diet: 'Sans porc',
  allergies: 'Arachide',
  pai: 'Non',
  portalUsername: 'exemple.devret',
};

export async function importTemplateXlsx(ctx: CoreContext): Promise<Uint8Array> {
  const wallets = (await ctx.db('wallets').orderBy(['position', 'id']).select('id', 'code', 'label')) as WalletColumn[];
  const schools = ((await ctx.db('schools').orderBy(['position', 'id']).select('name')) as Array<{ name: string }>).map((s) => s.name);
  const fields = importFields(wallets);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'eTicket';
  const ws = wb.addWorksheet('Familles', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = fields.map((f) => ({ header: f.label, key: f.key, width: Math.max(12, Math.min(34, f.label.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  const example: Record<string, unknown> = { ...EXAMPLE, school: schools[0] ?? '' };
  if (wallets[0]) example[`balance:${wallets[0].code}`] = 12.5;
  ws.addRow(example);
  ws.getColumn('birthDate').numFmt = EXCEL_DAY;
  for (const f of fields) if (f.key.startsWith('balance:')) ws.getColumn(f.key).numFmt = '#,##0.00 "€"';
  for (const key of ['familyRef', 'childRef', 'r1.postalCode', 'r2.postalCode', 'r1.mobile', 'r1.phone', 'r2.mobile', 'r2.phone']) ws.getColumn(key).numFmt = '@';

  const help = wb.addWorksheet('Aide');
  help.columns = [
    { header: 'Colonne', key: 'label', width: 42 },
    { header: 'Contenu et valeurs acceptées', key: 'help', width: 110 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow({ label: 'Principe', help: 'Une ligne par enfant ; les colonnes de la famille sont répétées sur la ligne de chacun de ses enfants. Une ligne sans enfant : une famille sans enfant.' });
  for (const f of fields) help.addRow({ label: f.label, help: helpOf(f.key, schools) });
  help.getColumn('help').alignment = { wrapText: true, vertical: 'top' };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
