// `npm run restore -- ARCHIVE [--dossier DIR] [--remplacer] [--oui] [--dernier-recu N] [--derniere-facture N]`
// Restores a backup (an .etkbackup archive, or an extracted backup folder) into the data folder
// of ETICKET_DATA_DIR (or --dossier), on a stopped server only. See README "Restore".
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDayMonthYearFr } from '../api/format.js';
import type { RestorePreview } from '../api/restore.js';
import { systemClock } from '../core/clock.js';
import { parisDateOf, parisTimeOf } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { restoreIntoDataDir, TARGET_HAS_DATABASE } from '../core/restore/apply.js';
import { confirmNumberingFromCommandLine, getRestorePending } from '../core/restore/numbering.js';
import { previewDatabase } from '../core/restore/preview.js';
import { isArchive, openRestoreSource } from '../core/restore/source.js';
import { databaseFile, dataDirFromEnv, openDb } from '../db/index.js';
import { runningServerPid } from '../server/data-lock.js';
import { askHidden, askLine } from './restore-prompt.js';

/** Thrown to end with a French message; thrown, not process.exit, so the temp folder is removed. */
class Stop extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

function stop(message: string, code = 1): never {
  throw new Stop(message, code);
}

function serverRunningMessage(dataDir: string, pid: number): string {
  return `Restauration refusée : le serveur eTicket fonctionne sur le dossier « ${dataDir} » (processus ${pid}). Arrêtez-le d’abord, puis relancez la restauration.`;
}

/** "45" for the latest year, or "2025:120,2026:45". */
function numbersOf(value: string | undefined, years: number[], flag: string): Record<string, number> | null {
  if (value === undefined) return null;
  const out: Record<string, number> = {};
  const latest = years.at(-1);
  for (const part of value.split(',')) {
    const m = /^\s*(?:(\d{4})\s*:\s*)?(\d{1,7})\s*$/.exec(part);
    if (!m) stop(`${flag} : un numéro est attendu (par exemple ${flag} 45, ou ${flag} 2025:120,2026:45).`);
    out[m[1] ?? String(latest)] = Number(m[2]);
  }
  return out;
}

function printPreview(p: RestorePreview, dataDir: string): void {
  const taken = p.takenAt ? new Date(p.takenAt) : null;
  const when = taken && !Number.isNaN(taken.getTime()) ? `${formatDayMonthYearFr(parisDateOf(taken))} à ${parisTimeOf(taken)}` : 'date inconnue';
  const n = (v: number) => new Intl.NumberFormat('fr-FR').format(v).replace(/[\u202f\u00a0]/g, ' ');
  const c = p.counts;
  console.log('Contenu de la sauvegarde');
  console.log(`  Date de la sauvegarde : ${when}`);
  console.log(`  Commune : ${p.commune || '(non renseignée)'}`);
  console.log(`  Familles : ${n(c.familles)} · Enfants : ${n(c.enfants)} · Réservations : ${n(c.reservations)}`);
  console.log(`  Reçus : ${n(c.recus)} · Factures : ${n(c.factures)} · Documents : ${n(c.documents)}`);
  const years = [...new Set([...Object.keys(p.lastReceiptNumbers), ...Object.keys(p.lastInvoiceNumbers)])].sort();
  for (const y of years) console.log(`  ${y} : dernier reçu n° ${p.lastReceiptNumbers[y] ?? 0}, dernière facture n° ${p.lastInvoiceNumbers[y] ?? 0}`);
  if (years.length === 0) console.log('  Aucun reçu ni facture.');
  console.log(`Dossier de destination : ${dataDir}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dossier: { type: 'string' },
      oui: { type: 'boolean', default: false },
      remplacer: { type: 'boolean', default: false },
      'dernier-recu': { type: 'string' },
      'derniere-facture': { type: 'string' },
    },
  });
  const archive = positionals[0];
  if (!archive || positionals.length > 1) stop('Usage : npm run restore -- SAUVEGARDE.etkbackup [--dossier DOSSIER] [--remplacer] [--oui] [--dernier-recu N] [--derniere-facture N]');
  const dataDir = path.resolve(values.dossier ?? dataDirFromEnv());

  const pid = runningServerPid(dataDir);
  if (pid) stop(serverRunningMessage(dataDir, pid), 2);
  const hasDatabase = fs.existsSync(databaseFile(dataDir));
  if (hasDatabase && !values.remplacer) stop(`Restauration refusée : ${TARGET_HAS_DATABASE}`, 3);

  let passphrase: string | null = null;
  if (isArchive(archive)) passphrase = process.env.ETICKET_BACKUP_PASSPHRASE ?? (await askHidden('Phrase de passe de la sauvegarde : '));

  fs.mkdirSync(dataDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(dataDir, 'restauration-en-cours-'));
  try {
    const source = await openRestoreSource(path.resolve(archive), passphrase, workDir);
    printPreview(await previewDatabase(source.databaseFile, source.takenAt), dataDir);
    if (hasDatabase) console.log('La base actuelle et ses documents seront mis de côté dans avant-restauration-… (jamais effacés).');
    if (!values.oui) {
      const answer = (await askLine('Restaurer cette sauvegarde ? (oui/non) ')).toLowerCase();
      if (answer !== 'oui' && answer !== 'o') stop('Restauration abandonnée : rien n’a changé.', 4);
    }
    // Checked again: a server may have been started while the question waited.
    const late = runningServerPid(dataDir);
    if (late) stop(serverRunningMessage(dataDir, late), 2);

    const result = await restoreIntoDataDir(dataDir, source, { replace: values.remplacer, now: systemClock.now() });
    console.log('Sauvegarde restaurée.');
    if (result.asideDir) console.log(`Anciennes données mises de côté dans : ${result.asideDir}`);

    const db = openDb({ dataDir });
    try {
      const pending = await getRestorePending(db);
      const receipts = numbersOf(values['dernier-recu'], pending.receipts.map((r) => r.year), '--dernier-recu');
      const invoices = numbersOf(values['derniere-facture'], pending.invoices.map((r) => r.year), '--derniere-facture');
      if (receipts || invoices) {
        // A year not named on the command line takes the proposal: one past the restored last.
        const fill = (given: Record<string, number> | null, years: typeof pending.receipts) => Object.fromEntries(years.map((y) => [String(y.year), given?.[String(y.year)] ?? y.proposed]));
        const done = await confirmNumberingFromCommandLine({ db, clock: systemClock }, { receipts: fill(receipts, pending.receipts), invoices: fill(invoices, pending.invoices) });
        console.log(`Numérotation confirmée : ${done.note}.`);
      } else {
        console.log('Numérotation à confirmer : au démarrage, l’administrateur indique le dernier reçu et la dernière facture émis (Paramètres → Restauration).');
        for (const r of pending.receipts) console.log(`  Reçus ${r.year} : dernier restauré n° ${r.restoredLast}, proposé ${r.proposed}`);
        for (const r of pending.invoices) console.log(`  Factures ${r.year} : dernière restaurée n° ${r.restoredLast}, proposé ${r.proposed}`);
      }
    } finally {
      await db.destroy();
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof Stop) console.error(err.message);
    else if (err instanceof DomainError) console.error(`Restauration refusée : ${err.message}`);
    else console.error(`Restauration impossible : ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof Stop ? err.exitCode : 1);
  },
);
