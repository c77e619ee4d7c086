import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { recordAttendance } from './attendance.js';
import { applyBookingChanges } from './bookings.js';
import { childcareCertificate, isDaycareActivity, presenceCertificate, underSixOnFirstJanuary } from './certificates.js';
import { FixedClock } from './clock.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { childcareCertificatePdf, presenceCertificatePdf } from './pdf/certificates.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

// "Attestation de frais de garde" (garderie paid for children under 6 on 1 January) and
// "Attestation de présence", from the ledger and the pointage.

describe('the demo DEVRET family', () => {
  let db: Db;
  const clock = new FixedClock('2026-03-30T07:00:00Z'); // Monday 30 March 2026, 09:00 Paris
  beforeAll(async () => {
    db = await openTestDb();
    expect(await seedDemoIfEmpty({ db, clock })).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await db.destroy();
  });

  it('certifies exactly the garderie paid in 2026 for Margot, the only child under 6 on 1 January', async () => {
    const family: { id: number } = await db('families').where({ name: 'DEVRET' }).first('id');
    // The expected figure straight from the ledger rows: every entry of a child born after
    // 1 January 2020 on an activity named Garderie, for a day of 2026; paid = −(sum).
    const rows: Array<{ amount_cents: number; first_name: string }> = await db('ledger_entries as l')
      .join('children as c', 'c.id', 'l.child_id')
      .join('activities as a', 'a.id', 'l.activity_id')
      .where('l.family_id', family.id)
      .where('c.birth_date', '>', '2020-01-01')
      .where('a.name', 'like', 'Garderie%')
      .where('l.service_date', '>=', '2026-01-01')
      .where('l.service_date', '<=', '2026-12-31')
      .select('l.amount_cents', 'c.first_name');
    const expected = -rows.reduce((s, r) => s + r.amount_cents, 0);
    expect(expected).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.first_name))).toEqual(new Set(['Margot']));

    const c = await childcareCertificate({ db, clock }, { kind: 'system' }, { familyId: family.id, year: 2026 });
    expect(c.noCertificate).toBeNull();
    expect(c.totalCents).toBe(expected);
    expect(c.lines.map((l) => [l.firstName, l.birthDate])).toEqual([['Margot', '2022-06-21']]);

    const { bytes, filename } = await childcareCertificatePdf({ db, clock }, { kind: 'system' }, { familyId: family.id, year: 2026 });
    expect(filename).toBe('Attestation frais de garde 2026 DEVRET.pdf');
    const text = (await pdfToText(bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Attestation de frais de garde');
    expect(text).toContain('DEVRET Margot');
    expect(text).toContain('21/06/2022');
    expect(text).toContain('Port-Sainte-Foy-et-Ponchapt');
    expect(text).toContain(`${(expected / 100).toFixed(2).replace('.', ',')} €`);
    expect(text).toContain('Signature');
    expect(text).not.toContain('Julia');
  });

  it('has no childcare paper for 2025, when nothing was paid, and says so in French', async () => {
    const family: { id: number } = await db('families').where({ name: 'DEVRET' }).first('id');
    const c = await childcareCertificate({ db, clock }, { kind: 'system' }, { familyId: family.id, year: 2025 });
    expect(c.noCertificate).toMatch(/^Aucune garderie payée en 2025/);
    await expect(childcareCertificatePdf({ db, clock }, { kind: 'system' }, { familyId: family.id, year: 2025 })).rejects.toThrow('Aucune garderie payée en 2025');
  });
});

describe('the rules', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
    // Julia: 5 years old on 1 January 2026 (born the day after); Louis: 6 that very day.
    await t.db('children').where('id', t.ids.childJuliaId).update({ birth_date: '2020-01-02' });
    await t.db('children').where('id', t.ids.childLouisId).update({ birth_date: '2020-01-01' });
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId, amountCents: 5000, reason: 'Crédit de test' });
    await adjustWallet(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, walletId: t.ids.walletRestaurationId, amountCents: 5000, reason: 'Crédit de test' });
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  it('counts children under 6 on 1 January, edge dates included', () => {
    expect(underSixOnFirstJanuary('2020-01-01', 2026)).toBe(false);
    expect(underSixOnFirstJanuary('2020-01-02', 2026)).toBe(true);
    expect(underSixOnFirstJanuary('2019-12-31', 2026)).toBe(false);
    expect(underSixOnFirstJanuary('2026-02-10', 2026)).toBe(true);
    expect(isDaycareActivity({ code: 'cantine', name: 'Cantine', meal: true })).toBe(false);
    expect(isDaycareActivity({ code: 'bus', name: 'Bus', meal: false })).toBe(false);
    expect(isDaycareActivity({ code: 'GARDERIE_SOIR', name: 'Garderie soir', meal: false })).toBe(true);
  });

  it('deducts cancellations and justified absences, leaves the canteen out, and skips the child of 6', async () => {
    const { garderieMatin, garderieSoir, cantine } = t.ids.activityIds;
    const book = (childId: number, activityId: number, date: string, action: 'book' | 'cancel' = 'book') => ({ childId, activityId, date, action });
    await applyBookingChanges(t.ctx, t.actors.secretariat, {
      familyId: t.ids.familyId,
      changes: [
        book(t.ids.childMargotId, garderieMatin, '2026-03-05'),
        book(t.ids.childMargotId, garderieMatin, '2026-03-06'),
        book(t.ids.childMargotId, garderieSoir, '2026-03-06'),
        book(t.ids.childMargotId, garderieMatin, '2026-03-09'),
        book(t.ids.childMargotId, cantine, '2026-03-05'),
        book(t.ids.childJuliaId, garderieSoir, '2026-03-05'),
        book(t.ids.childLouisId, garderieMatin, '2026-03-05'),
      ],
    });
    // Cancelled in time: refunded, so the day is neither paid nor covered.
    await applyBookingChanges(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, changes: [book(t.ids.childMargotId, garderieMatin, '2026-03-09', 'cancel')] });
    // A justified absence on 6 March (morning): refunded too.
    t.clock.set('2026-03-06T17:00:00Z');
    await recordAttendance(t.ctx, t.actors.secretariat, { activityId: garderieMatin, date: '2026-03-06', marks: [{ childId: t.ids.childMargotId, present: false, justified: true }] });
    await recordAttendance(t.ctx, t.actors.secretariat, { activityId: garderieMatin, date: '2026-03-05', marks: [{ childId: t.ids.childMargotId, present: true, justified: false }] });

    const c = await childcareCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, year: 2026 });
    // QF 850: garderie matin 1,50 €, soir 2,00 €. Margot: 5 March matin + 6 March soir = 3,50 €; Julia: 2,00 €.
    expect(c.lines.map((l) => [l.firstName, l.paidCents, l.days, l.firstDate, l.lastDate])).toEqual([
      ['Julia', 200, 1, '2026-03-05', '2026-03-05'],
      ['Margot', 350, 2, '2026-03-05', '2026-03-06'],
    ]);
    expect(c.totalCents).toBe(550);

    const presence = await presenceCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, from: '2026-03-01', to: '2026-03-31' });
    expect(presence.children.map((ch) => [ch.firstName, ch.activities.map((a) => [a.activityName, a.dates])])).toEqual([['Margot', [['Garderie matin', ['2026-03-05']]]]]);
    const text = (await pdfToText((await presenceCertificatePdf(t.ctx, t.actors.parent, { familyId: t.ids.familyId, from: '2026-03-01', to: '2026-03-31' })).bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Attestation de présence');
    expect(text).toContain('DEVRET Margot');
    expect(text).toContain('mars 2026 : 5');
  });

  it('refuses another family, a year not begun and a bad period, in French', async () => {
    await expect(childcareCertificate(t.ctx, t.actors.otherParent, { familyId: t.ids.familyId, year: 2026 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(childcareCertificate(t.ctx, t.actors.restauration, { familyId: t.ids.familyId, year: 2026 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(childcareCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, year: 2027 })).rejects.toThrow('L’année 2027 n’est pas encore commencée.');
    await expect(presenceCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, from: '2026-03-10', to: '2026-03-01' })).rejects.toThrow('La date de fin doit être postérieure');
    await expect(presenceCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, from: '2024-01-01', to: '2026-01-01' })).rejects.toThrow('un an');
    const none = await presenceCertificate(t.ctx, t.actors.parent, { familyId: t.ids.familyId, from: '2026-01-01', to: '2026-01-31' });
    expect(none.noCertificate).toBe('Aucune présence pointée du 01/01/2026 au 31/01/2026 : pas d’attestation de présence pour cette période.');
  });
});
