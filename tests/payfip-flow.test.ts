/**
 * The whole PayFiP flow on loopback: the real Express app and the PayFiP simulator on random
 * ports, a real SQLite file. The parent's browser is played with fetch: it opens the payment
 * page, clicks a button, and follows the auto-submitted form back to /payfip/retour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../core/test-support.js';
import { openDb, type Db } from '../db/index.js';
import { createServer } from '../server/app.js';
import { startPayfipSimulator, type RunningSimulator } from '../simulator/server.js';
import { storePayfipSettings } from '../core/payfip/settings.js';
import { checkPendingPayments, createTopUp, getTopUp, settlePayment } from '../core/payments.js';
import { getBalance } from '../core/wallet.js';
import { createPayfipClient } from '../core/adapters/payfip-soap.js';
import { DomainError } from '../core/errors.js';

let dir: string;
let t: TestDb;
let sim: RunningSimulator;
let server: http.Server;
let appUrl: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-payfip-'));
  t = await createTestDb({ filename: path.join(dir, 'eticket.sqlite') });
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
  sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1' });
  const app = createServer({
    db: t.db,
    clock: t.clock,
    config: { dataDir: dir, publicUrl: 'http://127.0.0.1', demo: false, secureCookies: false },
  });
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await storePayfipSettings(
    t.db,
    { numcli: '123456', saisie: 'T', serviceUrl: sim.serviceUrl, paymentPageUrl: sim.paymentPageUrl, publicBaseUrl: appUrl, simulator: true },
    t.clock.now(),
  );
});

afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  await t.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(sim.options, { notifyTimes: 1, notifyDelayMs: 0, dropNotifications: false, notifyConcurrently: false });
});
afterEach(async () => {
  await sim.idle();
});

const wallet = () => t.ids.walletRestaurationId;
const balance = () => getBalance(t.db, t.ids.familyId, wallet());

async function counts(paymentId: number) {
  const n = async (q: PromiseLike<Array<Record<string, unknown>>>) => Number(Object.values((await q)[0] ?? { n: 0 })[0]);
  return {
    ledger: await n(t.db('ledger_entries').where('online_payment_id', paymentId).count({ n: '*' })),
    invoices: await n(t.db('invoices').where('online_payment_id', paymentId).count({ n: '*' })),
    mails: await n(
      t.db('mail_outbox').where({ kind: 'payment_confirmation', family_id: t.ids.familyId }).where('text_body', 'like', `%${(await t.db('online_payments').where('id', paymentId).first('refdet')).refdet}%`).count({ n: '*' }),
    ),
  };
}

/** The parent's browser on PayFiP's page: click a button, then follow the form back to the commune. */
async function browserChooses(redirectUrl: string, action: 'payer' | 'refuser' | 'abandonner', opts: { comeBack?: boolean } = {}) {
  const page = await fetch(redirectUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('>Payer<');
  const idop = /name="idop" value="([^"]+)"/.exec(html)![1]!;
  const chosen = await fetch(new URL('/tpa/paiementws.web', redirectUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idop, action }).toString(),
  });
  const back = await chosen.text();
  const formAction = /<form method="post" action="([^"]+)" id="retour">/.exec(back)![1]!.replace(/&amp;/g, '&');
  const backIdop = /name="idop" value="([^"]+)"/.exec(back)![1]!;
  expect(backIdop).toBe(idop);
  if (opts.comeBack === false) return { idop, location: null };
  const retour = await fetch(formAction, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idop: backIdop }).toString(),
    redirect: 'manual',
  });
  expect(retour.status).toBe(303);
  return { idop, location: retour.headers.get('location') };
}

async function notify(idop: string): Promise<number> {
  const res = await fetch(`${appUrl}/payfip/notification`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idop }).toString(),
  });
  await res.text();
  return res.status;
}

describe('PayFiP flow against the simulator', () => {
  it('paid: the wallet is credited once, a paid invoice and a confirmation mail are written', async () => {
    const before = await balance();
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 2000 });
    expect(redirectUrl).toMatch(new RegExp(`^${sim.paymentPageUrl}\\?idop=[0-9a-f-]{36}$`));
    const pending = await t.db('online_payments').where('id', paymentId).first();
    expect(pending).toMatchObject({ status: 'pending', amount_cents: 2000, family_id: t.ids.familyId, email: 'chantal.devret@example.fr' });
    expect(pending.refdet).toMatch(/^[A-Za-z0-9]{1,30}$/);
    expect(pending.objet).toMatch(/^[A-Za-z0-9 ]{1,100}$/);

    const { location } = await browserChooses(redirectUrl, 'payer');
    expect(location).toBe(`/factures?paiement=${paymentId}`);
    await sim.idle();

    expect(await balance()).toBe(before + 2000);
    expect(await counts(paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
    const status = await getTopUp(t.ctx, t.actors.parent, paymentId);
    expect(status).toMatchObject({ status: 'paid', amountCents: 2000, walletId: wallet() });
    expect(status.invoiceNumber).toMatch(/^F\d{4}-\d{6}$/);
    expect(status.paidAtLocal).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const invoice = await t.db('invoices').where('online_payment_id', paymentId).first();
    expect(invoice).toMatchObject({ kind: 'topup', status: 'paid', total_cents: 2000, family_id: t.ids.familyId });
    const mail = await t.db('mail_outbox').where('kind', 'payment_confirmation').orderBy('id', 'desc').first();
    expect(mail.to_address).toBe('chantal.devret@example.fr');
    expect(mail.subject).toContain('20,00 €');
    expect(mail.text_body).toContain(invoice.number);

    // A parent of another family does not see it.
    await expect(getTopUp(t.ctx, t.actors.otherParent, paymentId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refused: nothing credited, final at once; abandoned: nothing credited, final only after 20 minutes', async () => {
    const before = await balance();
    const refused = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 1500 });
    expect((await browserChooses(refused.redirectUrl, 'refuser')).location).toBe(`/factures?paiement=${refused.paymentId}`);
    await sim.idle();
    const r = await getTopUp(t.ctx, t.actors.parent, refused.paymentId);
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/refusé par la banque\. Aucun montant n’a été débité/);

    const abandoned = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 1500 });
    const { idop, location } = await browserChooses(abandoned.redirectUrl, 'abandonner');
    expect(location).toBe(`/factures?paiement=${abandoned.paymentId}`);
    await sim.idle();
    // Within 20 minutes an A is not final: the parent may still pay with the same idOp.
    const a = await getTopUp(t.ctx, t.actors.parent, abandoned.paymentId);
    expect(a.status).toBe('pending');
    expect(a.message).toMatch(/quitté la page de paiement sans payer : aucun montant n’a été débité pour l’instant/);
    expect(await t.db('online_payments').where('id', abandoned.paymentId).first('resultrans')).toEqual({ resultrans: 'A' });
    t.clock.advanceMinutes(21);
    expect(await settlePayment(t.ctx, idop)).toEqual({ outcome: 'abandoned', paymentId: abandoned.paymentId });
    const final = await getTopUp(t.ctx, t.actors.parent, abandoned.paymentId);
    expect(final.status).toBe('abandoned');
    expect(final.message).toMatch(/Aucun montant n’a été débité/);

    expect(await balance()).toBe(before);
    for (const id of [refused.paymentId, abandoned.paymentId]) expect(await counts(id)).toEqual({ ledger: 0, invoices: 0, mails: 0 });
  });

  it('abandoned, then back on PayFiP’s page and paid with the same idOp: credited once, however many notifications', async () => {
    const before = await balance();
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 2600 });
    await browserChooses(redirectUrl, 'abandonner');
    await sim.idle();
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('pending');
    t.clock.advanceMinutes(5);
    sim.options.notifyTimes = 4;
    const { location } = await browserChooses(redirectUrl, 'payer');
    expect(location).toBe(`/factures?paiement=${paymentId}`);
    await sim.idle();
    for (let i = 0; i < 3; i++) expect(await notify(new URL(redirectUrl).searchParams.get('idop')!)).toBe(200);
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('paid');
    expect(await balance()).toBe(before + 2600);
    expect(await counts(paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
  });

  it('a notification replayed ten times credits once', async () => {
    sim.options.notifyTimes = 10;
    const before = await balance();
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 3000 });
    const { idop } = await browserChooses(redirectUrl, 'payer', { comeBack: false });
    await sim.idle();
    expect(sim.payments.get(idop)!.notifications.map((n) => n.status)).toEqual(Array(10).fill(200));
    // …and the browser comes back afterwards, and PayFiP replays ten more.
    expect(await notify(idop)).toBe(200);
    await sim.notify(idop, 10);
    expect(await balance()).toBe(before + 3000);
    expect(await counts(paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
  });

  it('ten concurrent notifications credit once (over HTTP, and straight into settlePayment)', async () => {
    sim.options.dropNotifications = true;
    const before = await balance();
    const first = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 4000 });
    const { idop } = await browserChooses(first.redirectUrl, 'payer', { comeBack: false });
    const statuses = await sim.notify(idop, 10, true);
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await balance()).toBe(before + 4000);
    expect(await counts(first.paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });

    // Without the route's sharing of in-flight settlements: ten settlePayment calls at once.
    const second = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 4100 });
    const { idop: idop2 } = await browserChooses(second.redirectUrl, 'payer', { comeBack: false });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => settlePayment(t.ctx, idop2)));
    expect(outcomes.filter((o) => o.outcome === 'paid')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already_paid')).toHaveLength(9);
    expect(await counts(second.paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
    expect(await balance()).toBe(before + 4000 + 4100);
  });

  it('two connections on the same database file settling at once credit once', async () => {
    sim.options.dropNotifications = true;
    const before = await balance();
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 2500 });
    const { idop } = await browserChooses(redirectUrl, 'payer', { comeBack: false });
    const others: Db[] = [openDb({ filename: path.join(dir, 'eticket.sqlite') }), openDb({ filename: path.join(dir, 'eticket.sqlite') })];
    try {
      const outcomes = await Promise.all([
        ...others.map((db) => settlePayment({ ...t.ctx, db }, idop)),
        settlePayment(t.ctx, idop),
        ...others.map((db) => settlePayment({ ...t.ctx, db }, idop)),
      ]);
      expect(outcomes.filter((o) => o.outcome === 'paid')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'already_paid')).toHaveLength(4);
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
    expect(await balance()).toBe(before + 2500);
    expect(await counts(paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
  });

  it('a notification for an unknown or forged idop credits nothing', async () => {
    sim.options.dropNotifications = true;
    const before = await balance();
    const ledgerBefore = await t.db('ledger_entries').count({ n: '*' }).first();
    const soapCallsBefore = sim.payments.size;

    for (const forged of ['00000000-0000-0000-0000-000000000000', "' OR 1=1 --", '<idOp>x</idOp>', 'a'.repeat(500), '']) {
      const status = await notify(forged);
      expect([200, 400]).toContain(status);
    }
    const retour = await fetch(`${appUrl}/payfip/retour`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'idop=00000000-0000-0000-0000-000000000000&resultrans=P&montant=999999',
      redirect: 'manual',
    });
    expect(retour.status).toBe(303);
    expect(retour.headers.get('location')).toBe('/factures');

    // A real idOp of PayFiP that is not one of our payments (someone else's payment, replayed here).
    const foreign = await createPayfipClient({ serviceUrl: sim.serviceUrl }).creerPaiementSecurise({
      exer: 2026,
      mel: 'autre@example.fr',
      montant: 50000,
      numcli: '123456',
      objet: 'Autre',
      refdet: 'AUTRE0001',
      saisie: 'T',
      urlnotif: `${appUrl}/payfip/notification`,
      urlredirect: `${appUrl}/payfip/retour`,
    });
    await sim.complete(foreign, 'P', false);
    expect(await notify(foreign)).toBe(200);
    expect((await settlePayment(t.ctx, foreign)).outcome).toBe('unknown');

    // Our own payment, notified before the parent paid anything: PayFiP says P5, nothing moves.
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 9000 });
    const ourIdop = new URL(redirectUrl).searchParams.get('idop')!;
    expect(await notify(ourIdop)).toBe(200);
    expect((await settlePayment(t.ctx, ourIdop)).outcome).toBe('pending');
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('pending');

    expect(await balance()).toBe(before);
    expect(await t.db('ledger_entries').count({ n: '*' }).first()).toEqual(ledgerBefore);
    expect(sim.payments.size).toBe(soapCallsBefore + 2);
    // Leave it refused (final) so it does not disturb the checker tests.
    await sim.complete(ourIdop, 'R', false);
    await settlePayment(t.ctx, ourIdop);
  });

  it('a payment whose notification never comes is settled by the later check', async () => {
    sim.options.dropNotifications = true;
    const before = await balance();
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 1234 });
    await browserChooses(redirectUrl, 'payer', { comeBack: false }); // browser closed before coming back
    await sim.idle();
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('pending');

    // Too early: left alone for the first minute.
    expect((await checkPendingPayments(t.ctx)).checked).toBe(0);
    t.clock.advanceMinutes(2);
    const result = await checkPendingPayments(t.ctx);
    expect(result).toMatchObject({ checked: 1, paid: 1 });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('paid');
    expect(await balance()).toBe(before + 1234);
    expect(await counts(paymentId)).toEqual({ ledger: 1, invoices: 1, mails: 1 });
  });

  it('a payment left open is checked again (P5) and expires after about 20 minutes', async () => {
    const { paymentId } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents: 777 });
    t.clock.advanceMinutes(2);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, stillPending: 1, expired: 0 });
    const row = await t.db('online_payments').where('id', paymentId).first();
    expect(row.check_count).toBe(1);
    expect(row.last_error).toContain('P5');
    // Checked at most once a minute.
    expect((await checkPendingPayments(t.ctx)).checked).toBe(0);
    t.clock.advanceMinutes(19);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, expired: 1 });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('expired');
    expect(await counts(paymentId)).toEqual({ ledger: 0, invoices: 0, mails: 0 });
  });

  it('accepts amounts at the limits and refuses beyond them with a French message, writing nothing', async () => {
    for (const amountCents of [100, 999999]) {
      const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents });
      const idop = new URL(redirectUrl).searchParams.get('idop')!;
      expect(sim.payments.get(idop)!.montant).toBe(amountCents);
      await sim.complete(idop, 'R', false);
      expect((await settlePayment(t.ctx, idop)).outcome).toBe('refused');
      expect(paymentId).toBeGreaterThan(0);
    }
    const paymentsBefore = await t.db('online_payments').count({ n: '*' }).first();
    const simBefore = sim.payments.size;
    for (const amountCents of [99, 1000000, 12.5, 0, -100, Number.NaN]) {
      const err = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents }).catch((e: unknown) => e);
      expect(err, String(amountCents)).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('VALIDATION');
      expect((err as DomainError).message).toMatch(amountCents === 12.5 || Number.isNaN(amountCents) ? /Montant invalide/ : /entre 1,00 € et 9 999,99 €/);
    }
    expect(await t.db('online_payments').count({ n: '*' }).first()).toEqual(paymentsBefore);
    expect(sim.payments.size).toBe(simBefore);
  });
});
