// `npm run db:snapshot`: records the migrations and the schema they produce (db/schema-snapshot.json).
// Refuses to record an edited migration: migrations are append-only, add a new one instead.
import fs from 'node:fs';
import { buildSnapshot, readSnapshot, snapshotFile } from '../db/schema-snapshot.js';

const next = await buildSnapshot();
if (fs.existsSync(snapshotFile)) {
  const previous = readSnapshot();
  for (const old of previous.migrations) {
    const now = next.migrations.find((m) => m.name === old.name);
    if (!now) throw new Error(`La migration ${old.name} a disparu : les migrations ne se suppriment pas.`);
    if (now.sha256 !== old.sha256) throw new Error(`La migration ${old.name} a été modifiée : ajoutez une nouvelle migration à la place.`);
  }
}
fs.writeFileSync(snapshotFile, JSON.stringify(next, null, 2) + '\n');
console.log(`Instantané écrit : ${next.migrations.length} migrations, ${next.schema.length} objets.`);
