import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './test-support.js';
import { asciiObjet, checkPendingPayments, createTopUp, getTopUp, newRefdet, settlePayment } from './payments.js';
import { getBalance } from './wallet.js';
import { DomainError } from './errors.js';
import { storePayfipSettings, getPayfipSettings } from './payfip/settings.js';
import type { PaymentDetail, CreerPaiementInput } from './payfip/client.js';
import type { PayfipGateway } from './ports.js';
import { PayfipFault } from './payfip/client.js';
import { startPayfipSimulator, type RunningSimulator } from '../simulator/server.js';

let scriptedCount = 0;

/**
 * A scripted PayFiP for the cases the simulator would not produce on its own (an answer that
 * does not match the payment, direct debit). The database is real.
 */
function scriptedPayfip(answer: (idOp: string, created: CreerPaiementInput) => Partial<PaymentDetail> | Error): PayfipGateway & { created: Map<string, CreerPaiementInput> } {
  const created = new Map<string, CreerPaiementInput>();
  return {
    created,
    async creerPaiementSecurise(input) {
      const idOp = `scripted-${++scriptedCount}`;
      created.set(idOp, input);
      return idOp;
    },
    async recupererDetailPaiementSecurise(idOp) {
      const c = created.get(idOp);
      if (!c) throw new PayfipFault({ kind: 'FonctionnelleErreur', code: 'P1', libelle: 'Erreur fonctionnelle', descriptif: 'IdOp incorrect.', severite: '2' });
      const a = answer(idOp, c);
      if (a instanceof Error) throw a;
      return {
        dattrans: '29032026',
        heurtrans: '0330',
        exer: String(c.exer),
        idOp,
        mel: c.mel,
        montant: c.montant,
        numauto: '123456',
        numcli: c.numcli,
        objet: c.objet,
        refdet: c.refdet,
        resultrans: 'P',
        saisie: c.saisie,
        ...a,
      };
    },
    async recupererDetailClient(numCli) {
      return { numcli: numCli, libelleN1: 'x', libelleN2: '', libelleN3: '' };
    },
  };
}

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
  await t.db.destroy();
});

const paymentsCount = async () => Number((await t.db('online_payments').count({ n: '*' }).first())?.n);

describe('createTopUp', () => {
  it('records the pending payment with refdet, objet, amount and sends PayFiP the right fields', async () => {
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    const row = await t.db('online_payments').where('id', paymentId).first();
    const idOp = new URL(redirectUrl).searchParams.get('idop')!;
    expect(row).toMatchObject({ status: 'pending', amount_cents: 2000, wallet_id: t.ids.walletRestaurationId, parent_account_id: t.ids.parentAccountId, id_op: idOp });
    const sent = sim.payments.get(idOp)!;
    expect(sent).toMatchObject({
      exer: '2026',
      montant: 2000,
      numcli: '123456',
      saisie: 'T',
      mel: 'chantal.devret@example.fr',
      refdet: row.refdet,
      objet: row.objet,
      urlnotif: 'http://portail.test/payfip/notification',
      urlredirect: 'http://portail.test/payfip/retour',
    });
    expect(row.objet).toBe('Credit eTicket Restauration scolaire famille DEVRET');
    const audit = await t.db('audit_log').where({ action: 'payment.create', entity_id: String(paymentId) }).first();
    expect(audit).toMatchObject({ actor_kind: 'parent', parent_account_id: t.ids.parentAccountId, family_id: t.ids.familyId });
  });

  it('prices a number of tickets at the family’s tariff', async () => {
    // DEVRET has QF 850: Cantine at 3,20 €.
    const { redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, activityId: t.ids.activityIds.cantine, tickets: 10 });
    const sent = sim.payments.get(new URL(redirectUrl).searchParams.get('idop')!)!;
    expect(sent.montant).toBe(3200);
    expect(sent.objet).toBe('Credit eTicket 10 tickets Cantine famille DEVRET');
  });

  it('refuses bad requests with French messages and writes nothing', async () => {
    const cases: Array<[Parameters<typeof createTopUp>[2], RegExp]> = [
      [{ walletId: t.ids.walletRestaurationId }, /soit un montant, soit un nombre de tickets/],
      [{ walletId: t.ids.walletRestaurationId, amountCents: 2000, tickets: 2, activityId: t.ids.activityIds.cantine }, /soit un montant/],
      [{ walletId: t.ids.walletRestaurationId, amountCents: 99 }, /entre 1,00 € et 9 999,99 €/],
      [{ walletId: t.ids.walletRestaurationId, amountCents: 1_000_000 }, /entre 1,00 € et 9 999,99 €/],
      [{ walletId: t.ids.walletRestaurationId, amountCents: 12.5 }, /Montant invalide/],
      [{ walletId: t.ids.walletRestaurationId, activityId: t.ids.activityIds.cantine, tickets: 0 }, /entre 1 et 200/],
      [{ walletId: t.ids.walletRestaurationId, activityId: t.ids.activityIds.cantine, tickets: 1.5 }, /entier/],
      [{ walletId: t.ids.walletTransportId, activityId: t.ids.activityIds.cantine, tickets: 2 }, /autre porte-monnaie/],
      // 0,80 € the bus ticket: one ticket is under PayFiP's minimum.
      [{ walletId: t.ids.walletTransportId, activityId: t.ids.activityIds.bus, tickets: 1 }, /1 ticket « Bus » font 0,80 €/],
      [{ walletId: 9999, amountCents: 2000 }, /Porte-monnaie introuvable/],
    ];
    for (const [input, message] of cases) {
      const err = await createTopUp(t.ctx, t.actors.parent, input).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).toMatch(message);
    }
    expect(await paymentsCount()).toBe(0);
  });

  it('needs an e-mail address, and a parent', async () => {
    await t.db('parent_accounts').where('id', t.ids.parentAccountId).update({ email: null });
    await expect(createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 })).rejects.toThrow(/adresse e-mail valide dans « Mon dossier »/);
    // A billing contact's address will do.
    await t.db('contacts').insert({
      family_id: t.ids.familyId,
      relationship: 'MERE',
      last_name: 'DEVRET',
      first_name: 'Chantal',
      email: 'facturation@example.fr',
      use_for_billing: true,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    });
    const { redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    expect(sim.payments.get(new URL(redirectUrl).searchParams.get('idop')!)!.mel).toBe('facturation@example.fr');

    await expect(createTopUp(t.ctx, t.actors.secretariat, { walletId: t.ids.walletRestaurationId, amountCents: 2000 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('limits how many payments a family may leave open at once', async () => {
    for (let i = 0; i < 5; i++) await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 1000 + i });
    await expect(createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 })).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    t.clock.advanceMinutes(21);
    await expect(createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 })).resolves.toHaveProperty('paymentId');
  });

  it('when PayFiP is unreachable: the payment stays recorded as error, the parent gets a French message', async () => {
    await storePayfipSettings(t.db, { serviceUrl: 'http://127.0.0.1:1/tpa/services/securite' }, t.clock.now());
    const err = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'PAYMENT_ERROR', status: 502 });
    expect((err as DomainError).message).toMatch(/momentanément indisponible/);
    const row = await t.db('online_payments').first();
    expect(row).toMatchObject({ status: 'error', id_op: null });
    expect(row.last_error).toMatch(/injoignable/);
  });
});

describe('settlePayment with a scripted PayFiP', () => {
  it('credits a direct debit (V), and stores the Paris local time PayFiP gave', async () => {
    const client = scriptedPayfip(() => ({ resultrans: 'V' }));
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }, { client });
    const idOp = new URL(redirectUrl).searchParams.get('idop')!;
    expect(await settlePayment(t.ctx, idOp, { client })).toEqual({ outcome: 'paid', paymentId });
    const row = await t.db('online_payments').where('id', paymentId).first();
    expect(row).toMatchObject({ status: 'paid', resultrans: 'V', numauto: '123456', paid_at_local: '2026-03-29 03:30' });
    expect((await t.db('invoices').where('online_payment_id', paymentId).first()).issued_on).toBe('2026-03-29');
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(2000);
    expect(await settlePayment(t.ctx, idOp, { client })).toEqual({ outcome: 'already_paid', paymentId });
    const audit = await t.db('audit_log').where({ action: 'payment.paid', entity_id: String(paymentId) }).first();
    expect(audit.actor_kind).toBe('system');
  });

  it('credits nothing when the answer does not describe this payment', async () => {
    for (const wrong of [{ montant: 200000 }, { refdet: 'AUTREREF' }, { numcli: '654321' }, { idOp: 'autre' }, { resultrans: 'Q' }] as Array<Partial<PaymentDetail>>) {
      const client = scriptedPayfip(() => wrong);
      const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }, { client });
      const idOp = new URL(redirectUrl).searchParams.get('idop')!;
      expect(await settlePayment(t.ctx, idOp, { client }), JSON.stringify(wrong)).toEqual({ outcome: 'error', paymentId });
      const row = await t.db('online_payments').where('id', paymentId).first();
      expect(row.status).toBe('pending');
      expect(row.last_error).toMatch(/incohérente|inconnu/);
      await t.db('online_payments').where('id', paymentId).update({ status: 'abandoned' }); // keep the open-payment limit clear
    }
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(0);
    expect(Number((await t.db('ledger_entries').count({ n: '*' }).first())?.n)).toBe(0);
  });

  it('a P1 on one of our idOps (purged at PayFiP) leaves it pending until it expires', async () => {
    const client = scriptedPayfip(() => new PayfipFault({ kind: 'FonctionnelleErreur', code: 'P1', libelle: '', descriptif: 'IdOp incorrect.', severite: '2' }));
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }, { client });
    expect(await settlePayment(t.ctx, new URL(redirectUrl).searchParams.get('idop')!, { client })).toEqual({ outcome: 'pending', paymentId });
    t.clock.advanceMinutes(25);
    expect(await checkPendingPayments(t.ctx, { client })).toMatchObject({ expired: 1 });
    expect((await getTopUp(t.ctx, t.actors.parent, paymentId)).status).toBe('expired');
  });

  it('a payment expired by the checker is still credited if PayFiP later reports it paid', async () => {
    let result: Partial<PaymentDetail> | Error = new PayfipFault({ kind: 'FonctionnelleErreur', code: 'P5', libelle: '', descriptif: 'En cours', severite: '2' });
    const client = scriptedPayfip(() => result);
    const { paymentId, redirectUrl } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }, { client });
    t.clock.advanceMinutes(21);
    expect(await checkPendingPayments(t.ctx, { client })).toMatchObject({ expired: 1 });
    result = { resultrans: 'P' };
    expect(await settlePayment(t.ctx, new URL(redirectUrl).searchParams.get('idop')!, { client })).toEqual({ outcome: 'paid', paymentId });
    expect(await getBalance(t.db, t.ids.familyId, t.ids.walletRestaurationId)).toBe(2000);
  });

  it('expires a payment that never got an idOp', async () => {
    await storePayfipSettings(t.db, { serviceUrl: 'http://127.0.0.1:1/tpa/services/securite' }, t.clock.now());
    // Simulate a crash between the commit and the answer of PayFiP: pending without idOp.
    await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 }).catch(() => {});
    await t.db('online_payments').update({ status: 'pending' });
    t.clock.advanceMinutes(21);
    expect(await checkPendingPayments(t.ctx)).toMatchObject({ checked: 0, expired: 1 });
  });
});

describe('getTopUp', () => {
  it('is scoped to the family; staff may read any; bad ids are not found', async () => {
    const { paymentId } = await createTopUp(t.ctx, t.actors.parent, { walletId: t.ids.walletRestaurationId, amountCents: 2000 });
    const mine = await getTopUp(t.ctx, t.actors.parent, paymentId);
    expect(mine).toMatchObject({ id: paymentId, status: 'pending', amountCents: 2000, walletLabel: 'Restauration scolaire', invoiceId: null });
    expect(mine.message).toMatch(/en cours de vérification/);
    await expect(getTopUp(t.ctx, t.actors.otherParent, paymentId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getTopUp(t.ctx, t.actors.secretariat, paymentId)).resolves.toMatchObject({ id: paymentId });
    await expect(getTopUp(t.ctx, t.actors.parent, -1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('helpers', () => {
  it('asciiObjet keeps ASCII letters, digits and spaces, 100 at most', () => {
    expect(asciiObjet('Crédit « Cantine » — famille Œillet, Noël & Zoé')).toBe('Credit Cantine famille OEillet Noel Zoe');
    expect(asciiObjet('x'.repeat(150))).toHaveLength(100);
    expect(asciiObjet('€€€')).toBe('');
  });

  it('newRefdet is alphanumeric, dated in Paris, at most 30 characters, and unique', () => {
    const refs = new Set(Array.from({ length: 500 }, () => newRefdet(new Date('2026-03-01T23:30:00Z'))));
    expect(refs.size).toBe(500);
    for (const r of refs) {
      expect(r).toMatch(/^ET20260302[A-Z0-9]{10}$/);
      expect(r.length).toBeLessThanOrEqual(30);
    }
  });

  it('settings fall back to the environment and validate what is stored', async () => {
    const s = await getPayfipSettings(t.db, { PORT: '4321', HOST: '127.0.0.1', PAYFIP_NUMCLI: '987654' });
    // Stored values win over the environment.
    expect(s.numcli).toBe('123456');
    expect(s.publicBaseUrl).toBe('http://portail.test');
    expect(s.notificationBaseUrl).toBe('http://portail.test');
    await expect(storePayfipSettings(t.db, { numcli: '12a' }, t.clock.now())).rejects.toThrow(/6 chiffres/);
  });
});
