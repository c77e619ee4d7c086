// `npx tsx scripts/bench-staff.ts`: the two staff-console operations with a time budget, on the
// demo database and on an enlarged one, each against a baseline measured in the same run:
//
//   family search  searchFamilies() for typical counter queries ("dev", "ma", a phone…)
//                  budget < 30 ms; baseline: a trivial knex query (select 1) on the same file
//   month export   the attendance matrix of Cantine for a whole month, every child, written as
//                  xlsx by the streaming writer; budget < 2 s; baseline: the same workbook shape
//                  written with constant cells (no database)
//
// The enlarged database adds BENCH_FAMILIES generated families (default 3000, 2 children each),
// every child booked on every Cantine day of the month. Options: BENCH_ROUNDS (7).
// Prints medians and ratios; exits 1 when a median breaks its budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parseWeekdays } from '../core/booking-rules.js';
import { systemClock } from '../core/clock.js';
import type { CoreContext } from '../core/context.js';
import { eachDate, isoWeekday, parisToday } from '../core/dates.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { attendanceMatrix, writeAttendanceMatrixXlsx } from '../core/exports.js';
import { rebuildAllFamilySearchText, searchFamilies } from '../core/family-search.js';
import { migrateLatest, openDb, type Db } from '../db/index.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const EXTRA_FAMILIES = positiveInt(process.env.BENCH_FAMILIES, 3000);
const SEARCH_BUDGET_MS = 30;
const EXPORT_BUDGET_MS = 2000;
const QUERIES = ['dev', 'ma', 'chantal', 'léa', '06 07', 'martin lou'];

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A sink that counts bytes, so the export measures building and zipping, not the disk. */
function sink(): Writable & { bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      (w as Writable & { bytes: number }).bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

async function enlarge(db: Db, month: { from: string; to: string }): Promise<void> {
  const at = new Date().toISOString();
  const schools = (await db('schools').select('id')) as Array<{ id: number }>;
  const cantine = (await db('activities').where({ meal: true }).first('id', 'weekdays')) as { id: number; weekdays: string };
  const served = new Set(parseWeekdays(cantine.weekdays));
  const days = eachDate(month.from, month.to).filter((d) => served.has(isoWeekday(d)));
  const surnames = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA'];
  const firsts = ['Léa', 'Hugo', 'Chloé', 'Louis', 'Emma', 'Jules', 'Inès', 'Tom', 'Zoé', 'Nathan', 'Manon', 'Lucas'];
  await db.transaction(async (trx) => {
    for (let f = 0; f < EXTRA_FAMILIES; f++) {
      const name = `${surnames[f % surnames.length]}-${f}`;
      const [row] = await trx('families').insert({ code: `B${String(f).padStart(5, '0')}`, name, quotient_familial: 500 + (f % 1200), created_at: at, updated_at: at }).returning('id');
      const familyId = (row as { id: number }).id;
      await trx('contacts').insert({
        family_id: familyId, relationship: 'MERE', last_name: name, first_name: firsts[f % firsts.length]!,
        mobile: `06 ${String(10 + (f % 89)).padStart(2, '0')} ${String(f % 100).padStart(2, '0')} 00 ${String((f * 7) % 100).padStart(2, '0')}`,
        created_at: at, updated_at: at,
      });
      for (let c = 0; c < 2; c++) {
        const [child] = await trx('children')
          .insert({ family_id: familyId, first_name: firsts[(f + c + 3) % firsts.length]!, last_name: name, birth_date: '2017-05-01', school_id: schools[(f + c) % schools.length]!.id, class_name: `C${c + 1}`, created_at: at, updated_at: at })
          .returning('id');
        const childId = (child as { id: number }).id;
        await trx('bookings').insert(days.map((date) => ({ child_id: childId, activity_id: cantine.id, date, status: 'booked', price_cents: 320, source: 'parent', created_at: at, updated_at: at })));
      }
    }
  });
  await rebuildAllFamilySearchText(db);
}

async function measure(label: string, ctx: CoreContext, month: { from: string; to: string }): Promise<{ search: number; exportMs: number }> {
  const { db } = ctx;
  const families = Number(((await db('families').count({ n: '*' }).first()) as { n: number }).n);
  const children = Number(((await db('children').count({ n: '*' }).first()) as { n: number }).n);
  const activity = (await db('activities').where({ meal: true }).first('id')) as { id: number };

  // Warm-up: statement caches, page cache.
  for (const q of QUERIES) await searchFamilies(ctx, { q });
  await db.raw('select 1');

  const baseline: number[] = [];
  const search: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      baseline.push(await time(() => db.raw('select 1')));
      search.push(await time(() => searchFamilies(ctx, { q, limit: 12 })));
    }
  }

  const exportTimes: number[] = [];
  const exportBaseline: number[] = [];
  let cells = 0;
  for (let r = 0; r < Math.max(3, Math.ceil(ROUNDS / 2)); r++) {
    exportTimes.push(
      await time(async () => {
        const m = await attendanceMatrix(ctx, { activityId: activity.id, from: month.from, to: month.to, source: 'reservations' });
        cells = m.total;
        await writeAttendanceMatrixXlsx(m, sink());
        return m;
      }),
    );
  }
  const m = await attendanceMatrix(ctx, { activityId: activity.id, from: month.from, to: month.to, source: 'reservations' });
  for (let r = 0; r < Math.max(3, Math.ceil(ROUNDS / 2)); r++) {
    exportBaseline.push(
      await time(async () => {
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink(), useStyles: true, useSharedStrings: false });
        const ws = wb.addWorksheet('x');
        for (let i = 0; i < m.rows.length; i++) ws.addRow(['NOM', 'Prénom', 'École', 'CM1', ...m.dates.map(() => 'X'), m.dates.length]).commit();
        ws.commit();
        await wb.commit();
      }),
    );
  }

  const s = median(search);
  const b = median(baseline);
  const e = median(exportTimes);
  const eb = median(exportBaseline);
  console.log(`\n${label}: ${families} familles, ${children} enfants, ${m.rows.length} lignes × ${m.dates.length} jours, ${cells} réservations`);
  console.log(`  recherche de famille   médiane ${ms(s)} (max ${ms(Math.max(...search))}) — référence select 1 : ${ms(b)} — rapport ×${(s / b).toFixed(1)} — budget ${SEARCH_BUDGET_MS} ms : ${s < SEARCH_BUDGET_MS ? 'OK' : 'DÉPASSÉ'}`);
  console.log(`  export du mois (xlsx)  médiane ${ms(e)} — référence classeur sans base : ${ms(eb)} — rapport ×${(e / eb).toFixed(2)} — budget ${EXPORT_BUDGET_MS} ms : ${e < EXPORT_BUDGET_MS ? 'OK' : 'DÉPASSÉ'}`);
  return { search: s, exportMs: e };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-staff-'));
let failed = false;
try {
  const db = openDb({ dataDir: dir });
  await migrateLatest(db);
  const ctx: CoreContext = { db, clock: systemClock };
  await seedDemoIfEmpty(ctx);
  const today = parisToday(new Date());
  const month = { from: `${today.slice(0, 7)}-01`, to: eachDate(`${today.slice(0, 7)}-01`, `${today.slice(0, 7)}-31`).filter((d) => d.startsWith(today.slice(0, 7))).pop()! };
  console.log(`Banc d’essai de la console (${ROUNDS} tours, mois ${month.from} → ${month.to})`);

  const demo = await measure('Base de démonstration', ctx, month);
  const t0 = performance.now();
  await enlarge(db, month);
  console.log(`\n(${EXTRA_FAMILIES} familles ajoutées en ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const big = await measure('Base agrandie', ctx, month);
  failed = [demo, big].some((r) => r.search >= SEARCH_BUDGET_MS || r.exportMs >= EXPORT_BUDGET_MS);
  await db.destroy();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
