/**
 * Paramètres → Restauration over HTTP: the numbering confirmation after a restore is the admin's
 * alone, refuses numbers below the restored last next to the field, and until it is given the
 * counter refuses to sell.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestorePendingView } from '../../api/restore.js';
import { hashPassword } from '../../core/auth.js';
import { markRestorePending, NUMBERING_UNCONFIRMED } from '../../core/restore/numbering.js';
import { recordCounterSale } from '../../core/sales.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { PASSWORD, signedInStaff, startHarness, type Browser, type Harness } from './harness.js';
import { fieldOf, refusedToOthers, type ErrorAnswer } from './settings-support.js';

let t: TestDb;
let h: Harness;
let admin: Browser;
beforeEach(async () => {
  t = await createTestDb();
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash });
  for (let i = 0; i < 2; i++) {
    await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, method: 'especes', amountCents: 500 });
  }
  // What restoreIntoDataDir leaves in a restored database (tests/restore.test.ts does the real restore).
  await markRestorePending(t.db, '2026-03-01T17:00:00.000Z', t.clock.now());
  h = await startHarness({ db: t.db, clock: t.clock });
  admin = await signedInStaff(h, 'admin');
});
afterEach(async () => {
  await h.close();
});

const sale = { familyId: 0, walletId: 0, method: 'especes', amountCents: 700 };

describe('Restauration: numbering confirmation', () => {
  it('shows the proposal, refuses sales until confirmed, then numbering resumes after the confirmed number', async () => {
    const secretariat = await signedInStaff(h, 'secretariat');
    expect((await secretariat.get<{ pending: boolean }>('/api/staff/restore/status')).body).toEqual({ pending: true });
    const view = await admin.get<RestorePendingView>('/api/staff/settings/restore');
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ pending: true, backupTakenAt: '2026-03-01T17:00:00.000Z', receipts: [{ year: 2026, restoredLast: 2, proposed: 3 }], invoices: [{ year: 2026, restoredLast: 2, proposed: 3 }] });

    const body = { ...sale, familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId };
    const refused = await secretariat.post<ErrorAnswer>('/api/staff/sales', body);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(NUMBERING_UNCONFIRMED);

    const ok = await admin.post<{ note: string }>('/api/staff/settings/restore/numbering', { receipts: { 2026: 7 }, invoices: { 2026: 3 } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.note).toBe('Restauration de la sauvegarde du 1er mars 2026 ; reçus 2026-000003 à 2026-000007 non utilisés ; facture F2026-000003 non utilisée');
    const sold = await secretariat.post<{ numberLabel: string }>('/api/staff/sales', body);
    expect(sold.status).toBe(201);
    expect(sold.body.numberLabel).toBe('2026-000008');
    expect((await secretariat.get<{ pending: boolean }>('/api/staff/restore/status')).body).toEqual({ pending: false });
    expect(await t.db('audit_log').where('action', 'restore.numbering').first('note', 'staff_user_id')).toEqual({ note: ok.body.note, staff_user_id: t.ids.staffAdminId });
    // The Journal of the console shows it in French, with the skipped range.
    const journal = await secretariat.get<{ rows: Array<{ actionLabel: string; note: string | null }> }>('/api/staff/audit?action=restore.numbering');
    expect(journal.body.rows).toEqual([expect.objectContaining({ actionLabel: 'Numérotation confirmée après la restauration', note: ok.body.note })]);
    // Twice: nothing waits any more.
    expect((await admin.post('/api/staff/settings/restore/numbering', { receipts: { 2026: 9 }, invoices: { 2026: 9 } })).status).toBe(409);
  });

  it('refuses bad numbers next to the field, and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ receipts: { 2026: 1 }, invoices: { 2026: 3 } }, 'receipts.2026'],
      [{ receipts: { 2026: 3 }, invoices: { 2026: 0 } }, 'invoices.2026'],
      [{ receipts: { 2026: 2.5 }, invoices: { 2026: 3 } }, 'receipts.2026'],
      [{ receipts: { 2026: '3' }, invoices: { 2026: 3 } }, 'receipts.2026'],
      [{ receipts: { 2026: 3 } }, 'invoices'],
      [{ receipts: { 2026: 3 }, invoices: {} }, 'invoices.2026'],
      [{ receipts: { 2026: 1e12 }, invoices: { 2026: 3 } }, 'receipts.2026'],
    ];
    for (const [body, field] of cases) {
      const r = await admin.post<ErrorAnswer>('/api/staff/settings/restore/numbering', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldOf(r.body), JSON.stringify(r.body)).toBe(field);
      expect(r.body.error.message).toMatch(/[éèàù]|Numéro|numéro/);
    }
    expect((await admin.post('/api/staff/settings/restore/numbering', 'oui')).status).toBe(400);
    expect((await t.db('receipt_counters').where('year', 2026).first('last_number')).last_number).toBe(2);
    expect((await admin.get<RestorePendingView>('/api/staff/settings/restore')).body.pending).toBe(true);
  });

  it('is the admin’s alone', async () => {
    await refusedToOthers(h, 'get', '/api/staff/settings/restore');
    await refusedToOthers(h, 'post', '/api/staff/settings/restore/numbering', { receipts: { 2026: 3 }, invoices: { 2026: 3 } });
    expect((await t.db('receipt_counters').where('year', 2026).first('last_number')).last_number).toBe(2);
  });
});
