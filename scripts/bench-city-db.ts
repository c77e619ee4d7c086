// The generated city of scripts/bench-city.ts: the demo commune (DEVRET and its ~40 families),
// enlarged to N children by batched inserts in one transaction (not through the import, which
// would take minutes), with six weeks of bookings around today and their ledger debits.
// Built once per size and per week under the bench folder, then reused.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { closedReason, parseWeekdays, activityRuleFromRow, type ActivityRow } from '../core/booking-rules.js';
import { loadCalendar } from '../core/calendar.js';
import { systemClock } from '../core/clock.js';
import { addDays, eachDate, isoWeekday, mondayOf, parisToday } from '../core/dates.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { hashPassword } from '../core/passwords.js';
import { migrateLatest, openDb } from '../db/index.js';

/** Bumped when the generated data changes shape: older files are rebuilt. */
const GENERATOR_VERSION = 5;
export const BENCH_PASSWORD = 'banc-essai-ville-2026';
/** The generated families of three children whose parents sign in for the concurrent runs. */
export const BENCH_FAMILIES = 50;
export const benchLogin = (i: number): string => `banc.${i}`;
/** A cheap hash (the benchmark measures the grid and the toggles, not sign-in). */
const CHEAP_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** A fixed pseudo-random draw in [0, 1) for the n-th (child, activity): both sizes share their first families. */
const draw = (n: number): number => (Math.imul(n + 1, 2654435761) >>> 0) / 4294967296;

/** The city's file for `children` children this week, built when missing. */
export async function cityDatabase(dir: string, children: number): Promise<string> {
  const monday = mondayOf(parisToday(new Date()));
  const file = path.join(dir, `city-v${GENERATOR_VERSION}-${children}-${monday}.sqlite`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) fs.rmSync(f, { force: true });
  const t0 = performance.now();
  const db = openDb({ filename: building });
  try {
    await migrateLatest(db);
    await seedDemoIfEmpty({ db, clock: systemClock });
  } finally {
    await db.destroy();
  }
  const seeded = performance.now();
  await enlarge(building, children, monday);
  console.log(`  démo ${((seeded - t0) / 1000).toFixed(1)} s, familles générées ${((performance.now() - seeded) / 1000).toFixed(1)} s (la recherche de familles n’est pas mesurée : pas d’index de recherche)`);
  fs.renameSync(building, file);
  for (const f of ['-wal', '-shm']) fs.rmSync(`${building}${f}`, { force: true });
  console.log(`Ville de ${children} enfants créée en ${((performance.now() - t0) / 1000).toFixed(1)} s : ${file}`);
  return file;
}

async function enlarge(file: string, target: number, monday: string): Promise<void> {
  const knex = openDb({ filename: file });
  const calendar = await loadCalendar(knex, addDays(monday, -14), addDays(monday, 27));
  await knex.destroy();
  const passwordHash = await hashPassword(BENCH_PASSWORD, CHEAP_SCRYPT);
  const conn = new Database(file);
  conn.pragma('foreign_keys = ON');
  // A file being built, thrown away if the machine stops now: no journal, no fsync, pages kept
  // in memory (up to 1 GB) and written once at the commit.
  conn.pragma('journal_mode = OFF');
  conn.pragma('synchronous = OFF');
  conn.pragma('cache_size = -1000000');
  const at = new Date().toISOString();
  const existing = (conn.prepare('SELECT COUNT(*) AS n FROM children').get() as { n: number }).n;
  const schools = (conn.prepare('SELECT id FROM schools ORDER BY id').all() as Array<{ id: number }>).map((s) => s.id);
  const wallets = (conn.prepare('SELECT id FROM wallets').all() as Array<{ id: number }>).map((w) => w.id);
  const activities = (conn.prepare('SELECT * FROM activities WHERE active = 1 ORDER BY position').all() as Array<ActivityRow & { code: string; wallet_id: number }>);
  // Everyone pays the top bracket (no quotient familial on file).
  const price = new Map(activities.map((a) => [a.id, (conn.prepare('SELECT price_cents FROM tariffs WHERE activity_id = ? ORDER BY qf_min DESC').get(a.id) as { price_cents: number }).price_cents]));
  // How often a child uses each activity, in the demo's order (garderie matin, cantine, garderie soir, bus).
  const share = [0.3, 0.85, 0.35, 0.2];
  const days = eachDate(addDays(monday, -14), addDays(monday, 27));

  const family = conn.prepare(`INSERT INTO families (code, name, quotient_familial, low_balance_threshold_cents, active, created_at, updated_at)
    VALUES (?, ?, NULL, 1000, 1, ?, ?)`);
  const account = conn.prepare(`INSERT INTO parent_accounts (family_id, username, password_hash, must_change_password, active, created_at, updated_at)
    VALUES (?, ?, ?, 0, 1, ?, ?)`);
  const child = conn.prepare(`INSERT INTO children (family_id, first_name, last_name, birth_date, school_id, class_name, active, created_at, updated_at)
    VALUES (?, ?, ?, '2017-05-01', ?, 'CM1', 1, ?, ?)`);
  const booking = conn.prepare(`INSERT INTO bookings (child_id, activity_id, date, status, price_cents, source, created_at, updated_at)
    VALUES (?, ?, ?, 'booked', ?, 'parent', ?, ?)`);
  const ledger = conn.prepare(`INSERT INTO ledger_entries (family_id, wallet_id, amount_cents, kind, label, child_id, activity_id, service_date, booking_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const closed = new Map<string, boolean>();
  const isClosed = (rule: ReturnType<typeof activityRuleFromRow>, date: string, schoolId: number): boolean => {
    const k = `${rule.id}|${date}|${schoolId}`;
    if (!closed.has(k)) closed.set(k, closedReason(rule, date, calendar, schoolId) != null);
    return closed.get(k)!;
  };
  conn.transaction(() => {
    let made = existing;
    for (let f = 0; made < target; f++) {
      const name = `VILLE-${f}`;
      const familyId = Number(family.run(`V${String(f).padStart(6, '0')}`, name, at, at).lastInsertRowid);
      account.run(familyId, benchLogin(f), passwordHash, at, at);
      for (const w of wallets) ledger.run(familyId, w, 1_000_000, 'adjustment', 'Solde de départ (banc d’essai)', null, null, null, null, at);
      const count = Math.min(target - made, f < BENCH_FAMILIES ? 3 : 1 + (f % 3));
      for (let c = 0; c < count; c++) {
        const schoolId = schools[(f + c) % schools.length]!;
        const childId = Number(child.run(familyId, `Enfant${c + 1}`, name, schoolId, at, at).lastInsertRowid);
        made++;
        activities.forEach((a, i) => {
          if (draw(made * 4 + i) >= (share[i] ?? 0.2)) return;
          const rule = activityRuleFromRow(a);
          const served = parseWeekdays(a.weekdays);
          for (const date of days) {
            if (!served.includes(isoWeekday(date)) || isClosed(rule, date, schoolId)) continue;
            const p = price.get(a.id)!;
            const bookingId = Number(booking.run(childId, a.id, date, p, at, at).lastInsertRowid);
            ledger.run(familyId, a.wallet_id, -p, 'booking_debit', `${a.name} — Enfant${c + 1} — ${date}`, childId, a.id, date, bookingId, at);
          }
        });
      }
    }
    // Places for the whole city: capacity is still checked on every booking, never reached.
    conn.prepare('UPDATE activities SET capacity = ? WHERE capacity IS NOT NULL').run(target);
  })();
  conn.pragma('journal_mode = WAL');
  conn.close();
}

/** A copy of the city for one run, so that the toggles of a run leave the generated file as it was. */
export function workingCopy(file: string): { file: string; remove(): void } {
  const copy = file.replace(/\.sqlite$/, `.run-${process.pid}.sqlite`);
  fs.copyFileSync(file, copy);
  return { file: copy, remove: () => { for (const f of ['', '-wal', '-shm']) fs.rmSync(`${copy}${f}`, { force: true }); } };
}
