import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pdfToText } from '../tests/support/pdf-text.js';
import type { DomainError } from './errors.js';
import { versementPdf } from './pdf/versement.js';
import { cancelCounterSale, closeCashDay, recordCounterSale, type CounterSaleInput } from './sales.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import type { Actor } from './context.js';
import { establishVersement, listVersements, markVersementSent, previewVersement } from './versement.js';
import { writeVersementXlsx } from './versement-xlsx.js';
import { toBuffer } from './xlsx.js';
import { insertedId } from './wallet.js';

// Runs on SQLite, and on PostgreSQL with ETICKET_TEST_PG_URL (createTestDb picks the engine).
let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e as DomainError).code ?? String(e));
const at = (date: string, time = '10:00') => t.clock.set(new Date(`${date}T${time}:00+01:00`));
const sell = (actor: Actor, amountCents: number, method: CounterSaleInput['method'], familyId = t.ids.familyId) =>
  recordCounterSale(t.ctx, actor, { familyId, walletId: t.ids.walletRestaurationId, amountCents, method, ...(method === 'cheque' ? { chequeNumber: '1234567', chequeBank: 'La Banque Postale' } : {}) });

/** A settled PayFiP payment as the flow leaves it (a fixture row, not a ledger write). */
async function paidOnline(amountCents: number, paidAtLocal: string | null, status = 'paid'): Promise<number> {
  const [r] = await t.db('online_payments')
    .insert({
      refdet: `ETV${Math.random().toString(36).slice(2, 12).toUpperCase()}`, family_id: t.ids.familyId, wallet_id: t.ids.walletRestaurationId,
      amount_cents: amountCents, email: 'x@example.fr', objet: 'Credit', status, paid_at_local: paidAtLocal,
      created_at: '2026-03-01T08:00:00.000Z', updated_at: '2026-03-01T08:00:00.000Z',
    })
    .returning('id');
  return insertedId(r);
}

/** Mon 2 and Tue 3 March: two sellers, three methods, one cancellation; three PayFiP payments. */
async function week() {
  at('2026-03-02', '09:00');
  const a = await sell(t.actors.secretariat, 2500, 'especes');
  await sell(t.actors.secretariat, 4000, 'cheque');
  await sell(t.actors.admin, 1200, 'carte', t.ids.otherFamilyId);
  await cancelCounterSale(t.ctx, t.actors.secretariat, { receiptId: a.id, reason: 'Erreur de montant' });
  await sell(t.actors.secretariat, 2000, 'especes');
  at('2026-03-03', '09:00');
  await sell(t.actors.admin, 3000, 'especes');
  await paidOnline(1500, '2026-03-02 21:15');
  await paidOnline(2500, '2026-03-03 08:05');
  await paidOnline(9900, '2026-03-03 09:00', 'refused');
  await paidOnline(700, '2026-03-04 00:10'); // after the period
}

const receiptSum = async (from: string, to: string) =>
  Number(((await t.db('receipts').whereBetween('business_date', [from, to]).sum({ s: 'amount_cents' }).first()) as { s: number | string }).s);

describe('état de versement', () => {
  it('totals equal the receipts and the online payments of the period, by method, seller and day', async () => {
    await week();
    at('2026-03-04');
    const { figures, unclosedDays } = await previewVersement(t.ctx, t.actors.secretariat, { from: '2026-03-02', to: '2026-03-03' });
    expect(unclosedDays.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03']);
    expect(figures.counterCents).toBe(await receiptSum('2026-03-02', '2026-03-03'));
    expect(figures.counterCents).toBe(4000 + 1200 + 2000 + 3000);
    expect(figures.methods.map((m) => [m.method, m.count, m.grossCents, m.cancelledCents, m.netCents])).toEqual([
      ['especes', 3, 7500, 2500, 5000],
      ['cheque', 1, 4000, 0, 4000],
      ['carte', 1, 1200, 0, 1200],
    ]);
    expect(figures).toMatchObject({ receiptCount: 6, cancellationCount: 1, cancellationsCents: 2500, onlineCount: 2, onlineCents: 4000, totalCents: 10200 + 4000 });
    const seller = (id: number) => figures.sellers.find((x) => x.staffUserId === id);
    expect(seller(t.ids.staffAdminId)).toMatchObject({ count: 2, totalCents: 4200, byMethod: { especes: 3000, cheque: 0, carte: 1200 } });
    expect(seller(t.ids.staffSecretariatId)).toMatchObject({ count: 4, totalCents: 6000, byMethod: { especes: 2000, cheque: 4000, carte: 0 } });
    expect(figures.sellers.reduce((s, x) => s + x.totalCents, 0)).toBe(figures.counterCents);
    expect(figures.days).toEqual([
      { date: '2026-03-02', receiptCount: 5, counterCents: 7200, onlineCount: 1, onlineCents: 1500 },
      { date: '2026-03-03', receiptCount: 1, counterCents: 3000, onlineCount: 1, onlineCents: 2500 },
    ]);
    expect(figures).toMatchObject({ firstReceipt: '2026-000001', lastReceipt: '2026-000006' });
  });

  it('waits for the closures, then freezes the figures under gapless numbers; no day or receipt twice', async () => {
    await week();
    at('2026-03-04');
    expect(await code(establishVersement(t.ctx, t.actors.secretariat, { from: '2026-03-02', to: '2026-03-03' }))).toBe('CONFLICT');
    expect(await t.db('versements').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-03' });
    const v = await establishVersement(t.ctx, t.actors.secretariat, { from: '2026-03-02', to: '2026-03-03' });
    expect(v).toMatchObject({ numberLabel: 'V2026-001', totalCents: 14200, sentAt: null });
    expect(await t.db('versement_receipts').where('versement_id', v.id).count({ n: '*' }).first()).toMatchObject({ n: 6 });
    expect(await t.db('versement_online_payments').where('versement_id', v.id).count({ n: '*' }).first()).toMatchObject({ n: 2 });
    expect(await t.db('audit_log').where('action', 'versement.establish').count({ n: '*' }).first()).toMatchObject({ n: 1 });

    // A day already in an état cannot be in another; the database refuses it too.
    expect(await code(establishVersement(t.ctx, t.actors.secretariat, { from: '2026-03-03', to: '2026-03-04' }))).toBe('CONFLICT');
    await expect(t.db('versement_days').insert({ business_date: '2026-03-02', versement_id: v.id })).rejects.toThrow();

    // The next état counts the 4 March payment and one settled late but dated 3 March (already versed day).
    await paidOnline(300, '2026-03-03 23:50');
    const next = await establishVersement(t.ctx, t.actors.secretariat, { from: '2026-03-04', to: '2026-03-04' });
    expect(next).toMatchObject({ numberLabel: 'V2026-002', totalCents: 1000 });
    expect(next.figures.earlier).toEqual({ receiptCount: 0, receiptCents: 0, onlineCount: 1, onlineCents: 300 });
    expect(Number(((await t.db('versements').sum({ s: 'total_cents' }).first()) as { s: number | string }).s)).toBe(
      (await receiptSum('2026-03-01', '2026-03-04')) + 1500 + 2500 + 700 + 300,
    );

    const sent = await markVersementSent(t.ctx, t.actors.secretariat, v.id);
    expect(sent.sentAt).toBe(t.clock.now().toISOString());
    expect(sent.sentByName).toBeTruthy();
    expect(await code(markVersementSent(t.ctx, t.actors.secretariat, v.id))).toBe('CONFLICT');
    const list = await listVersements(t.ctx, t.actors.secretariat);
    expect(list.versements.map((x) => x.numberLabel)).toEqual(['V2026-002', 'V2026-001']);
    expect(list.unclosedDays).toEqual([]);
  });

  it('refuses bad periods and the kitchen; reads its figures in a fixed number of queries', async () => {
    await week();
    at('2026-03-04');
    for (const p of [{ from: '2026-03-05', to: '2026-03-02' }, { from: '2026-03-02', to: '2026-03-05' }, { from: '2025-01-01', to: '2026-03-03' }, { from: '2026-02-30', to: '2026-03-03' }]) {
      expect(await code(previewVersement(t.ctx, t.actors.secretariat, p)), JSON.stringify(p)).toBe('VALIDATION');
    }
    expect(await code(previewVersement(t.ctx, t.actors.restauration, { from: '2026-03-02', to: '2026-03-03' }))).toBe('FORBIDDEN');
    const count = async () => {
      let n = 0;
      const on = () => (n += 1);
      t.db.on('query', on);
      await previewVersement(t.ctx, t.actors.secretariat, { from: '2026-03-02', to: '2026-03-03' });
      t.db.off('query', on);
      return n;
    };
    const before = await count();
    at('2026-03-03', '11:00');
    for (let i = 0; i < 12; i += 1) await sell(i % 2 ? t.actors.admin : t.actors.secretariat, 100 + i, (['especes', 'cheque', 'carte'] as const)[i % 3]!);
    at('2026-03-04');
    expect(await count()).toBe(before);
    expect(before).toBeLessThanOrEqual(4);
  });

  it('prints the PDF and the workbook from the frozen figures', async () => {
    await week();
    at('2026-03-04');
    await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-02' });
    await closeCashDay(t.ctx, t.actors.secretariat, { date: '2026-03-03' });
    const v = await establishVersement(t.ctx, t.actors.secretariat, { from: '2026-03-02', to: '2026-03-03' });
    const text = await pdfToText(await versementPdf(v, TEST_COMMUNE));
    expect(text).toContain('État de versement n° V2026-001');
    expect(text).toContain('Période du 02/03/2026 au 03/03/2026');
    expect(text).toMatch(/Total de l’état\s+142,00 €/);
    expect(text).toMatch(/Espèces\s+3\s+75,00 €\s+− 25,00 €\s+50,00 €/);
    expect(text).toMatch(/Total guichet\s+5\s+127,00 €\s+− 25,00 €\s+102,00 €/);

    const bytes = await toBuffer((out) => writeVersementXlsx(v, out, 'Commune test'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('État de versement')!;
    const result = (cell: ExcelJS.Cell) => (typeof cell.value === 'object' && cell.value && 'result' in cell.value ? cell.value.result : cell.value);
    expect(ws.getCell('A9').value).toBe('Total guichet');
    expect(result(ws.getCell('E9'))).toBe(102);
    expect(ws.getCell('E10').value).toBe(40);
    expect(result(ws.getCell('E11'))).toBe(142);
    const days = wb.getWorksheet('Par journée')!;
    expect(result(days.getCell('F4'))).toBe(142);
  });
});
