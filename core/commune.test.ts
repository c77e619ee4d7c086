/**
 * The commune is data: a second commune's papers and mails name it, and not one word of the demo's.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMUNE as DEMO_COMMUNE } from './demo/data.js';
import { addClosure } from './activities-admin.js';
import { requestPasswordReset } from './auth.js';
import { applyBookingChanges } from './bookings.js';
import { communeFromStored, getCommune, saveCommune } from './commune.js';
import { toBuffer, writeCashJournalXlsx } from './exports.js';
import { issueInvoice } from './invoices.js';
import { loadMailCommune } from './mail/commune.js';
import { paymentConfirmationMail } from './mail/templates.js';
import { getMealList } from './meals.js';
import { createThread } from './messages.js';
import { cashJournalPdf } from './pdf/cash-journal.js';
import { invoicePdf, statementPdf } from './pdf/invoice.js';
import { mealListPdf } from './pdf/meal-list.js';
import { pdfToText } from '../tests/support/pdf-text.js';
import { receiptPdf } from './pdf/receipt.js';
import { createPortalLogin, welcomeLetter } from './portal-access.js';
import { cashJournal, recordCounterSale } from './sales.js';
import { createTestDb, TEST_COMMUNE, type TestDb } from './test-support.js';
import { writeTransaction } from './tx.js';
import { adjustWallet } from './wallet.js';
import { BLANK_COMMUNE, communeTitle, mairieTitle } from '../api/commune.js';

/** Words of the demo commune that must not leak into another commune's papers. */
const FIRST_COMMUNE = /Port-Sainte|Ponchapt|port-sainte|Dordogne|Bergerac|33220/;

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ withCommune: false });
});
afterEach(async () => {
  await t.db.destroy();
});

describe('the commune record', () => {
  it('is blank on a new install: papers say "eTicket", the mairie has no name yet', async () => {
    expect(await getCommune(t.db)).toEqual(BLANK_COMMUNE);
    expect(communeTitle(BLANK_COMMUNE)).toBe('eTicket');
    expect(mairieTitle({ name: 'Eysines' })).toBe('Mairie d’Eysines');
    expect(communeTitle({ name: 'Bordeaux' })).toBe('Commune de Bordeaux');
  });

  it('is saved by the admin only, refused in French next to its field, audited with before and after', async () => {
    await expect(saveCommune(t.ctx, t.actors.secretariat, TEST_COMMUNE)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(saveCommune(t.ctx, t.actors.admin, { ...TEST_COMMUNE, name: ' ' })).rejects.toMatchObject({
      code: 'VALIDATION', details: { field: 'name' }, message: expect.stringMatching(/^Nom de la commune/),
    });
    await expect(saveCommune(t.ctx, t.actors.admin, { ...TEST_COMMUNE, email: 'pas-une-adresse' })).rejects.toMatchObject({ details: { field: 'email' } });
    await expect(saveCommune(t.ctx, t.actors.admin, { ...TEST_COMMUNE, website: 'javascript:alert(1)' })).rejects.toMatchObject({ details: { field: 'website' } });
    expect(await getCommune(t.db)).toEqual(BLANK_COMMUNE); // nothing written by the refusals

    expect(await saveCommune(t.ctx, t.actors.admin, { ...TEST_COMMUNE, address: [...TEST_COMMUNE.address, ''] })).toEqual(TEST_COMMUNE);
    expect(await getCommune(t.db)).toEqual(TEST_COMMUNE);
    const row = await t.db('audit_log').where('action', 'settings.commune').first();
    expect(JSON.parse(row.before_json)).toEqual(BLANK_COMMUNE);
    expect(JSON.parse(row.after_json)).toMatchObject({ name: 'Saint-Exemple' });
  });

  it('reads the first version’s record of the demo', () => {
    expect(communeFromStored({ name: 'Commune de Port-Sainte-Foy-et-Ponchapt', shortName: 'Port-Sainte-Foy-et-Ponchapt', department: 'Département de la Dordogne' }))
      .toMatchObject({ name: 'Port-Sainte-Foy-et-Ponchapt', department: 'Dordogne' });
  });
});

describe('a second commune', () => {
  beforeEach(async () => {
    await saveCommune(t.ctx, t.actors.admin, TEST_COMMUNE);
  });

  it('signs every paper, mail and workbook, and none names the demo commune', async () => {
    const texts: Array<[string, string]> = [];
    const paper = async (what: string, bytes: Uint8Array) => texts.push([what, await pdfToText(bytes)]);
    const commune = await getCommune(t.db);

    // The counter: a receipt and the day's cash journal (PDF and xlsx).
    const receipt = await recordCounterSale(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, activityId: t.ids.activityIds.cantine, tickets: 10, method: 'especes' });
    await paper('reçu', await receiptPdf(receipt, commune));
    const journal = await cashJournal(t.ctx, receipt.businessDate);
    await paper('journal de caisse', await cashJournalPdf(journal, commune));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toBuffer((out) => writeCashJournalXlsx(journal, out, communeTitle(commune)))) as unknown as ArrayBuffer);
    expect(wb.creator).toBe('eTicket — Commune de Saint-Exemple');

    // Mes factures: an invoice and the month's statement.
    const inv = await writeTransaction(t.db, (trx) =>
      issueInvoice(trx, { familyId: t.ids.familyId, kind: 'topup', status: 'paid', lines: [{ label: 'Crédit Cantine', quantity: 1, unitCents: 2000 }] }, t.clock.now()),
    );
    await paper('facture', (await invoicePdf(t.ctx, t.actors.parent, inv.invoiceId)).bytes);
    await paper('relevé', (await statementPdf(t.ctx, t.actors.parent, { familyId: t.ids.familyId, month: '2026-03' })).bytes);

    // The kitchen's meal list.
    await applyBookingChanges(t.ctx, t.actors.parent, { familyId: t.ids.familyId, changes: [{ childId: t.ids.childJuliaId, activityId: t.ids.activityIds.cantine, date: '2026-03-05', action: 'book' }] });
    await paper('liste des repas', await mealListPdf(await getMealList(t.ctx, { date: '2026-03-05' }), commune));

    // The welcome letter.
    const [c] = await t.db('contacts')
      .insert({ family_id: t.ids.familyId, relationship: 'MERE', last_name: 'DEVRET', first_name: 'Chantal', email: 'chantal@exemple.fr', use_for_billing: true, created_at: 'x', updated_at: 'x' })
      .returning('id');
    const contactId = typeof c === 'object' ? (c as { id: number }).id : (c as number);
    await t.db('parent_accounts').where({ username: 'chantal.devret' }).update({ username: 'ancien.compte', email: 'chantal@exemple.fr' });
    const login = await createPortalLogin(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, contactId });
    const letter = await welcomeLetter(t.ctx, t.actors.secretariat, {
      familyId: t.ids.familyId, parentAccountId: login.parentAccountId, temporaryPassword: login.temporaryPassword, portalUrl: 'https://portail.saint-exemple.fr/',
    });
    await paper('lettre de bienvenue', letter.pdf);
    const letterText = texts.at(-1)![1];
    expect(letterText).toMatch(/Saint-Exemple, le /);
    expect(letterText).toContain('Service enfance de la Mairie de Saint-Exemple : enfance@saint-exemple.fr — Tél. 05 56 00 00 00');

    // Mails: password reset, a message of the secretariat, the low-balance alert, a closure.
    await requestPasswordReset(t.ctx, { identifier: 'ancien.compte', publicUrl: 'https://portail.saint-exemple.fr' });
    await createThread(t.ctx, t.actors.secretariat, { familyId: t.ids.familyId, subject: 'Sortie', body: 'Bonjour', portalUrl: 'https://portail.saint-exemple.fr' });
    await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId, amountCents: 2000, reason: 'test' });
    await adjustWallet(t.ctx, t.actors.admin, { familyId: t.ids.familyId, walletId: t.ids.walletPeriscolaireId, amountCents: -1500, reason: 'test' });
    await addClosure(t.ctx, t.actors.admin, { kind: 'mairie', label: 'Grève', dateFrom: '2026-03-05', dateTo: '2026-03-05', activityId: null, schoolId: null });
    const mails: Array<{ kind: string; subject: string; text_body: string; html_body: string }> = await t.db('mail_outbox').select('kind', 'subject', 'text_body', 'html_body');
    expect(new Set(mails.map((m) => m.kind))).toEqual(new Set(['password_reset', 'message_from_mairie', 'low_balance', 'closure_cancellation']));
    for (const m of mails) texts.push([`mail ${m.kind}`, `${m.subject}\n${m.text_body}\n${m.html_body}`]);
    const confirmation = paymentConfirmationMail({
      amountCents: 2000, walletLabel: 'Cantine', refdet: 'R1', paidAtLocal: null, invoiceNumber: 'F1', balanceCents: 0, portalUrl: 'https://portail.saint-exemple.fr', commune: await loadMailCommune(t.db),
    });
    texts.push(['mail payment', `${confirmation.text}\n${confirmation.html}`]);

    expect(texts).toHaveLength(6 + 5);
    for (const [what, text] of texts) {
      expect(text, what).toContain('Saint-Exemple');
      expect(text, what).not.toMatch(FIRST_COMMUNE);
    }
    // And the demo's own record still says Port-Sainte-Foy: the name lives in the demo data only.
    expect(DEMO_COMMUNE.name).toBe('Port-Sainte-Foy-et-Ponchapt');
  });
});
