import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboard } from './dashboard.js';
import { recordCounterSale } from './sales.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

// Monday 2 March 2026, 10:00 Paris: today 2026-03-02, tomorrow 2026-03-03.
let t: TestDb;
const at = '2026-03-01T08:00:00.000Z';

beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.db.destroy();
});

/** Booking rows as a fixture (the counts are what the dashboard reads; no money moves). */
async function book(childId: number, activityId: number, date: string, status = 'booked') {
  await t.db('bookings').insert({ child_id: childId, activity_id: activityId, date, status, price_cents: 320, source: 'staff', created_at: at, updated_at: at });
}

describe('dashboard', () => {
  it('counts today per activity and school, tomorrow’s meals, the cash, what waits and the alerts', async () => {
    const { ids, ctx, actors } = t;
    const a = ids.activityIds;
    await book(ids.childJuliaId, a.cantine, '2026-03-02');
    await book(ids.childLouisId, a.cantine, '2026-03-02');
    await book(ids.childMargotId, a.cantine, '2026-03-02');
    await book(ids.otherChildId, a.bus, '2026-03-02');
    await book(ids.childLouisId, a.bus, '2026-03-02', 'cancelled');
    await book(ids.childJuliaId, a.cantine, '2026-03-03');
    await book(ids.otherChildId, a.cantine, '2026-03-03');
    await book(ids.childMargotId, a.cantine, '2026-03-03');
    await book(ids.childLouisId, a.garderieSoir, '2026-03-03');
    await book(ids.childJuliaId, a.cantine, '2026-03-04');

    await recordCounterSale(ctx, actors.secretariat, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 2000, method: 'especes' });
    await recordCounterSale(ctx, actors.secretariat, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: 1550, method: 'cheque', chequeNumber: '1234567', chequeBank: 'Banque Postale' });
    // MARTIN: Garderie at -5,00 € (negative and under), Transport at 3,00 € (under the default 10,00 €).
    await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletPeriscolaireId, amountCents: -500, reason: 'test' });
    await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletTransportId, amountCents: 300, reason: 'test' });

    await t.db('documents').insert({ family_id: ids.familyId, title: 'Attestation', original_name: 'a.pdf', stored_name: 'x1', mime_type: 'application/pdf', size_bytes: 10, status: 'pending', uploaded_at: at });
    await t.db('backup_runs').insert([
      { started_at: '2026-03-01T01:00:00.000Z', finished_at: '2026-03-01T01:00:05.000Z', reason: 'nightly', duration_ms: 5000, ok: true },
      { started_at: '2026-03-02T01:00:00.000Z', finished_at: '2026-03-02T01:00:05.000Z', reason: 'nightly', duration_ms: 5000, ok: false, error: 'Disque plein' },
    ]);

    const d = await dashboard(ctx, actors.secretariat);
    expect(d.today).toBe('2026-03-02');
    expect(d.tomorrow).toBe('2026-03-03');
    expect(d.bookingsToday).toEqual([
      { activityId: a.cantine, activityName: 'Cantine', schoolId: ids.schoolMaternelleId, schoolName: 'École maternelle des Tilleuls', count: 1 },
      { activityId: a.cantine, activityName: 'Cantine', schoolId: ids.schoolElementaireId, schoolName: 'École élémentaire Jean Moulin', count: 2 },
      { activityId: a.bus, activityName: 'Bus', schoolId: ids.schoolElementaireId, schoolName: 'École élémentaire Jean Moulin', count: 1 },
    ]);
    expect(d.bookingsTodayTotal).toBe(4);
    expect(d.mealsTomorrow).toEqual([
      { schoolId: ids.schoolMaternelleId, schoolName: 'École maternelle des Tilleuls', count: 1 },
      { schoolId: ids.schoolElementaireId, schoolName: 'École élémentaire Jean Moulin', count: 2 },
    ]);
    expect(d.mealsTomorrowTotal).toBe(3);
    expect(d.cash).toEqual({ totalCents: 3550, count: 2, byMethod: { especes: 2000, cheque: 1550, carte: 0 }, closedSessions: 0 });
    expect(d.pendingDocuments).toBe(1);
    expect(d.lastBackup).toEqual({ startedAt: '2026-03-02T01:00:00.000Z', ok: false, error: 'Disque plein' });
    expect(d.lastGoodBackupAt).toBe('2026-03-01T01:00:00.000Z');
    // DEVRET and MARTIN Restauration are above 10,00 € after the sales.
    expect(d.negativeBalances).toBe(1);
    expect(d.underThreshold).toBe(2);
  });

  it('is the desk’s: restauration and parents are refused', async () => {
    await expect(dashboard(t.ctx, t.actors.restauration)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dashboard(t.ctx, t.actors.parent)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const empty = await dashboard(t.ctx, t.actors.admin);
    expect(empty).toMatchObject({ bookingsTodayTotal: 0, mealsTomorrowTotal: 0, lastBackup: null, lastGoodBackupAt: null, negativeBalances: 0, underThreshold: 0 });
  });

  it('makes the same few queries for one family as for many', async () => {
    const queries = async () => {
      let n = 0;
      const count = () => n++;
      t.db.on('query', count);
      await dashboard(t.ctx, t.actors.secretariat);
      t.db.removeListener('query', count);
      return n;
    };
    const few = await queries();
    for (let i = 0; i < 30; i++) {
      await adjustWallet(t.ctx, t.actors.admin, { familyId: i % 2 ? t.ids.familyId : t.ids.otherFamilyId, walletId: t.ids.walletTransportId, amountCents: -100, reason: 'test' });
      await book(t.ids.childJuliaId, t.ids.activityIds.bus, `2026-03-${String(2 + (i % 2)).padStart(2, '0')}`, i < 2 ? 'booked' : 'cancelled').catch(() => {});
    }
    expect(await queries()).toBe(few);
    expect(few).toBeLessThanOrEqual(12);
  });
});
