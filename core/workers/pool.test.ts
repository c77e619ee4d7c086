// The worker pool from sources (tsx registered in each worker) and from the desktop bundle (one
// self-contained worker.cjs beside server-process.js, run with eval as from inside app.asar).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorker } from '../../scripts/build-electron.js';
import { fontBytes } from '../pdf/document.js';
import { mealListPdf } from '../pdf/meal-list.js';
import { pdfToText } from '../../tests/support/pdf-text.js';
import { TEST_COMMUNE } from '../test-support.js';
import type { MealList } from '../meals.js';
import { WorkerPool } from './pool.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-worker-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const totals = { total: 1, byDiet: { vegetarien: 1 }, allergies: 1, pai: 0 };
const list: MealList = {
  date: '2026-03-05',
  totals,
  schools: [{ schoolId: 1, schoolName: 'École des Tilleuls', totals, classes: [{ className: 'CP', totals, children: [
    { childId: 1, firstName: 'Léa', lastName: 'DUPRÉ', className: 'CP', diet: 'vegetarien', allergies: 'arachide', pai: false, paiNote: '', activities: ['Cantine'] },
  ] }] }],
};

describe('core/workers/pool.ts', () => {
  it('draws a paper in a PDF worker from the sources', async () => {
    const text = await pdfToText(await mealListPdf(list, TEST_COMMUNE, new Date('2026-03-05T07:00:00Z')));
    expect(text).toMatch(/DUPRÉ\s+Léa\s+⚠ Végétarien ; Allergie : arachide/);
  });

  it('runs the bundled worker.cjs with eval: papers, hashes, backups; no npm package left outside', async () => {
    await buildWorker(out);
    const source = fs.readFileSync(path.join(out, 'worker.cjs'), 'utf8');
    const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    for (const name of required) expect(name).toMatch(/^(node:|better-sqlite3$)/);

    const entryBase = pathToFileURL(path.join(out, 'server-process.js')).href;
    const pdf = new WorkerPool({ name: 'PDF', size: 1, maxQueue: 4, busyMessage: 'occupé', entryBase, workerData: () => ({ fonts: fontBytes() }) });
    const hash = new WorkerPool({ name: 'hash', size: 1, maxQueue: 4, busyMessage: 'occupé', entryBase });
    try {
      const bytes = await pdf.run<Uint8Array>('pdf', 'mealList', [list, TEST_COMMUNE, new Date('2026-03-05T07:00:00Z')]);
      expect(await pdfToText(bytes)).toContain('DUPRÉ');
      const key = await hash.run<Uint8Array>('hash', 'scrypt', ['mot de passe', new Uint8Array(16), 32, { N: 1024, r: 8, p: 1 }]);
      expect(key.byteLength).toBe(32);
      await expect(pdf.run('pdf', 'nothing', [])).rejects.toThrow(/Tâche inconnue/);
      // The backup's SQLite work: the native driver found by the path it is given.
      const file = path.join(out, 'copy.sqlite');
      const db = new Database(file);
      db.exec('CREATE TABLE receipts (id INTEGER PRIMARY KEY); INSERT INTO receipts VALUES (1), (2);');
      db.close();
      const facts = await hash.run<{ integrity: string; counts: Record<string, number> }>('backup', 'inspect', [createRequire(import.meta.url).resolve('better-sqlite3'), file]);
      expect(facts).toMatchObject({ integrity: 'ok', counts: { receipts: 2 } });
    } finally {
      await Promise.all([pdf.close(), hash.close()]);
    }
  }, 60_000);

  it('refuses past its queue with a French message, and keeps serving', async () => {
    const pool = new WorkerPool({ name: 'hash', size: 1, maxQueue: 2, busyMessage: 'Trop de connexions en cours : réessayez dans quelques secondes.' });
    try {
      const args = ['x', new Uint8Array(16), 32, { N: 1024, r: 8, p: 1 }];
      const accepted = [pool.run('hash', 'scrypt', args), pool.run('hash', 'scrypt', args), pool.run('hash', 'scrypt', args)];
      await expect(pool.run('hash', 'scrypt', args)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', message: /réessayez/ });
      expect((await Promise.all(accepted)).every((k) => (k as Uint8Array).byteLength === 32)).toBe(true);
      expect(((await pool.run('hash', 'scrypt', args)) as Uint8Array).byteLength).toBe(32);
    } finally {
      await pool.close();
    }
  });
});
