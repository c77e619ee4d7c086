import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBalances } from './balances.js';
import { familyReminders, reminderLetters, sendReminders } from './reminders.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { createTestDb, type TestDb } from './test-support.js';
import { adjustWallet } from './wallet.js';

let t: TestDb;
const KEY = 'relance-0001';

beforeEach(async () => {
  t = await createTestDb();
  const { ids, ctx, actors } = t;
  // DEVRET has a billing address by its parent account; MARTIN has none: a letter.
  await t.db('parent_accounts').where('id', ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
  await t.db('parent_accounts').where('id', ids.otherParentAccountId).update({ email: null });
  await t.db('contacts').insert({ family_id: ids.otherFamilyId, relationship: 'PERE', last_name: 'MARTIN', first_name: 'Paul', address1: '3 chemin des Vignes', postal_code: '24230', city: 'VÉLINES', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletPeriscolaireId, amountCents: -1250, reason: 'test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.familyId, walletId: ids.walletRestaurationId, amountCents: 400, reason: 'test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId, amountCents: -320, reason: 'test' });
  await adjustWallet(ctx, actors.admin, { familyId: ids.otherFamilyId, walletId: ids.walletTransportId, amountCents: 5000, reason: 'test' });
});
afterEach(async () => {
  await t.db.destroy();
});

const reminderMails = () => t.db('mail_outbox').where('kind', 'balance_reminder').orderBy('id');

describe('listBalances', () => {
  it('filters negative, under the threshold, by wallet and school; sorts and counts', async () => {
    const { ids, ctx, actors } = t;
    const negative = await listBalances(ctx, actors.secretariat, { filter: 'negative' });
    expect(negative.rows.map((r) => [r.familyName, r.walletLabel, r.balanceCents, r.hasEmail])).toEqual([
      ['DEVRET', 'Garderie', -1250, true],
      ['MARTIN', 'Restauration scolaire', -320, false],
    ]);
    expect(negative.total).toBe(2);
    const under = await listBalances(ctx, actors.secretariat, { filter: 'under' });
    expect(under.rows.map((r) => r.balanceCents)).toEqual([-1250, -320, 400]);
    const all = await listBalances(ctx, actors.secretariat, { filter: 'all', sort: 'name' });
    expect(all.rows.map((r) => `${r.familyName}/${r.walletLabel}`)).toEqual(['DEVRET/Restauration scolaire', 'DEVRET/Garderie', 'MARTIN/Restauration scolaire', 'MARTIN/Transport']);
    expect((await listBalances(ctx, actors.secretariat, { filter: 'all', walletId: ids.walletTransportId })).rows.map((r) => r.balanceCents)).toEqual([5000]);
    // Only DEVRET has a child at the maternelle.
    expect((await listBalances(ctx, actors.secretariat, { filter: 'negative', schoolId: ids.schoolMaternelleId })).rows.map((r) => r.familyName)).toEqual(['DEVRET']);
    await expect(listBalances(ctx, actors.restauration, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('sendReminders', () => {
  it('mails families with an address, records a letter for the others, once per key', async () => {
    const { ids, ctx, actors } = t;
    const targets = [
      { familyId: ids.familyId, walletId: ids.walletPeriscolaireId },
      { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId },
      // No longer owing: skipped.
      { familyId: ids.otherFamilyId, walletId: ids.walletTransportId },
    ];
    const first = await sendReminders(ctx, actors.secretariat, { idempotencyKey: KEY, targets });
    expect(first).toMatchObject({ mailed: 1, letters: 1, skipped: 1, replayed: false });
    expect(first.message).toBe('1 famille relancée par e-mail, 1 courrier à imprimer, 1 solde déjà régularisé : rien envoyé.');

    const mails = await reminderMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to_address: 'chantal.devret@example.fr', family_id: ids.familyId, subject: 'eTicket : solde à régulariser' });
    expect(mails[0].text_body).toContain('Garderie : -12,50 €');
    expect(mails[0].text_body).toContain('Créditer mon compte');
    expect(mails[0].text_body).toContain('au secrétariat de la Mairie, en espèces, par chèque ou par carte bancaire');

    // A second call with the same key (a double click) sends nothing more.
    const again = await sendReminders(ctx, actors.secretariat, { idempotencyKey: KEY, targets });
    expect(again).toMatchObject({ mailed: 1, letters: 1, replayed: true });
    expect(await reminderMails()).toHaveLength(1);
    expect(await t.db('family_reminders').count({ n: '*' }).first()).toMatchObject({ n: 2 });

    const file = await familyReminders(ctx, actors.secretariat, ids.familyId);
    expect(file.reminders).toEqual([
      expect.objectContaining({ sentOn: '2026-03-02', channel: 'mail', walletLabel: 'Garderie', amountCents: -1250, staffName: 'Sophie Secrétariat' }),
    ]);
    const audits = await t.db('audit_log').where('action', 'balance.remind');
    expect(audits).toHaveLength(2);
    expect((await listBalances(ctx, actors.secretariat, { filter: 'negative' })).rows.map((r) => r.lastReminderOn)).toEqual(['2026-03-02', '2026-03-02']);

    const letters = await reminderLetters(ctx, actors.secretariat, KEY);
    expect(letters.count).toBe(1);
    const text = await pdfToText(letters.pdf);
    expect(text).toContain('Monsieur Paul MARTIN');
    expect(text).toContain('3 chemin des Vignes');
    expect(text).toContain('-3,20 €');
    expect(text).toContain('Comment payer ?');
    expect(text).not.toContain('DEVRET');
  });

  it('one page per family in the letters', async () => {
    const { ids, ctx, actors } = t;
    await t.db('parent_accounts').update({ email: null });
    await sendReminders(ctx, actors.admin, { idempotencyKey: 'lettres-02', targets: [{ familyId: ids.familyId, walletId: ids.walletPeriscolaireId }, { familyId: ids.otherFamilyId, walletId: ids.walletRestaurationId }] });
    const letters = await reminderLetters(ctx, actors.admin, 'lettres-02');
    expect(letters.count).toBe(2);
    const pages = (await pdfToText(letters.pdf)).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('DEVRET');
    expect(pages[1]).toContain('MARTIN');
  });

  it('refuses bad input and other roles, writing nothing', async () => {
    const { ids, ctx, actors } = t;
    const target = [{ familyId: ids.familyId, walletId: ids.walletPeriscolaireId }];
    await expect(sendReminders(ctx, actors.restauration, { idempotencyKey: KEY, targets: target })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(sendReminders(ctx, actors.secretariat, { idempotencyKey: 'x', targets: target })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(sendReminders(ctx, actors.secretariat, { idempotencyKey: KEY, targets: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(sendReminders(ctx, actors.secretariat, { idempotencyKey: KEY, targets: [{ familyId: 99999, walletId: ids.walletPeriscolaireId }] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await reminderMails()).toHaveLength(0);
    expect(await t.db('family_reminders').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await expect(reminderLetters(ctx, actors.secretariat, KEY)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
