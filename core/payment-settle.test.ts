/**
 * A payment the parent really made never ends unpaid: PayFiP unreachable keeps it pending and
 * asked again with back-off; an "A" in the first 20 minutes is not final; PayFiP's own answer
 * alone expires or closes a payment. Real SQLite database, the simulator or a scripted PayFiP.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './test-support.js';
import { checkPendingPayments, createTopUp, getTopUp, settlePayment } from './payments.js';
import { unansweredDelayMs } from './payment-settle.js';
import { getBalance } from './wallet.js';
import { getPayfipSettings, storePayfipSettings, storeSimulatorAddresses } from './payfip/settings.js';
import { createPayfipClient } from './adapters/payfip-soap.js';
import { PayfipFault, PayfipTransportError } from './payfip/client.js';
import type { PayfipGateway } from './ports.js';
import { startPayfipSimulator, type RunningSimulator } from '../simulator/server.js';

let t: TestDb;
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startPayfipSimulator({ dropNotifications: true });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  t = await createTestDb();
  await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: 'chantal.devret@example.fr' });
  await storePayfipSettings(
    t.db,
    { numcli: '123456', saisie: 'T', serviceUrl: sim.serviceUrl, paymentPageUrl: sim.paymentPageUrl, publicBaseUrl: 'http://portail.test' },
    t.clock.now(),
  );
});
afterEach(async () => {
  sim.options.unavailable = false;
  await t.db.destroy();
});

const wallet = () => t.ids.walletRestaurationId;
const balance = () => getBalance(t.db, t.ids.familyId, wallet());
const row = (id: number) => t.db('online_payments').where('id', id).first();
const ledgerCount = async (id: number) => Number((await t.db('ledger_entries').where('online_payment_id', id).count({ n: '*' }).first())?.n);

async function topUp(amountCents = 2000): Promise<{ paymentId: number; idOp: string }> {
  const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: wallet(), amountCents });
  return { paymentId, idOp: new URL(redirectUrl).searchParams.get('idop')! };
}

/** The simulator behind a switch: while `down`, every call fails as a network error would. */
function switchable(): PayfipGateway & { down: boolean; calls: number } {
  const real = createPayfipClient({ serviceUrl: sim.serviceUrl });
  const c = {
    down: true,
    calls: 0,
    async recupererDetailPaiementSecurise(idOp: string) {
      c.calls++;
      if (c.down) throw new PayfipTransportError('PayFiP injoignable (recupererDetailPaiementSecurise) : connect ECONNREFUSED');
      return real.recupererDetailPaiementSecurise(idOp);
    },
    creerPaiementSecurise: real.creerPaiementSecurise,
    recupererDetailClient: real.recupererDetailClient,
  };
  return c;
}

describe('PayFiP unreachable', () => {
  it('at 20 minutes the payment stays pending, is asked again with back-off, and is credited when PayFiP answers P', async () => {
    const { paymentId, idOp } = await topUp();
    await sim.complete(idOp, 'P', false); // paid at PayFiP; the notification is lost
    const client = switchable();

    // Every due check fails; the delays between checks grow: 1, 2, 4, 8, 16 … minutes.
    const gaps: number[] = [];
    let last = t.clock.now().getTime();
    for (let minute = 1; minute <= 60; minute++) {
      t.clock.advanceMinutes(1);
      const r = await checkPendingPayments(t.ctx, { client });
      if (r.checked === 1) {
        gaps.push(Math.round((t.clock.now().getTime() - last) / 60_000));
        last = t.clock.now().getTime();
      }
      expect(r.expired).toBe(0);
    }
    expect(gaps).toEqual([1, 1, 2, 4, 8, 16]);
    const p = await row(paymentId);
    expect(p).toMatchObject({ status: 'pending', unanswered_checks: 6, check_count: 6 });
    expect(p.last_error).toMatch(/injoignable/);
    expect(Date.parse(p.next_check_at) - Date.parse(p.last_checked_at)).toBe(32 * 60_000);

    // The parent is told the truth: not confirmed yet, do not pay twice; never "nothing debited".
    const shown = await getTopUp(t.ctx, t.actors.parent, paymentId);
    expect(shown.status).toBe('pending');
    expect(shown.message).toMatch(/pas encore pu confirmer votre paiement/);
    expect(shown.message).toMatch(/ne payez pas une seconde fois/);
    expect(shown.message).not.toMatch(/Aucun montant/i);

    // PayFiP is back: the next due check credits the wallet, once.
    client.down = false;
    t.clock.advanceMinutes(32);
    expect(await checkPendingPayments(t.ctx, { client })).toMatchObject({ checked: 1, paid: 1, expired: 0 });
    expect(await row(paymentId)).toMatchObject({ status: 'paid', unanswered_checks: 0, next_check_at: null, check_count: 7 });
    expect(await balance()).toBe(2000);
    expect(await ledgerCount(paymentId)).toBe(1);
  });

  it('the back-off doubles from one minute up to one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 30].map((n) => unansweredDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('PayFiP unavailable (TechIndisponibiliteErreur) is not an answer either', async () => {
    const { paymentId } = await topUp();
    sim.options.unavailable = true;
    t.clock.advanceMinutes(25);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, expired: 0, stillPending: 1 });
    expect(await row(paymentId)).toMatchObject({ status: 'pending', unanswered_checks: 1 });
    // Back: PayFiP says P5 at 26 minutes, its own answer: expired.
    sim.options.unavailable = false;
    t.clock.advanceMinutes(1);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, expired: 1 });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).message).toMatch(/le Trésor Public n’a enregistré aucun paiement\. Aucun montant n’a été débité/);
  });
});

describe('an "A" (abandoned) answer', () => {
  it('at 5 minutes is not final: a later P for the same idOp credits the wallet once, however often it is notified', async () => {
    const { paymentId, idOp } = await topUp();
    await sim.complete(idOp, 'A', false);
    t.clock.advanceMinutes(5);
    expect(await settlePayment(t.ctx, idOp)).toEqual({ outcome: 'pending', paymentId });
    expect(await row(paymentId)).toMatchObject({ status: 'pending', resultrans: 'A' });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).message).toMatch(/Si vous avez finalement payé, votre compte sera crédité/);

    await sim.complete(idOp, 'P', false); // the payer came back to PayFiP's page and paid
    t.clock.advanceMinutes(3);
    const replays = await Promise.all(Array.from({ length: 5 }, () => settlePayment(t.ctx, idOp)));
    expect(replays.filter((r) => r.outcome === 'paid')).toHaveLength(1);
    expect(replays.every((r) => r.outcome === 'paid' || r.outcome === 'already_paid')).toBe(true);
    for (let i = 0; i < 3; i++) expect(await settlePayment(t.ctx, idOp)).toEqual({ outcome: 'already_paid', paymentId });
    expect(await row(paymentId)).toMatchObject({ status: 'paid', resultrans: 'P' });
    expect(await balance()).toBe(2000);
    expect(await ledgerCount(paymentId)).toBe(1);
  });

  it('the checker asks again right at 20 minutes, when an A becomes final', async () => {
    const { paymentId, idOp } = await topUp();
    await sim.complete(idOp, 'A', false);
    t.clock.advanceMinutes(19);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, stillPending: 1, closed: 0 });
    const p = await row(paymentId);
    expect(p.next_check_at).toBe(new Date(Date.parse(p.created_at) + 20 * 60_000).toISOString());
    t.clock.advanceMinutes(1);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 1, closed: 1 });
    const shown = await getTopUp(t.ctx, t.actors.parent, paymentId);
    expect(shown.status).toBe('abandoned');
    expect(shown.message).toBe('Vous avez abandonné le paiement. Aucun montant n’a été débité.');
  });

  it('after 20 minutes is final: abandoned, nothing credited, no more checks', async () => {
    const { paymentId, idOp } = await topUp();
    await sim.complete(idOp, 'A', false);
    t.clock.advanceMinutes(21);
    expect(await settlePayment(t.ctx, idOp)).toEqual({ outcome: 'abandoned', paymentId });
    expect(await row(paymentId)).toMatchObject({ status: 'abandoned', next_check_at: null });
    t.clock.advanceMinutes(60);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 0 });
    expect(await balance()).toBe(0);
  });
});

describe('P5 and P1 are PayFiP’s answers', () => {
  it('P5 keeps it pending for 20 minutes, then expires it', async () => {
    const { paymentId, idOp } = await topUp();
    t.clock.advanceMinutes(10);
    expect(await settlePayment(t.ctx, idOp)).toEqual({ outcome: 'pending', paymentId });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).message).toMatch(/en cours de vérification/);
    t.clock.advanceMinutes(10);
    expect(await settlePayment(t.ctx, idOp)).toEqual({ outcome: 'expired', paymentId });
  });

  it('a P1 (idOp unknown to PayFiP) at 25 minutes expires it', async () => {
    const p1 = new PayfipFault({ kind: 'FonctionnelleErreur', code: 'P1', libelle: 'IdOp incorrect', descriptif: 'IdOp incorrect.', severite: '2' });
    const client = switchable();
    client.recupererDetailPaiementSecurise = async () => {
      client.calls++;
      throw p1;
    };
    const { paymentId, idOp } = await topUp();
    t.clock.advanceMinutes(25);
    expect(await settlePayment(t.ctx, idOp, { client })).toEqual({ outcome: 'expired', paymentId });
    expect(client.calls).toBe(1);
  });
});

describe('settings', () => {
  it('the environment wins over the simulator addresses stored by an earlier demo start', async () => {
    await t.db('settings').where('key', 'payfip').delete();
    await storeSimulatorAddresses(t.db, { serviceUrl: 'http://127.0.0.1:45001/tpa/services/securite', paymentPageUrl: 'http://127.0.0.1:45001/tpa/paiementws.web' }, t.clock.now());
    // Demo start again, simulator on: its addresses.
    expect(await getPayfipSettings(t.db, {})).toMatchObject({ simulator: true, serviceUrl: 'http://127.0.0.1:45001/tpa/services/securite' });
    // Pointed at a service by the environment: the stale simulator addresses are ignored.
    const env = { PAYFIP_SERVICE_URL: 'https://www.payfip.gouv.fr/tpa/services/securite', PAYFIP_PAYMENT_URL: 'https://www.payfip.gouv.fr/tpa/paiementws.web' };
    expect(await getPayfipSettings(t.db, env)).toMatchObject({ simulator: false, serviceUrl: env.PAYFIP_SERVICE_URL, paymentPageUrl: env.PAYFIP_PAYMENT_URL });
    // Also over addresses an older version stored as the commune's own.
    await storePayfipSettings(t.db, { serviceUrl: 'http://127.0.0.1:45002/tpa/services/securite', paymentPageUrl: 'http://127.0.0.1:45002/tpa/paiementws.web' }, t.clock.now());
    expect(await getPayfipSettings(t.db, env)).toMatchObject({ serviceUrl: env.PAYFIP_SERVICE_URL, paymentPageUrl: env.PAYFIP_PAYMENT_URL });
    // Simulator switched off: its addresses do not count.
    await t.db('settings').where('key', 'payfip').delete();
    await storeSimulatorAddresses(t.db, { serviceUrl: 'http://127.0.0.1:45001/tpa/services/securite', paymentPageUrl: 'http://127.0.0.1:45001/tpa/paiementws.web' }, t.clock.now());
    expect((await getPayfipSettings(t.db, { PAYFIP_SIMULATOR: '0' })).serviceUrl).toBe('https://www.payfip.gouv.fr/tpa/services/securite');
  });
});
