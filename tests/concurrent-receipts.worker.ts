/**
 * One seller at the counter, in its own OS process with its own connection to the shared
 * SQLite file (forked by concurrent-receipts.test.ts). It waits for "go", then records its
 * sales as fast as it can, cancelling some and attempting some that must fail, and reports
 * what it did.
 */
import { FixedClock } from '../core/clock.js';
import type { Actor } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { cancelCounterSale, recordCounterSale } from '../core/sales.js';
import { openDb } from '../db/index.js';

export interface WorkerReport {
  worker: number;
  sales: Array<{ receiptId: number; number: number; amountCents: number }>;
  cancellations: Array<{ receiptId: number; number: number; cancels: number; amountCents: number }>;
  failures: number;
}

const [filename, workerArg, countArg, familyArg, walletArg, staffArg, nowArg] = process.argv.slice(2);
const worker = Number(workerArg);
const count = Number(countArg);
const db = openDb({ filename: filename! });
const ctx = { db, clock: new FixedClock(nowArg!) };
const actor: Actor = { kind: 'staff', staffUserId: Number(staffArg), role: 'secretariat', name: `Guichet ${worker}` };

async function sell(): Promise<WorkerReport> {
  const report: WorkerReport = { worker, sales: [], cancellations: [], failures: 0 };
  for (let i = 0; i < count; i++) {
    const amountCents = worker * 1_000 + i + 1; // traceable, distinct per sale, under the 300 € cash cap
    const r = await recordCounterSale(ctx, actor, { familyId: Number(familyArg), walletId: Number(walletArg), amountCents, method: i % 3 === 0 ? 'carte' : 'especes' });
    report.sales.push({ receiptId: r.id, number: r.number, amountCents });
    if (i % 7 === 3) {
      // A sale that fails after the counter was bumped must not leave a hole.
      try {
        await recordCounterSale(ctx, actor, { familyId: 999_999, walletId: Number(walletArg), amountCents: 100, method: 'especes' });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        report.failures++;
      }
    }
    if (i % 5 === 4) {
      const c = await cancelCounterSale(ctx, actor, { receiptId: r.id, reason: `annulation guichet ${worker}` });
      report.cancellations.push({ receiptId: c.id, number: c.number, cancels: r.id, amountCents: c.amountCents });
    }
  }
  return report;
}

process.on('message', (msg) => {
  if (msg !== 'go') return;
  sell()
    .then((report) => process.send!({ ok: true, report }))
    .catch((e: unknown) => process.send!({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }))
    .finally(() => {
      void db.destroy().then(() => process.exit(0));
    });
});
process.send!('ready');
