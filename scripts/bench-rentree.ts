/**
 * Times the "passage en classe supérieure" on a large commune: N children (default 20 000,
 * `BENCH_CHILDREN`) spread over the levels of two schools, on a real SQLite file. Prints the
 * preview's and the apply's times. Usage: npx tsx scripts/bench-rentree.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCHOOL_LEVELS } from '../api/school-classes.js';
import { applyPassage, previewPassage } from '../core/rentree.js';
import { createTestDb } from '../core/test-support.js';

const n = Number(process.env.BENCH_CHILDREN ?? 20_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-rentree-'));
const t = await createTestDb({ now: '2026-08-25T08:00:00Z', filename: path.join(dir, 'bench.sqlite') });
try {
  await t.db('schools').where({ id: t.ids.schoolMaternelleId }).update({ next_school_id: t.ids.schoolElementaireId });
  const at = '2026-08-01T00:00:00.000Z';
  const rows = Array.from({ length: n }, (_, i) => {
    const level = SCHOOL_LEVELS[1 + (i % 8)]!;
    const maternelle = ['PS', 'MS', 'GS'].includes(level);
    return {
      family_id: i % 2 === 0 ? t.ids.familyId : t.ids.otherFamilyId, first_name: `Enfant${i}`, last_name: 'BENCH', birth_date: '2018-01-01',
      school_id: maternelle ? t.ids.schoolMaternelleId : t.ids.schoolElementaireId, class_name: level, created_at: at, updated_at: at,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await t.db('children').insert(rows.slice(i, i + 500));
  const input = { year: '2026-2027', overrides: [], token: '' };
  let start = performance.now();
  const preview = await previewPassage(t.ctx, t.actors.admin, input);
  const previewMs = performance.now() - start;
  start = performance.now();
  const applied = await applyPassage(t.ctx, t.actors.admin, { ...input, token: preview.token });
  const applyMs = performance.now() - start;
  console.log(`${preview.rows.length} enfants : aperçu ${Math.round(previewMs)} ms, passage appliqué ${Math.round(applyMs)} ms (${applied.counts.move} changent de classe, ${applied.counts.leave} partent).`);
} finally {
  await t.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
