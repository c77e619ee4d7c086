/**
 * One PayFiP payment for several wallets, over HTTP: the real Express app with sessions and CSRF,
 * a real SQLite file, the PayFiP simulator behind a recording proxy (its SOAP bodies are checked
 * against the DGFiP's XSD), the parent's browser played with fetch. Each wallet of the split is
 * credited exactly once whatever arrives: replayed and concurrent notifications, the browser's
 * return racing them, a second connection, the background checker.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { checkPendingPayments, createTopUp, settlePayment } from '../../core/payments.js';
import { getBalance } from '../../core/wallet.js';
import { storePayfipSettings } from '../../core/payfip/settings.js';
import { pdfToText } from '../support/pdf-text.js';
import { openDb } from '../../db/index.js';
import { startPayfipSimulator, type RunningSimulator } from '../../simulator/server.js';
import type { TopUpAnswer, TopUpStatus } from '../../api/payments.js';
import type { OnlinePaymentsPage } from '../../api/online-payments.js';
import { Browser, PASSWORD, signedInStaff, snapshotCounts, startHarness, type Harness } from './harness.js';

const NOW = '2026-03-02T09:00:00.000Z';
let dir: string;
let t: TestDb;
let h: Harness;
let sim: RunningSimulator;
let proxy: http.Server;
let proxyUrl: string;
/** Every SOAP request our server sent to PayFiP, and the answer it got. */
const exchanges: Array<{ request: string; response: string }> = [];
let parent: Browser;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-split-'));
  t = await createTestDb({ now: NOW, filename: path.join(dir, 'eticket.sqlite') });
  const hash = await hashPassword(PASSWORD);
  await t.db('staff_users').update({ password_hash: hash });
  await t.db('parent_accounts').update({ password_hash: hash, email: 'chantal.devret@example.fr' });
  sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1' });
  // A recording proxy in front of the simulator's SOAP endpoint.
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = Buffer.concat(chunks).toString('utf8');
      void fetch(sim.serviceUrl, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'text/xml' }, body: request }).then(async (r) => {
        const response = await r.text();
        exchanges.push({ request, response });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/xml' }).end(response);
      });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/tpa/services/securite`;
  h = await startHarness({ db: t.db, clock: t.clock });
  await storePayfipSettings(
    t.db,
    { numcli: '123456', saisie: 'T', serviceUrl: proxyUrl, paymentPageUrl: sim.paymentPageUrl, publicBaseUrl: h.url, simulator: true },
    t.clock.now(),
  );
  parent = new Browser(h.url);
  expect((await parent.loginParent('chantal.devret')).status).toBe(200);
});

afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => proxy.close(() => r()));
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(sim.options, { notifyTimes: 1, notifyDelayMs: 0, dropNotifications: false, notifyConcurrently: false });
});
afterEach(async () => {
  await sim.idle();
});

const R = () => t.ids.walletRestaurationId;
const P = () => t.ids.walletPeriscolaireId;
const balances = async () => [await getBalance(t.db, t.ids.familyId, R()), await getBalance(t.db, t.ids.familyId, P())];

async function counts(paymentId: number) {
  const n = async (q: PromiseLike<Array<Record<string, unknown>>>) => Number(Object.values((await q)[0] ?? { n: 0 })[0]);
  const { refdet } = await t.db('online_payments').where('id', paymentId).first('refdet');
  return {
    perWallet: Object.fromEntries(
      ((await t.db('ledger_entries').where('online_payment_id', paymentId).groupBy('wallet_id').select('wallet_id').count({ n: '*' })) as Array<{ wallet_id: number; n: number }>).map((r) => [
        r.wallet_id,
        Number(r.n),
      ]),
    ),
    invoices: await n(t.db('invoices').where('online_payment_id', paymentId).count({ n: '*' })),
    mails: await n(t.db('mail_outbox').where('kind', 'payment_confirmation').where('text_body', 'like', `%${refdet}%`).count({ n: '*' })),
  };
}

/** The parent on PayFiP's page: opens it and clicks; answers the idop and the auto-submitted return form. */
async function payOnPayfip(redirectUrl: string, action: 'payer' | 'refuser' = 'payer') {
  const page = await (await fetch(redirectUrl)).text();
  const idop = /name="idop" value="([^"]+)"/.exec(page)![1]!;
  const chosen = await fetch(new URL('/tpa/paiementws.web', redirectUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idop, action }).toString(),
  });
  const back = await chosen.text();
  const retour = /<form method="post" action="([^"]+)" id="retour">/.exec(back)![1]!.replace(/&amp;/g, '&');
  return { idop, retour };
}

/** The browser follows the return form back to the commune; answers where it is sent. */
async function comeBack(retour: string, idop: string): Promise<string | null> {
  const res = await fetch(retour, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ idop }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location');
}

const notifyApp = (idop: string) =>
  fetch(`${h.url}/payfip/notification`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `idop=${encodeURIComponent(idop)}` }).then((r) => r.status);

async function startSplit(parts: Array<{ walletId: number; amountCents: number }>, returnPath?: string): Promise<TopUpAnswer> {
  const res = await parent.post<TopUpAnswer>('/api/parent/topups', { parts, ...(returnPath ? { returnPath } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The DGFiP's schema shared next to the project (as simulator/faults.test.ts finds it). */
function findXsd(): string {
  for (let d = path.resolve(__dirname, '..', '..'); d !== path.dirname(d); d = path.dirname(d)) {
    const candidate = path.join(d, 'shared', 'payfip-wsdl', 'PaiementSecuriseService_schema1.xsd');
    if (fs.existsSync(candidate)) return candidate;
  }
  return '';
}
const XSD = process.env.PAYFIP_WSDL_DIR ? path.join(process.env.PAYFIP_WSDL_DIR, 'PaiementSecuriseService_schema1.xsd') : findXsd();
const canValidate = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return fs.existsSync(XSD);
  } catch {
    return false;
  }
})();

/** The operation element of a SOAP body, with its namespace declared on it, validated by xmllint. */
function validateBody(envelope: string, element: string): void {
  const m = new RegExp(`<(\\w+):${element}(\\s[^>]*)?>[\\s\\S]*</\\1:${element}>`).exec(envelope);
  expect(m, `${element} dans ${envelope.slice(0, 200)}`).toBeTruthy();
  const prefix = m![1]!;
  const ns = new RegExp(`xmlns:${prefix}="([^"]+)"`).exec(envelope)![1]!;
  const xml = m![2]?.includes(`xmlns:${prefix}=`) ? m![0] : m![0].replace(`<${prefix}:${element}`, `<${prefix}:${element} xmlns:${prefix}="${ns}"`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payfip-xsd-')), 'body.xml');
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>${xml}`);
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
}

describe('one PayFiP payment for several wallets', () => {
  it('pays two wallets in one payment: one montant, each wallet credited, one invoice and one mail with the split, back where the parent started', async () => {
    const before = await balances();
    const sent = exchanges.length;
    const { paymentId, redirectUrl } = await startSplit(
      [
        { walletId: R(), amountCents: 1250 },
        { walletId: P(), amountCents: 800 },
      ],
      '/planning?semaine=2026-03-09&paiement=1',
    );
    const idop = new URL(redirectUrl).searchParams.get('idop')!;
    // PayFiP sees one payment of the sum.
    expect(sim.payments.get(idop)!.montant).toBe(2050);
    expect(sim.payments.get(idop)!.objet).toMatch(/^[A-Za-z0-9 ]{1,100}$/);
    const creation = exchanges.slice(sent).filter((e) => e.request.includes('creerPaiementSecurise'));
    expect(creation).toHaveLength(1);
    expect(creation[0]!.request).toContain('<montant>2050</montant>');
    // Where xmllint and the DGFiP's XSD are both present (shared next to the project), the bodies are
    // checked; a clone without ../shared cannot read the schema, and the check is skipped there.
    expect(canValidate || !XSD || !fs.existsSync('/usr/bin/xmllint')).toBe(true);
    if (canValidate) {
      validateBody(creation[0]!.request, 'creerPaiementSecurise');
      validateBody(creation[0]!.response, 'creerPaiementSecuriseResponse');
    }
    const row = await t.db('online_payments').where('id', paymentId).first();
    expect(row).toMatchObject({ amount_cents: 2050, wallet_id: R(), status: 'pending', return_path: '/planning?semaine=2026-03-09' });
    expect(await t.db('online_payment_parts').where('payment_id', paymentId).orderBy('id').select('wallet_id', 'amount_cents')).toEqual([
      { wallet_id: R(), amount_cents: 1250 },
      { wallet_id: P(), amount_cents: 800 },
    ]);

    const { retour } = await payOnPayfip(redirectUrl);
    // The return page sends her back to the planning's week she came from, with the payment.
    expect(await comeBack(retour, idop)).toBe(`/planning?semaine=2026-03-09&paiement=${paymentId}`);
    await sim.idle();
    if (canValidate) {
      const detail = exchanges.slice(sent).find((e) => e.request.includes('recupererDetailPaiementSecurise') && e.response.includes('<resultrans>P</resultrans>'));
      validateBody(detail!.request, 'recupererDetailPaiementSecurise');
      validateBody(detail!.response, 'recupererDetailPaiementSecuriseResponse');
    }

    expect(await balances()).toEqual([before[0]! + 1250, before[1]! + 800]);
    expect(await counts(paymentId)).toEqual({ perWallet: { [R()]: 1, [P()]: 1 }, invoices: 1, mails: 1 });

    const status = await parent.get<TopUpStatus>(`/api/parent/topups/${paymentId}`);
    expect(status.body).toMatchObject({
      status: 'paid',
      amountCents: 2050,
      returnPath: '/planning?semaine=2026-03-09',
      parts: [
        { walletId: R(), walletLabel: 'Restauration scolaire', amountCents: 1250 },
        { walletId: P(), walletLabel: 'Garderie', amountCents: 800 },
      ],
    });

    // One invoice, its PDF listing each wallet's amount and the total.
    const invoice = await t.db('invoices').where('online_payment_id', paymentId).first();
    expect(invoice).toMatchObject({ kind: 'topup', status: 'paid', total_cents: 2050 });
    expect(await t.db('invoice_lines').where('invoice_id', invoice.id).orderBy('id').pluck('total_cents')).toEqual([1250, 800]);
    const pdf = await parent.get(`/api/parent/invoices/${invoice.id}/pdf`, { raw: true });
    expect(pdf.status).toBe(200);
    const text = (await pdfToText(pdf.bytes!)).replace(/[\u202f\u00a0]/g, ' ');
    expect(text).toMatch(/Restauration scolaire[\s\S]*12,50 €/);
    expect(text).toMatch(/Garderie[\s\S]*8,00 €/);
    expect(text).toMatch(/Total[\s\S]*20,50 €/);
    expect(text).toContain(row.refdet);

    // One confirmation mail, with the split and each new balance.
    const mail = await t.db('mail_outbox').where('kind', 'payment_confirmation').orderBy('id', 'desc').first();
    const body = String(mail.text_body).replace(/[\u202f\u00a0]/g, ' ');
    expect(mail.subject.replace(/[\u202f\u00a0]/g, ' ')).toContain('20,50 €');
    expect(body).toMatch(/Restauration scolaire.*12,50 €/);
    expect(body).toMatch(/Garderie.*8,00 €/);
    expect(body).toContain(invoice.number);

    // The régie's "Paiements en ligne" shows the split.
    const staff = await signedInStaff(h, 'secretariat');
    const list = await staff.get<OnlinePaymentsPage>('/api/staff/online-payments');
    expect(list.body.rows.find((r) => r.id === paymentId)?.parts.map((p) => [p.walletLabel, p.amountCents])).toEqual([
      ['Restauration scolaire', 1250],
      ['Garderie', 800],
    ]);
  });

  it('credits each wallet exactly once under replayed notifications, the return racing them, a second connection and the checker', async () => {
    sim.options.notifyTimes = 10;
    sim.options.notifyConcurrently = true;
    const before = await balances();
    const a = await startSplit([
      { walletId: R(), amountCents: 3000 },
      { walletId: P(), amountCents: 1500 },
    ]);
    const { idop, retour } = await payOnPayfip(a.redirectUrl);
    // The browser's return, our own replays and a second connection on the same file, all at once.
    const other = openDb({ filename: path.join(dir, 'eticket.sqlite') });
    try {
      const [location, ...rest] = await Promise.all([
        comeBack(retour, idop),
        ...Array.from({ length: 5 }, () => notifyApp(idop)),
        settlePayment({ ...t.ctx, db: other }, idop),
        settlePayment(t.ctx, idop),
      ]);
      expect(location).toBe(`/factures?paiement=${a.paymentId}`);
      expect(rest.slice(0, 5)).toEqual(Array(5).fill(200));
    } finally {
      await other.destroy();
    }
    await sim.idle();
    await sim.notify(idop, 10, true);
    t.clock.advanceMinutes(30);
    await checkPendingPayments(t.ctx);
    // And the régie's "Vérifier maintenant" on it.
    const staff = await signedInStaff(h, 'secretariat');
    expect((await staff.post<{ outcome: string }>(`/api/staff/online-payments/${a.paymentId}/verify`)).body.outcome).toBe('already_paid');
    expect(await counts(a.paymentId)).toEqual({ perWallet: { [R()]: 1, [P()]: 1 }, invoices: 1, mails: 1 });
    expect(await balances()).toEqual([before[0]! + 3000, before[1]! + 1500]);

    // Never notified, the browser closed on PayFiP's page: the checker settles it, then late replays change nothing.
    sim.options.dropNotifications = true;
    const b = await startSplit([
      { walletId: P(), amountCents: 700 },
      { walletId: R(), amountCents: 100 },
    ]);
    const late = await payOnPayfip(b.redirectUrl);
    expect((await parent.get<TopUpStatus>(`/api/parent/topups/${b.paymentId}`)).body.status).toBe('pending');
    t.clock.advanceMinutes(2);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, paid: 1 });
    sim.options.dropNotifications = false;
    await sim.notify(late.idop, 5, true);
    expect(await comeBack(late.retour, late.idop)).toBe(`/factures?paiement=${b.paymentId}`);
    t.clock.advanceMinutes(30);
    expect((await checkPendingPayments(t.ctx)).paid).toBe(0);
    expect(await counts(b.paymentId)).toEqual({ perWallet: { [R()]: 1, [P()]: 1 }, invoices: 1, mails: 1 });
    expect(await balances()).toEqual([before[0]! + 3000 + 100, before[1]! + 1500 + 700]);
  });

  it('a refused split credits nothing; the old single-wallet body still works as one part', async () => {
    const before = await balances();
    const refused = await startSplit([
      { walletId: R(), amountCents: 500 },
      { walletId: P(), amountCents: 500 },
    ]);
    const r = await payOnPayfip(refused.redirectUrl, 'refuser');
    expect(await comeBack(r.retour, r.idop)).toBe(`/factures?paiement=${refused.paymentId}`);
    expect((await parent.get<TopUpStatus>(`/api/parent/topups/${refused.paymentId}`)).body.status).toBe('refused');
    expect(await counts(refused.paymentId)).toEqual({ perWallet: {}, invoices: 0, mails: 0 });

    const single = await parent.post<TopUpAnswer>('/api/parent/topups', { walletId: P(), amountCents: 1000 });
    expect(single.status).toBe(201);
    const s = await payOnPayfip(single.body.redirectUrl);
    await comeBack(s.retour, s.idop);
    const status = (await parent.get<TopUpStatus>(`/api/parent/topups/${single.body.paymentId}`)).body;
    expect(status).toMatchObject({ status: 'paid', walletId: P(), returnPath: null, parts: [{ walletId: P(), amountCents: 1000, walletLabel: 'Garderie' }] });
    expect(await balances()).toEqual([before[0]!, before[1]! + 1000]);
  });

  it('refuses a bad split or a foreign return address with a French message, writing nothing and asking PayFiP nothing', async () => {
    const before = await snapshotCounts(t.db);
    const parts = await t.db('online_payment_parts').count({ n: '*' }).first();
    const asked = sim.payments.size;
    const ok = { walletId: R(), amountCents: 1000 };
    const cases: Array<[unknown, RegExp]> = [
      [{ parts: [{ walletId: R(), amountCents: 99 }, { walletId: P(), amountCents: 1000 }] }, /au moins 1,00 €/],
      [{ parts: [ok, { walletId: R(), amountCents: 500 }] }, /qu’une fois/],
      [{ parts: [ok, { walletId: 99999, amountCents: 500 }] }, /Porte-monnaie introuvable/],
      [{ parts: [{ walletId: R(), amountCents: 600000 }, { walletId: P(), amountCents: 400000 }] }, /total du paiement doit être compris entre 1,00 € et 9 999,99 €/],
      [{ parts: [] }, /au moins un porte-monnaie/],
      [{ parts: [{ walletId: R(), amountCents: 12.5 }] }, /Montant invalide/],
      [{ parts: [{ walletId: R(), amountCents: '10' }] }, /Montant invalide/],
      [{ parts: [{ ...ok, familyId: t.ids.otherFamilyId }] }, /Donnée invalide|invalide/],
      [{ parts: [ok], walletId: R() }, /porte-monnaie/],
      [{ parts: [ok], amountCents: 1000 }, /soit un montant/],
      ...['https://evil.example/', '//evil.example/planning', '/\\evil.example', '/planning#x', '/staff/', '/admin', 'javascript:alert(1)', '/planning?x=<b>', `/planning?${'a'.repeat(300)}`, 42].map(
        (returnPath): [unknown, RegExp] => [{ parts: [ok], returnPath }, /Adresse de retour invalide/],
      ),
    ];
    for (const [body, message] of cases) {
      const res = await parent.post<{ error: { message: string; details?: { field?: string } } }>('/api/parent/topups', body);
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body).slice(0, 100)).toMatch(message);
    }
    // Straight into core (scripts, the console): the same rules, with the field to show the message next to.
    const err = await createTopUp(t.ctx, t.actors.parent, { parts: [ok, { walletId: P(), amountCents: 50 }] }).catch((e: { details?: unknown }) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', details: { field: 'parts.1.amountCents', walletId: P() } });
    const staffErr = await createTopUp(t.ctx, t.actors.secretariat, { parts: [ok] }).catch((e: unknown) => e);
    expect(staffErr).toMatchObject({ code: 'FORBIDDEN' });

    expect(await snapshotCounts(t.db)).toEqual(before);
    expect(await t.db('online_payment_parts').count({ n: '*' }).first()).toEqual(parts);
    expect(sim.payments.size).toBe(asked);
  });
});
