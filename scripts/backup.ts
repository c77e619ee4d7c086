// `npm run backup`: one verified backup of ETICKET_DATA_DIR (default ./data) into the folder set in
// Paramètres › Sauvegardes, now. Works while the server runs (the copy is VACUUM INTO on its own
// connection). Exit code 1 on failure.
import fs from 'node:fs';
import { systemClock } from '../core/clock.js';
import { appVersion, runBackup } from '../core/backup/run.js';
import { DomainError } from '../core/errors.js';
import { databaseFile, databaseUrlFromEnv, dataDirFromEnv, openDb } from '../db/index.js';

const dataDir = dataDirFromEnv();
if (!databaseUrlFromEnv() && !fs.existsSync(databaseFile(dataDir))) {
  console.error(`Sauvegarde impossible : aucune base eTicket dans ${dataDir} (ETICKET_DATA_DIR).`);
  process.exit(1);
}
const db = openDb({ dataDir });
let code = 0;
try {
  const out = await runBackup({ db, clock: systemClock }, { kind: 'system' }, 'manual', { dataDir, appVersion: appVersion() });
  if (out.ok && out.file) {
    const mo = ((out.sizeBytes ?? 0) / 1_000_000).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
    console.log(`Sauvegarde écrite : ${out.file} (${mo} Mo, ${(out.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s)`);
    console.log(`Vérifiée : archive relue, intégrité de la base « ok », ${Object.values(out.manifest?.counts ?? {}).reduce((a, b) => a + b, 0)} lignes et ${out.manifest?.documents.length ?? 0} documents conformes.`);
    if (out.deleted.length) console.log(`Anciennes sauvegardes supprimées (conservation 7 jours, 5 semaines, 12 mois) : ${out.deleted.join(', ')}`);
  } else {
    console.error(`Échec de la sauvegarde : ${out.error}`);
    code = 1;
  }
} catch (err) {
  console.error(`Échec de la sauvegarde : ${err instanceof DomainError ? err.message : (err as Error).message}`);
  code = 1;
} finally {
  await db.destroy();
}
process.exit(code);
