// `npm run db:migrate`: brings the database of ETICKET_DATA_DIR (default ./data) to the latest migration.
import { openDb, migrateLatest, dataDirFromEnv } from '../db/index.js';

const db = openDb({ dataDir: dataDirFromEnv() });
await migrateLatest(db);
console.log(`Base à jour : ${dataDirFromEnv()}`);
await db.destroy();
