import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_NOW } from '../core/test-support.js';
import { openDb } from '../db/index.js';
import type { WorkerReport } from './concurrent-receipts.worker.js';

/**
 * Four OS processes sell at once on one SQLite file (WAL, separate connections). Receipt
 * numbers must come out exactly 1..N: no gap, no duplicate, including reversing receipts and
 * sales that failed after taking a number.
 */

const WORKERS = 4;
const SALES_PER_WORKER = 25;
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-receipts-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode == null) c.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('concurrent counter sales', () => {
  it('numbers receipts 1..N without gap or duplicate across processes', async () => {
    const filename = path.join(dir, 'eticket.sqlite');
    const setup = await createTestDb({ filename });
    const { familyId, walletRestaurationId, staffSecretariatId } = setup.ids;
    await setup.db.destroy();

    const ready: Array<Promise<void>> = [];
    const done: Array<Promise<WorkerReport>> = [];
    for (let w = 0; w < WORKERS; w++) {
      const child = fork(
        path.join(here, 'concurrent-receipts.worker.ts'),
        [filename, String(w), String(SALES_PER_WORKER), String(familyId), String(walletRestaurationId), String(staffSecretariatId), TEST_NOW],
        { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      children.push(child);
      ready.push(new Promise((resolve, reject) => {
        child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
        child.once('error', reject);
      }));
      done.push(new Promise((resolve, reject) => {
        child.on('message', (m: { ok?: boolean; report?: WorkerReport; error?: string } | string) => {
          if (typeof m === 'string') return;
          if (m.ok) resolve(m.report!);
          else reject(new Error(`worker ${w}: ${m.error}`));
        });
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`worker ${w} exited with ${code}`));
        });
      }));
    }
    await Promise.all(ready);
    for (const c of children) c.send('go'); // all start together
    const reports = await Promise.all(done);

    const sales = reports.flatMap((r) => r.sales);
    const cancellations = reports.flatMap((r) => r.cancellations);
    expect(sales).toHaveLength(WORKERS * SALES_PER_WORKER);
    expect(cancellations).toHaveLength(WORKERS * Math.floor(SALES_PER_WORKER / 5));
    expect(reports.reduce((n, r) => n + r.failures, 0)).toBeGreaterThan(0);
    const n = sales.length + cancellations.length;

    // The sellers really ran at the same time: their numbers interleave.
    const interleaved = reports.filter((r) => {
      const mine = [...r.sales.map((x) => x.number), ...r.cancellations.map((x) => x.number)].sort((a, b) => a - b);
      return mine[mine.length - 1]! - mine[0]! + 1 > mine.length;
    });
    expect(interleaved.length).toBeGreaterThan(0);

    const reported = [...sales.map((s) => s.number), ...cancellations.map((c) => c.number)].sort((a, b) => a - b);
    expect(reported).toEqual(Array.from({ length: n }, (_, i) => i + 1));

    const db = openDb({ filename });
    try {
      const receipts: Array<{ id: number; year: number; number: number; amount_cents: number }> = await db('receipts').select('id', 'year', 'number', 'amount_cents').orderBy('number');
      expect(receipts.map((r) => r.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(new Set(receipts.map((r) => r.year))).toEqual(new Set([2026]));
      expect(await db('receipt_counters').where('year', 2026).first()).toEqual({ year: 2026, last_number: n });

      // Each receipt has exactly one ledger entry of its amount, and the wallet holds the net of the sales.
      const entries: Array<{ receipt_id: number; amount_cents: number }> = await db('ledger_entries').whereNotNull('receipt_id').select('receipt_id', 'amount_cents');
      expect(entries).toHaveLength(n);
      const byReceipt = new Map(entries.map((e) => [e.receipt_id, e.amount_cents]));
      for (const r of receipts) expect(byReceipt.get(r.id)).toBe(r.amount_cents);
      const cancelled = new Set(cancellations.map((c) => c.cancels));
      const expectedNet = sales.filter((s) => !cancelled.has(s.receiptId)).reduce((sum, s) => sum + s.amountCents, 0);
      const ledgerSum = await db('ledger_entries').where({ family_id: familyId, wallet_id: walletRestaurationId }).sum({ s: 'amount_cents' }).first();
      expect(Number(ledgerSum?.s)).toBe(expectedNet);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
