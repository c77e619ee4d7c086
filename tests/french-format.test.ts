import { afterEach, describe, expect, it } from 'vitest';
import { formatEuros as apiEuros, formatInstantDayTimeFr, ofMonthFr, dayOfMonthFr } from '../api/format.js';
import { formatEuros as rulesEuros } from '../api/rules.js';
import { formatCents, formatCentsPlain } from '../core/money.js';
import { formatDateLongFr } from '../core/dates.js';
import { statementPdf } from '../core/pdf/invoice.js';
import { pdfToText } from './support/pdf-text.js';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { writeTransaction } from '../core/tx.js';
import { appendLedgerEntry } from '../core/wallet.js';
import { formatDate, formatDateLong, formatEuros as webEuros, formatMonth, formatOfMonth } from '../web/src/format.js';

/**
 * Every money and date formatter that portal pages and the invoice/statement PDFs use: no
 * "-0,00 €", "1er" for the first of the month, "d’" before a vowel.
 */

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('money formatters', () => {
  it('never print "-0,00 €", in the clients and on the server', () => {
    for (const format of [apiEuros, rulesEuros, webEuros, formatCents, formatCentsPlain]) {
      expect(plain(format(-0))).toBe('0,00 €');
      expect(plain(format(0))).toBe('0,00 €');
      expect(plain(format(Math.round(-0.4)))).toBe('0,00 €');
      expect(plain(format(-5))).toBe('-0,05 €');
      expect(plain(format(123456))).toBe('1 234,56 €');
    }
  });
});

describe('date formatters', () => {
  it('write the first of the month "1er", in the portal and on the server', () => {
    expect(dayOfMonthFr(1)).toBe('1er');
    expect(dayOfMonthFr(2)).toBe('2');
    expect(formatDate('2026-02-01')).toBe('1er février 2026');
    expect(formatDate('2026-03-09')).toBe('9 mars 2026');
    expect(formatDateLong('2026-03-01')).toBe('dimanche 1er mars 2026');
    expect(formatDateLongFr('2026-02-01')).toBe('dimanche 1er février 2026');
    expect(formatDateLongFr('2026-11-11')).toBe('mercredi 11 novembre 2026');
  });

  it('elide "de" before a vowel: Relevé d’octobre, d’avril, d’août, de mars', () => {
    expect(ofMonthFr('2026-10')).toBe('d’octobre 2026');
    expect(ofMonthFr('2026-04')).toBe('d’avril 2026');
    expect(ofMonthFr('2026-08')).toBe('d’août 2026');
    expect(ofMonthFr('2026-03')).toBe('de mars 2026');
    expect(ofMonthFr('2026-02')).toBe('de février 2026');
    expect(formatOfMonth('2026-10')).toBe('d’octobre 2026');
    expect(formatMonth('2026-10')).toBe('octobre 2026');
  });
});

describe('statement PDF', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.db.destroy();
  });

  it('reads "1er" and no "-0,00 €" in a month with credits only', async () => {
    t = await createTestDb({ now: '2026-02-10T08:00:00Z' });
    const db = t.db;
    const now = t.clock.now();
    await writeTransaction(db, (trx) =>
      appendLedgerEntry(trx, { familyId: t!.ids.familyId, walletId: t!.ids.walletRestaurationId, amountCents: 2000, kind: 'adjustment', label: 'Crédit de février' }, now),
    );
    t.clock.set('2026-03-05T08:00:00Z');
    const text = plain(await pdfToText((await statementPdf(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-02' })).bytes));
    expect(text.replace(/\s+/g, ' ')).toContain('du dimanche 1er février 2026 au samedi 28 février 2026');
    expect(text).toMatch(/Total du mois\s+0,00 €\s+20,00 €/);
    expect(text).not.toContain('-0,00');
  });
});

describe('formatInstantDayTimeFr', () => {
  it('reads an instant as Paris does, across midnight and summer time', () => {
    expect(formatInstantDayTimeFr('2026-02-28T23:30:00Z')).toBe('1er mars 2026 à 0 h 30');
    expect(formatInstantDayTimeFr('2026-07-14T08:05:00.000Z')).toBe('14 juillet 2026 à 10 h 05');
    expect(formatInstantDayTimeFr('pas une date')).toBe('date inconnue');
  });
});
