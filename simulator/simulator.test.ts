import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPayfipSimulator, type RunningSimulator } from './server.js';
import { createPayfipClient } from '../core/adapters/payfip-soap.js';
import { PayfipFault, PayfipTransportError } from '../core/payfip/client.js';
import { envelope, idOpOf, NS, soap, startReceiver, validArgs } from './test-helpers.js';


let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sim: RunningSimulator;
// 29 March 2026 01:30 UTC: the night clocks go forward; Paris shows 03:30.
const at = new Date('2026-03-29T01:30:00Z');

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1', now: () => at });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  receiver.hits.length = 0;
  Object.assign(sim.options, { notifyTimes: 1, notifyDelayMs: 0, dropNotifications: false, notifyConcurrently: false });
});

describe('SOAP operations', () => {
  it('creerPaiementSecurise answers a 36-character idOp in the PayFiP response structure', async () => {
    const { status, text } = await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url)));
    expect(status).toBe(200);
    expect(text).toMatch(new RegExp(`<ns2:creerPaiementSecuriseResponse xmlns:ns2="${NS.replace(/[.]/g, '\\.')}"><return><idOp>[0-9a-f-]{36}</idOp></return>`));
    expect(idOpOf(text)).toHaveLength(36);
  });

  it.each([
    ['montant', '99', 'R5'],
    ['montant', '1000000', 'R5'],
    ['montant', '12.5', 'R5'],
    ['montant', '-100', 'R5'],
    ['refdet', 'ET-2026', 'R3'],
    ['refdet', 'A'.repeat(31), 'R3'],
    ['refdet', 'ET26', 'R3'],
    ['objet', 'Crédit cantine', 'R6'],
    ['objet', 'x'.repeat(101), 'R6'],
    ['numcli', '12345', 'R2'],
    ['mel', 'a@b.c', 'A2'],
    ['mel', `${'a'.repeat(75)}@ex.fr`, 'A2'],
    ['saisie', 'Q', 'R7'],
    ['exer', '26', 'R1'],
    ['urlnotif', 'javascript:alert(1)', 'R8'],
  ])('refuses %s = %s with a FonctionnelleErreur %s', async (field, value, code) => {
    const { status, text } = await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url, { [field]: value })));
    expect(status).toBe(500);
    expect(text).toContain('<faultcode>soap:Server</faultcode>');
    expect(text).toMatch(/<detail><ns2:FonctionnelleErreur xmlns:ns2="[^"]+">/);
    expect(text).toContain(`<code>${code}</code>`);
    expect(text).toMatch(/<descriptif>[^<]+<\/descriptif><libelle>[^<]+<\/libelle><severite>2<\/severite>/);
  });

  it('accepts the limits 100 and 999999 cents, 30-character refdet, 100-character objet', async () => {
    for (const args of <Array<Record<string, string>>>[
      { montant: '100' },
      { montant: '999999' },
      { refdet: 'A'.repeat(30) },
      { objet: 'x'.repeat(100) },
    ]) {
      const { status, text } = await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url, args)));
      expect(status, JSON.stringify(args)).toBe(200);
      expect(idOpOf(text)).toHaveLength(36);
    }
  });

  it('refuses a refdet already used', async () => {
    const args = validArgs(receiver.url);
    expect((await soap(sim, envelope('creerPaiementSecurise', args))).status).toBe(200);
    const again = await soap(sim, envelope('creerPaiementSecurise', args));
    expect(again.status).toBe(500);
    expect(again.text).toContain('déjà utilisée');
  });

  it('recupererDetailPaiementSecurise: P1 for an unknown idOp, P5 while open, the detail once paid', async () => {
    const unknown = await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp: '00000000-0000-0000-0000-000000000000' }));
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('<code>P1</code>');

    const idOp = idOpOf((await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url)))).text);
    const open = await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp }));
    expect(open.status).toBe(500);
    expect(open.text).toContain('<code>P5</code>');

    sim.options.dropNotifications = true;
    await sim.complete(idOp, 'P');
    const paid = await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp }));
    expect(paid.status).toBe(200);
    expect(paid.text).toContain('<recupererDetailPaiementSecuriseResponse'.replace('<', '<ns2:'));
    expect(paid.text).toContain('<resultrans>P</resultrans>');
    expect(paid.text).toContain('<montant>2000</montant>');
    // Paris local time, on the night of the change to summer time.
    expect(paid.text).toContain('<dattrans>29032026</dattrans>');
    expect(paid.text).toContain('<heurtrans>0330</heurtrans>');
    expect(paid.text).toMatch(/<numauto>\d{6}<\/numauto>/);
  });

  it('recupererDetailClient describes a client number', async () => {
    const { status, text } = await soap(sim, envelope('recupererDetailClient', { numCli: '123456' }));
    expect(status).toBe(200);
    expect(text).toContain('<libelleN1>');
  });

  it('answers TechProtocolaireErreur to garbage, DOCTYPE or unknown operations', async () => {
    for (const body of [
      'pas du xml',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
      envelope('supprimerTout', {}),
      envelope('creerPaiementSecurise', {}).replace(NS, 'urn:autre'),
    ]) {
      const { status, text } = await soap(sim, body);
      expect(status).toBe(500);
      expect(text).toContain('<faultcode>soap:Client</faultcode>');
      expect(text).toContain('TechProtocolaireErreur');
    }
  });
});

describe('client over the wire', () => {
  it('creates, reads P5 as a PayfipFault, reads the result, and reports transport failures', async () => {
    const client = createPayfipClient({ serviceUrl: sim.serviceUrl });
    const args = validArgs(receiver.url);
    const idOp = await client.creerPaiementSecurise({
      exer: 2026,
      mel: args.mel!,
      montant: 999999,
      numcli: '123456',
      objet: 'Objet',
      refdet: args.refdet!,
      saisie: 'T',
      urlnotif: args.urlnotif!,
      urlredirect: args.urlredirect!,
    });
    expect(idOp).toHaveLength(36);
    const p5 = await client.recupererDetailPaiementSecurise(idOp).catch((e: unknown) => e);
    expect(p5).toBeInstanceOf(PayfipFault);
    expect((p5 as PayfipFault).code).toBe('P5');
    expect((p5 as PayfipFault).kind).toBe('FonctionnelleErreur');

    sim.options.dropNotifications = true;
    await sim.complete(idOp, 'R');
    const detail = await client.recupererDetailPaiementSecurise(idOp);
    expect(detail).toMatchObject({ idOp, montant: 999999, resultrans: 'R', refdet: args.refdet, numcli: '123456', dattrans: '29032026', heurtrans: '0330' });

    const bad = await client.creerPaiementSecurise({ ...{ exer: 2026, mel: args.mel!, numcli: '123456', objet: 'x', saisie: 'T' as const, urlnotif: args.urlnotif!, urlredirect: args.urlredirect! }, montant: 99, refdet: 'X1' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PayfipFault);
    expect((bad as PayfipFault).code).toBe('R5');

    const client2 = createPayfipClient({ serviceUrl: 'http://127.0.0.1:1/tpa/services/securite', timeoutMs: 2000 });
    await expect(client2.recupererDetailPaiementSecurise(idOp)).rejects.toBeInstanceOf(PayfipTransportError);
    const client3 = createPayfipClient({ serviceUrl: `${sim.url}/nulle-part` });
    await expect(client3.recupererDetailPaiementSecurise(idOp)).rejects.toBeInstanceOf(PayfipTransportError);
  });
});

describe('payment page and notifications', () => {
  async function createOpen(): Promise<string> {
    return idOpOf((await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url)))).text);
  }

  it('shows a French page with Payer / Refuser / Abandonner under a CSP without inline code', async () => {
    const idOp = await createOpen();
    const res = await fetch(`${sim.paymentPageUrl}?idop=${idOp}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain('20,00 €');
    for (const label of ['>Payer<', '>Refuser<', '>Abandonner<']) expect(html).toContain(label);
    expect(html).not.toMatch(/<script>|style="|onclick=/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');

    const unknown = await fetch(`${sim.paymentPageUrl}?idop=nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Opération inconnue');
  });

  it('after "Payer": notifies urlnotif with only idop, and sends the browser back with an auto-submitted POST form', async () => {
    const idOp = await createOpen();
    const res = await fetch(sim.paymentPageUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ idop: idOp, action: 'payer' }).toString(),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="${receiver.url}/payfip/retour" id="retour">`);
    expect(html).toContain(`<input type="hidden" name="idop" value="${idOp}">`);
    expect(html).toContain('<script src="/tpa/static/retour.js" defer></script>');
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${receiver.url}`);
    const js = await (await fetch(`${sim.url}/tpa/static/retour.js`)).text();
    expect(js).toContain("getElementById('retour')?.submit()");

    await sim.idle();
    expect(receiver.hits).toEqual([{ body: `idop=${idOp}`, contentType: 'application/x-www-form-urlencoded' }]);
    expect(sim.payments.get(idOp)!.resultrans).toBe('P');

    // The page is no longer payable.
    const again = await fetch(sim.paymentPageUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ idop: idOp, action: 'refuser' }).toString(),
    });
    expect(again.status).toBe(409);
    expect(sim.payments.get(idOp)!.resultrans).toBe('P');
  });

  it('refuser and abandonner give R and A', async () => {
    for (const [action, result] of [
      ['refuser', 'R'],
      ['abandonner', 'A'],
    ] as const) {
      const idOp = await createOpen();
      await fetch(sim.paymentPageUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ idop: idOp, action }).toString(),
      });
      expect(sim.payments.get(idOp)!.resultrans).toBe(result);
      expect(sim.payments.get(idOp)!.numauto).toBe('');
    }
    await sim.idle();
    expect(receiver.hits).toHaveLength(2);
  });

  it('repeats a notification, delays it, or drops it, as told', async () => {
    sim.options.notifyTimes = 3;
    const repeated = await createOpen();
    await sim.complete(repeated, 'P');
    await sim.idle();
    expect(receiver.hits.filter((h) => h.body === `idop=${repeated}`)).toHaveLength(3);

    receiver.hits.length = 0;
    Object.assign(sim.options, { notifyTimes: 1, notifyDelayMs: 150 });
    const delayed = await createOpen();
    const started = Date.now();
    await sim.complete(delayed, 'P');
    expect(receiver.hits).toHaveLength(0);
    await sim.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(receiver.hits).toHaveLength(1);

    receiver.hits.length = 0;
    Object.assign(sim.options, { notifyDelayMs: 0, dropNotifications: true });
    const dropped = await createOpen();
    await sim.complete(dropped, 'P');
    await sim.idle();
    expect(receiver.hits).toHaveLength(0);
    expect(sim.payments.get(dropped)!.notifications).toHaveLength(0);
  });

  it('test controls over HTTP: options, notify-again ×10 concurrently, complete without a browser', async () => {
    const opts = await fetch(`${sim.url}/simulator/options`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ dropNotifications: true }),
    });
    expect((await opts.json()).dropNotifications).toBe(true);
    const idOp = await createOpen();
    const done = await fetch(`${sim.url}/simulator/complete?idop=${idOp}&resultrans=P`, { method: 'POST' });
    expect(done.status).toBe(200);
    await sim.idle();
    expect(receiver.hits).toHaveLength(0);

    const again = await fetch(`${sim.url}/simulator/notify-again?idop=${idOp}&times=10&concurrent=1`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect((await again.json()).statuses).toEqual(Array(10).fill(200));
    expect(receiver.hits).toHaveLength(10);

    const listed = (await (await fetch(`${sim.url}/simulator/payments/${idOp}`)).json()) as { notifications: unknown[] };
    expect(listed.notifications).toHaveLength(10);
    expect((await fetch(`${sim.url}/simulator/notify-again?idop=nope`, { method: 'POST' })).status).toBe(404);
  });
});

describe('idOp lifetime', () => {
  it('the page refuses a choice once the idOp has expired, and the result stays unknown (P5)', async () => {
    let now = new Date('2026-03-02T09:00:00Z');
    const s = await startPayfipSimulator({ now: () => now, dropNotifications: true });
    try {
      const idOp = idOpOf((await soap(s, envelope('creerPaiementSecurise', validArgs(receiver.url)))).text);
      now = new Date(now.getTime() + 16 * 60_000);
      const page = await fetch(`${s.paymentPageUrl}?idop=${idOp}`);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('délai de paiement est dépassé');
      const post = await fetch(s.paymentPageUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `idop=${idOp}&action=payer`,
      });
      expect(post.status).toBe(410);
      const detail = await soap(s, envelope('recupererDetailPaiementSecurise', { idOp }));
      expect(detail.text).toContain('<code>P5</code>');
    } finally {
      await s.close();
    }
  });
});
