import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countedCentsOf } from '../api/versement.js';
import { cashCountState, recordCashCount } from './cash-count.js';
import type { DomainError } from './errors.js';
import { closeCashDay, recordCounterSale } from './sales.js';
import { createTestDb, type TestDb } from './test-support.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e as DomainError).code ?? String(e));
const DATE = '2026-03-02';
const sell = (amountCents: number, method: 'especes' | 'cheque' | 'carte') =>
  recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents, method, ...(method === 'cheque' ? { chequeNumber: '1234567', chequeBank: 'CA' } : {}) });

describe('cash count at closure', () => {
  it('counts notes and coins against the closed session’s cash; a difference needs its explanation', async () => {
    await sell(4750, 'especes');
    await sell(2000, 'cheque');
    expect(await cashCountState(t.ctx, t.actors.secretariat, DATE, 1)).toMatchObject({ closureId: null, expectedCents: null, count: null });
    expect(await code(recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts: { 2000: 2 } }))).toBe('CONFLICT');
    await closeCashDay(t.ctx, t.actors.secretariat, { date: DATE });
    expect(await cashCountState(t.ctx, t.actors.secretariat, DATE, 1)).toMatchObject({ expectedCents: 4750, count: null });

    // 2 × 20 € + 1 × 5 € + 1 × 2 € + 1 × 0,50 € = 47,50 €, but one coin of 0,50 € is missing.
    const short = { 2000: 2, 500: 1, 200: 1 };
    const err = await recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts: short }).catch((e: DomainError) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', details: { field: 'explanation' } });
    expect((err as DomainError).message).toMatch(/Écart de -0,50\s€/);
    expect(await t.db('cash_counts').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    const saved = await recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts: short, explanation: '  Pièce de 0,50 € rendue en trop  ' });
    expect(saved).toMatchObject({ countedCents: 4700, expectedCents: 4750, differenceCents: -50, explanation: 'Pièce de 0,50 € rendue en trop', session: 1 });
    expect(saved.counts).toMatchObject({ 2000: 2, 500: 1, 200: 1, 50: 0, 1: 0 });
    expect(await t.db('audit_log').where('action', 'cash.count').first()).toMatchObject({ entity: 'cash_count', entity_id: String(saved.id) });
    expect(await code(recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts: { 2000: 2, 500: 1, 200: 1, 50: 1 } }))).toBe('CONFLICT');
    expect((await cashCountState(t.ctx, t.actors.secretariat, DATE, 1)).count).toMatchObject({ id: saved.id, differenceCents: -50 });
  });

  it('an exact count needs no explanation; bad pieces and the kitchen are refused, nothing written', async () => {
    await sell(12345, 'especes');
    await closeCashDay(t.ctx, t.actors.secretariat, { date: DATE });
    for (const counts of [{ 2000: -1 }, { 2000: 1.5 }, { 300: 1 }, { 1: 10_000_000 }]) {
      expect(await code(recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts })), JSON.stringify(counts)).toBe('VALIDATION');
    }
    expect(await code(recordCashCount(t.ctx, t.actors.restauration, { date: DATE, session: 1, counts: {} }))).toBe('FORBIDDEN');
    expect(await t.db('cash_counts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const counts = { 10000: 1, 2000: 1, 200: 1, 100: 1, 20: 2, 5: 1 };
    expect(countedCentsOf(counts)).toBe(12345);
    const saved = await recordCashCount(t.ctx, t.actors.secretariat, { date: DATE, session: 1, counts });
    expect(saved).toMatchObject({ countedCents: 12345, differenceCents: 0, explanation: null });
    // The database keeps the rule too: a difference without explanation is refused.
    await expect(t.db('cash_counts').where('id', saved.id).update({ counted_cents: 100, difference_cents: 100 - 12345 })).rejects.toThrow();
  });
});
