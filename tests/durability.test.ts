import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '../api/auth.js';
import type { BookingResultResponse, WeekGridResponse } from '../api/parent.js';
import type { ReceiptView } from '../api/staff.js';
import { addDays, mondayOf, parisToday } from '../core/dates.js';
import { databaseFile, openDb } from '../db/index.js';

/**
 * "A write acknowledged survives a crash." The real server runs as a child process on a file
 * database with the demo data; staff and a parent make writes through the HTTP API; the whole
 * process group is SIGKILLed right after the last answer (no shutdown hook, no checkpoint);
 * the file is reopened with openDb and must hold every acknowledged write. A restart on the
 * same folder then continues the receipt numbering without a gap.
 *
 * Timing: the first start seeds the demo (about 10 s on a quiet 2-core machine, much longer
 * when the machine is loaded), the restart only migrates; the timeouts are generous for that.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const DEMO_PASSWORD = 'eticket-demo';
const START_TIMEOUT_MS = 110_000;

interface Server {
  child: ChildProcess;
  url: string;
  output(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `npx tsx scripts/serve.ts` in its own process group, so one signal reaches npx, tsx and node alike. */
async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const child = spawn('npx', ['tsx', 'scripts/serve.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ETICKET_DATA_DIR: dataDir, ETICKET_DEMO: '1' },
  });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode != null) throw new Error(`Le serveur s'est arrêté au démarrage (code ${child.exitCode}) :\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { child, url, output: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  killGroup(child, 'SIGKILL');
  throw new Error(`Le serveur n'a pas répondu sur /healthz :\n${log}`);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid != null && groupAlive(child.pid)) process.kill(-child.pid, signal);
}

/** SIGKILL to every process of the server's group, then wait until none is left. */
async function crash(server: Server): Promise<void> {
  killGroup(server.child, 'SIGKILL');
  const pgid = server.child.pid!;
  const deadline = Date.now() + 10_000;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) throw new Error('Le serveur survit à SIGKILL.');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A browser reduced to what the API needs: the session cookie and the CSRF token of /api/auth/me. */
class Client {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async call<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const m = /^eticket_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] ? `eticket_session=${m[1]}` : '';
    }
    return { status: res.status, body: (await res.json()) as T };
  }

  async signIn(kind: 'staff' | 'parent', username: string): Promise<MeResponse> {
    const login = await this.call<MeResponse>('POST', `/api/auth/${kind}/login`, { username, password: DEMO_PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await this.call<MeResponse>('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.kind).toBe(kind);
    this.csrf = me.body.csrfToken;
    return me.body;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-durability-'));
const running: Server[] = [];

afterAll(async () => {
  for (const s of running) await crash(s).catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('durability: a write acknowledged survives a crash', () => {
  it('keeps the counter sale, its ledger entry and the parent booking after SIGKILL, and numbers receipts on after a restart', async () => {
    // ---- First life: demo seed, then a counter sale and a parent booking.
    const first = await startServer(dataDir);
    running.push(first);

    const parent = new Client(first.url);
    const me = await parent.signIn('parent', 'chantal.devret');
    if (me.kind !== 'parent') throw new Error('compte parent attendu');
    const familyId = me.familyId;

    // An open cell a few weeks ahead (past every booking deadline, whatever today is).
    let cell: { childId: number; activityId: number; date: string; walletId: number; priceCents: number } | undefined;
    for (let w = 2; w <= 8 && !cell; w++) {
      const week = addDays(mondayOf(parisToday(new Date())), 7 * w);
      const grid = await parent.call<WeekGridResponse>('GET', `/api/parent/planning?week=${week}`);
      expect(grid.status).toBe(200);
      for (const child of grid.body.children) {
        for (const row of child.periods.flatMap((p) => p.rows)) {
          const open = row.cells.find((c) => c.state === 'open');
          if (open && row.priceCents != null && row.priceCents > 0 && !cell) {
            cell = { childId: child.childId, activityId: row.activityId, date: open.date, walletId: row.walletId, priceCents: row.priceCents };
          }
        }
      }
    }
    expect(cell, 'aucune case ouverte dans les semaines à venir').toBeDefined();
    const target = cell!;

    const staff = new Client(first.url);
    await staff.signIn('staff', 'secretariat');
    const sale = await staff.call<ReceiptView>('POST', '/api/staff/sales', {
      familyId, walletId: target.walletId, amountCents: 4321, method: 'especes',
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const receipt = sale.body;
    expect(receipt.ledgerEntryId).toEqual(expect.any(Number));

    const booking = await parent.call<BookingResultResponse>('POST', '/api/parent/planning/changes', {
      changes: [{ childId: target.childId, activityId: target.activityId, date: target.date, action: 'book' }],
    });
    expect(booking.status, JSON.stringify(booking.body)).toBe(200);
    expect(booking.body.results[0]).toMatchObject({ outcome: 'done', state: 'booked' });
    // The answer is in: crash now.
    await crash(first);

    // The last commits still sit in the write-ahead log: reopening must replay them.
    const file = databaseFile(dataDir);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    let db = openDb({ filename: file });
    try {
      expect(await db.raw('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const savedReceipt = await db('receipts').where('id', receipt.id).first();
      expect(savedReceipt).toMatchObject({
        year: receipt.year, number: receipt.number, family_id: familyId, wallet_id: target.walletId, amount_cents: 4321, method: 'especes',
      });
      const saleEntry = await db('ledger_entries').where('receipt_id', receipt.id).first();
      expect(saleEntry).toMatchObject({ id: receipt.ledgerEntryId, family_id: familyId, wallet_id: target.walletId, amount_cents: 4321, kind: 'counter_sale' });
      const savedBooking = await db('bookings').where({ child_id: target.childId, activity_id: target.activityId, date: target.date }).first();
      expect(savedBooking).toMatchObject({ status: 'booked', price_cents: target.priceCents, source: 'parent' });
      const debit = await db('ledger_entries').where({ booking_id: savedBooking.id, kind: 'booking_debit' }).first();
      expect(debit).toMatchObject({ amount_cents: -target.priceCents, family_id: familyId, wallet_id: target.walletId });
      const counter = await db('receipt_counters').where('year', receipt.year).first();
      expect(counter.last_number).toBe(receipt.number);
    } finally {
      await db.destroy();
    }

    // ---- Second life on the same folder: the next receipt takes the next number.
    const second = await startServer(dataDir);
    running.push(second);
    expect(second.output()).not.toMatch(/Données de démonstration créées/);
    const desk = new Client(second.url);
    await desk.signIn('staff', 'secretariat');
    const next = await desk.call<ReceiptView>('POST', '/api/staff/sales', { familyId, walletId: target.walletId, amountCents: 1000, method: 'carte' });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    await crash(second);
    expect(next.body.year).toBe(receipt.year);
    expect(next.body.number).toBe(receipt.number + 1);

    db = openDb({ filename: file });
    try {
      const numbers = (await db('receipts').where('year', receipt.year).orderBy('number').pluck('number')) as number[];
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
      expect(numbers.at(-1)).toBe(next.body.number);
      expect(await db('ledger_entries').where('receipt_id', next.body.id).first()).toMatchObject({ amount_cents: 1000, kind: 'counter_sale' });
    } finally {
      await db.destroy();
    }
  }, 240_000);
});
