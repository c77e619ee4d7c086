// `npm run db:make-migration -- add_something`: creates db/migrations/NNNN_add_something.ts and lists it.
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../db/migrations/index.js';

const slug = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(slug)) {
  console.error('Usage : npm run db:make-migration -- nom_en_minuscules');
  process.exit(2);
}
const number = String(migrations.length + 1).padStart(4, '0');
const name = `${number}_${slug}`;
const dir = path.join(import.meta.dirname, '..', 'db', 'migrations');
fs.writeFileSync(
  path.join(dir, `${name}.ts`),
  `import type { Knex } from 'knex';\n\n// Keep it portable to PostgreSQL: schema builder only, no SQLite-specific SQL.\nexport async function up(knex: Knex): Promise<void> {\n  void knex;\n}\n\nexport async function down(knex: Knex): Promise<void> {\n  void knex;\n}\n`,
);
const indexFile = path.join(dir, 'index.ts');
let index = fs.readFileSync(indexFile, 'utf8');
const alias = `m${number}`;
index = index.replace(/(import \* as m\d+ from '\.\/[^']+';\n)(?!import \* as m)/, `$1import * as ${alias} from './${name}.js';\n`);
index = index.replace(/(\n\];)/, `\n  ['${name}', ${alias}],$1`);
fs.writeFileSync(indexFile, index);
console.log(`Créée : db/migrations/${name}.ts — écrivez up/down, puis npm run db:snapshot.`);
