/**
 * A local stand-in for PayFiP (régie web-service flow), for development, the demo and tests.
 *
 * It speaks the same SOAP 1.1 operations on POST /tpa/services/securite (same namespace, element
 * names and fault structure), serves a payment page at GET /tpa/paiementws.web?idop=… where a
 * tester pays, refuses or abandons, then notifies urlnotif server-to-server and sends the
 * browser back to urlredirect with an auto-submitted POST form, as PayFiP does.
 *
 * Test controls (JSON, under /simulator/): replay a notification N times (sequentially or all at
 * once), change options (repeat, delay, drop notifications), settle a payment without a browser.
 *
 * Faults and input checks are in ./faults.ts (the real service's codes where known). As at PayFiP,
 * an abandoned payment (A) may still be paid with the same idOp while it lives.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { XmlParseError, childTexts, parseXml, type XmlElement } from '../core/payfip/xml.js';
import {
  PAYFIP_NS,
  SOAP_ENV_NS,
  faultEnvelope,
  payfipOperations,
  responseEnvelope,
  type PayfipOperation,
  type Resultrans,
} from '../core/payfip/soap.js';
import { messagePage, paymentPage, returnPage, returnScript, stylesheet } from './pages.js';
import { checkCreation, fonctionnelle, indisponible, protocolaire, SoapFault, type CreationFields } from './faults.js';

export interface SimulatorOptions {
  /** How many times each notification is posted to urlnotif (PayFiP may repeat one). */
  notifyTimes: number;
  /** Delay before the notification leaves, in milliseconds. */
  notifyDelayMs: number;
  /** Never send notifications (the commune must find the result by asking later). */
  dropNotifications: boolean;
  /** When several notifications go, send them all at the same instant rather than one after the other. */
  notifyConcurrently: boolean;
  /** How long the payment page accepts a choice after creation (PayFiP: 15 minutes). */
  idOpLifetimeMs: number;
  /** Known client numbers and their labels; null accepts any 6-digit number. */
  clients: Record<string, string> | null;
  /** Answer every SOAP call with TechIndisponibiliteErreur (PayFiP down for maintenance). */
  unavailable: boolean;
}

export interface StartSimulatorOptions extends Partial<SimulatorOptions> {
  port?: number;
  host?: string;
  /** Clock for dattrans/heurtrans and idOp lifetime. */
  now?: () => Date;
  log?: (line: string) => void;
}

export interface NotificationAttempt {
  at: string;
  status: number | null;
  error?: string;
}

export interface SimulatedPayment extends CreationFields {
  idOp: string;
  createdAt: string;
  resultrans: Resultrans | null;
  dattrans: string;
  heurtrans: string;
  numauto: string;
  notifications: NotificationAttempt[];
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** SOAP endpoint. */
  serviceUrl: string;
  /** Payment page (append ?idop=…). */
  paymentPageUrl: string;
  /** Live options: tests may change them between steps. */
  options: SimulatorOptions;
  payments: Map<string, SimulatedPayment>;
  /** Settles an open payment as if the payer had chosen (notifies unless told not to). */
  complete(idOp: string, resultrans: Resultrans, notify?: boolean): Promise<SimulatedPayment>;
  /** Posts the notification of a payment `times` times now; resolves with the HTTP statuses. */
  notify(idOp: string, times?: number, concurrently?: boolean): Promise<Array<number | null>>;
  /** Resolves when every scheduled or in-flight notification has been sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const defaultSimulatorOptions: SimulatorOptions = {
  notifyTimes: 1,
  notifyDelayMs: 0,
  dropNotifications: false,
  notifyConcurrently: false,
  idOpLifetimeMs: 15 * 60_000,
  clients: null,
  unavailable: false,
};

const maxBodyBytes = 64 * 1024;

/** Paris local date and time as PayFiP writes them: JJMMAAAA and HHMM. */
export function parisDattrans(at: Date): { dattrans: string; heurtrans: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('fr-FR', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { dattrans: `${parts.day}${parts.month}${parts.year}`, heurtrans: `${parts.hour}${parts.minute}` };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves a prefix against the xmlns declarations of the element and its ancestors. */
function namespaceOf(qname: string, lineage: XmlElement[]): string | undefined {
  const colon = qname.indexOf(':');
  const attr = colon === -1 ? 'xmlns' : `xmlns:${qname.slice(0, colon)}`;
  for (let i = lineage.length - 1; i >= 0; i--) {
    const v = lineage[i]!.attributes[attr];
    if (v !== undefined) return v;
  }
  return undefined;
}

export async function startPayfipSimulator(start: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', now = () => new Date(), log = () => {}, ...optionOverrides } = start;
  const options: SimulatorOptions = { ...defaultSimulatorOptions, ...optionOverrides };
  const payments = new Map<string, SimulatedPayment>();
  const usedRefdets = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();

  const clientLabel = (numcli: string) => options.clients?.[numcli] ?? `Régie périscolaire (client ${numcli})`;

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  async function postNotification(payment: SimulatedPayment): Promise<number | null> {
    const attempt: NotificationAttempt = { at: now().toISOString(), status: null };
    payment.notifications.push(attempt);
    try {
      const res = await fetch(payment.urlnotif, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ idop: payment.idOp }).toString(),
        signal: AbortSignal.timeout(10_000),
        redirect: 'manual',
      });
      await res.arrayBuffer();
      attempt.status = res.status;
      log(`notification ${payment.idOp} -> ${res.status}`);
      return res.status;
    } catch (err) {
      attempt.error = (err as Error).message;
      log(`notification ${payment.idOp} échouée : ${attempt.error}`);
      return null;
    }
  }

  async function notify(idOp: string, times = 1, concurrently = false): Promise<Array<number | null>> {
    const payment = payments.get(idOp);
    if (!payment) throw new Error(`idOp inconnu ${idOp}`);
    if (concurrently) return track(Promise.all(Array.from({ length: times }, () => postNotification(payment))));
    return track(
      (async () => {
        const statuses: Array<number | null> = [];
        for (let i = 0; i < times; i++) statuses.push(await postNotification(payment));
        return statuses;
      })(),
    );
  }

  function scheduleNotifications(payment: SimulatedPayment): void {
    if (options.dropNotifications) {
      log(`notification ${payment.idOp} volontairement perdue`);
      return;
    }
    const times = Math.max(0, options.notifyTimes);
    const concurrently = options.notifyConcurrently;
    const send = () => void notify(payment.idOp, times, concurrently);
    if (options.notifyDelayMs <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, options.notifyDelayMs);
    timers.add(timer);
  }

  const alive = (payment: SimulatedPayment) => now().getTime() - Date.parse(payment.createdAt) <= options.idOpLifetimeMs;
  /** Open to a choice: no result yet, or abandoned (the payer came back) while the idOp lives. */
  const isOpen = (payment: SimulatedPayment) => alive(payment) && (payment.resultrans === null || payment.resultrans === 'A');

  function finish(payment: SimulatedPayment, resultrans: Resultrans): void {
    const { dattrans, heurtrans } = parisDattrans(now());
    payment.resultrans = resultrans;
    payment.dattrans = dattrans;
    payment.heurtrans = heurtrans;
    payment.numauto = resultrans === 'P' || resultrans === 'V' ? String(crypto.randomInt(100000, 1000000)) : '';
  }

  async function complete(idOp: string, resultrans: Resultrans, doNotify = true): Promise<SimulatedPayment> {
    const payment = payments.get(idOp);
    if (!payment) throw new Error(`idOp inconnu ${idOp}`);
    if (!isOpen(payment)) throw new Error(`Opération ${idOp} déjà terminée (${payment.resultrans ?? 'expirée'})`);
    finish(payment, resultrans);
    if (doNotify) scheduleNotifications(payment);
    return payment;
  }

  // --- SOAP operations -------------------------------------------------------------------

  function creerPaiementSecurise(a: Record<string, string>): string {
    const { exer, mel, montant, numcli, objet, refdet, saisie, urlnotif, urlredirect } = checkCreation(a, options.clients, usedRefdets);
    const idOp = crypto.randomUUID(); // 36 characters, like PayFiP's
    usedRefdets.add(`${numcli}/${refdet}`);
    payments.set(idOp, {
      idOp,
      exer,
      mel,
      montant,
      numcli,
      objet,
      refdet,
      saisie,
      urlnotif,
      urlredirect,
      createdAt: now().toISOString(),
      resultrans: null,
      dattrans: '',
      heurtrans: '',
      numauto: '',
      notifications: [],
    });
    log(`creerPaiementSecurise ${refdet} ${montant} -> ${idOp}`);
    return responseEnvelope('creerPaiementSecurise', [['idOp', idOp]]);
  }

  function recupererDetailPaiementSecurise(a: Record<string, string>): string {
    const payment = payments.get(a.idOp ?? '');
    if (!payment) throw fonctionnelle('P1', 'IdOp incorrect.', 'IdOp incorrect');
    if (!payment.resultrans) throw fonctionnelle('P5', 'Résultat de la transaction non connu.', 'Résultat de la transaction non connu');
    return responseEnvelope('recupererDetailPaiementSecurise', [
      ['dattrans', payment.dattrans],
      ['exer', payment.exer],
      ['heurtrans', payment.heurtrans],
      ['idOp', payment.idOp],
      ['mel', payment.mel],
      ['montant', payment.montant],
      ['numauto', payment.numauto],
      ['numcli', payment.numcli],
      ['objet', payment.objet],
      ['refdet', payment.refdet],
      ['resultrans', payment.resultrans],
      ['saisie', payment.saisie],
    ]);
  }

  function recupererDetailClient(a: Record<string, string>): string {
    const numcli = a.numCli ?? '';
    if (!/^\d{6}$/.test(numcli) || (options.clients && !(numcli in options.clients))) {
      throw fonctionnelle('R2', `Numéro client ${numcli} inconnu.`);
    }
    return responseEnvelope('recupererDetailClient', [
      ['libelleN1', clientLabel(numcli)],
      ['libelleN2', 'Simulateur PayFiP'],
      ['libelleN3', ''],
      ['numcli', numcli],
    ]);
  }

  function handleSoap(body: string): string {
    let root: XmlElement;
    try {
      root = parseXml(body);
    } catch (err) {
      throw protocolaire(`Requête SOAP illisible : ${err instanceof XmlParseError ? err.message : 'XML invalide'}`);
    }
    if (root.name !== 'Envelope' || namespaceOf(root.qname, [root]) !== SOAP_ENV_NS) throw protocolaire('Enveloppe SOAP 1.1 attendue.');
    const soapBody = root.children.find((c) => c.name === 'Body');
    const op = soapBody?.children[0];
    if (!soapBody || !op) throw protocolaire('Corps SOAP vide.');
    if (!(payfipOperations as readonly string[]).includes(op.name) || namespaceOf(op.qname, [root, soapBody, op]) !== PAYFIP_NS) {
      throw protocolaire(`Opération inconnue : ${op.name}`);
    }
    const arg0 = op.children.find((c) => c.name === 'arg0');
    if (!arg0) throw protocolaire('Élément arg0 absent.');
    const args = childTexts(arg0);
    if (options.unavailable) throw indisponible();
    switch (op.name as PayfipOperation) {
      case 'creerPaiementSecurise':
        return creerPaiementSecurise(args);
      case 'recupererDetailPaiementSecurise':
        return recupererDetailPaiementSecurise(args);
      case 'recupererDetailClient':
        return recupererDetailClient(args);
    }
  }

  // --- HTTP ------------------------------------------------------------------------------

  function sendHtml(res: http.ServerResponse, status: number, html: string, formTarget?: string): void {
    const formAction = ["'self'"];
    if (formTarget) {
      try {
        formAction.push(new URL(formTarget).origin);
      } catch {
        /* invalid target: the form stays blocked */
      }
    }
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action ${formAction.join(' ')}; base-uri 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(html);
  }

  function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(value));
  }

  function paramsOf(url: URL, body: string, contentType: string | undefined): Record<string, string> {
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (body) {
      if (contentType?.includes('application/json')) {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        for (const [k, v] of Object.entries(parsed)) params[k] = String(v);
      } else {
        Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
      }
    }
    return params;
  }

  const resultByAction: Record<string, Resultrans> = { payer: 'P', refuser: 'R', abandonner: 'A' };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulateur.local');
    const method = req.method ?? 'GET';
    const path = url.pathname;

    if (path === '/tpa/services/securite') {
      if (method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      const body = await readBody(req);
      try {
        const answer = handleSoap(body);
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(answer);
      } catch (err) {
        if (!(err instanceof SoapFault)) throw err;
        res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' }).end(faultEnvelope(err.detail, err.faultcode));
      }
      return;
    }

    if (path === '/tpa/static/simulateur.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=300' }).end(stylesheet);
      return;
    }
    if (path === '/tpa/static/retour.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=300' }).end(returnScript);
      return;
    }

    if (path === '/tpa/paiementws.web') {
      if (method === 'GET') {
        const payment = payments.get(url.searchParams.get('idop') ?? '');
        if (!payment) {
          const p = messagePage('Opération inconnue', 'Cette opération de paiement est inconnue ou a été purgée.', 404);
          sendHtml(res, p.status, p.html);
          return;
        }
        if (payment.resultrans && payment.resultrans !== 'A') {
          const p = messagePage('Opération terminée', 'Cette opération de paiement est déjà terminée.');
          sendHtml(res, p.status, p.html);
          return;
        }
        if (!alive(payment)) {
          const p = messagePage('Opération expirée', 'Le délai de paiement est dépassé. Recommencez depuis le site de votre commune.', 410);
          sendHtml(res, p.status, p.html);
          return;
        }
        sendHtml(res, 200, paymentPage({ ...payment, libelleClient: clientLabel(payment.numcli) }));
        return;
      }
      if (method === 'POST') {
        const params = paramsOf(url, await readBody(req), req.headers['content-type']);
        const payment = payments.get(params.idop ?? '');
        const resultrans = resultByAction[params.action ?? ''];
        if (!payment || !resultrans) {
          const p = messagePage('Demande invalide', 'Opération ou choix inconnu.', 400);
          sendHtml(res, p.status, p.html);
          return;
        }
        if (payment.resultrans && payment.resultrans !== 'A') {
          const p = messagePage('Opération terminée', 'Cette opération de paiement est déjà terminée.', 409);
          sendHtml(res, p.status, p.html);
          return;
        }
        if (!alive(payment)) {
          const p = messagePage('Opération expirée', 'Le délai de paiement est dépassé. Recommencez depuis le site de votre commune.', 410);
          sendHtml(res, p.status, p.html);
          return;
        }
        finish(payment, resultrans);
        scheduleNotifications(payment);
        sendHtml(res, 200, returnPage(payment.idOp, resultrans, payment.urlredirect), payment.urlredirect);
        return;
      }
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }

    if (path.startsWith('/simulator/')) {
      const params = paramsOf(url, method === 'POST' ? await readBody(req) : '', req.headers['content-type']);
      if (method === 'GET' && path === '/simulator/payments') {
        sendJson(res, 200, [...payments.values()]);
        return;
      }
      if (method === 'GET' && path.startsWith('/simulator/payments/')) {
        const payment = payments.get(decodeURIComponent(path.slice('/simulator/payments/'.length)));
        if (payment) sendJson(res, 200, payment);
        else sendJson(res, 404, { error: 'idOp inconnu' });
        return;
      }
      if (method === 'POST' && path === '/simulator/notify-again') {
        const idop = params.idop ?? '';
        if (!payments.has(idop)) {
          sendJson(res, 404, { error: 'idOp inconnu' });
          return;
        }
        const times = Math.min(Math.max(Number(params.times ?? 1) || 1, 1), 100);
        const delayMs = Math.max(Number(params.delayMs ?? 0) || 0, 0);
        const concurrently = params.concurrent === '1' || params.concurrent === 'true';
        if (delayMs > 0) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            void notify(idop, times, concurrently);
          }, delayMs);
          timers.add(timer);
          sendJson(res, 202, { idop, scheduled: times, delayMs });
          return;
        }
        sendJson(res, 200, { idop, statuses: await notify(idop, times, concurrently) });
        return;
      }
      if (method === 'POST' && path === '/simulator/options') {
        if (params.notifyTimes !== undefined) options.notifyTimes = Math.min(Math.max(Number(params.notifyTimes) || 0, 0), 100);
        if (params.notifyDelayMs !== undefined) options.notifyDelayMs = Math.max(Number(params.notifyDelayMs) || 0, 0);
        if (params.dropNotifications !== undefined) options.dropNotifications = params.dropNotifications === 'true' || params.dropNotifications === '1';
        if (params.notifyConcurrently !== undefined) options.notifyConcurrently = params.notifyConcurrently === 'true' || params.notifyConcurrently === '1';
        if (params.unavailable !== undefined) options.unavailable = params.unavailable === 'true' || params.unavailable === '1';
        sendJson(res, 200, options);
        return;
      }
      if (method === 'POST' && path === '/simulator/complete') {
        const resultrans = params.resultrans as Resultrans;
        if (!['P', 'V', 'R', 'Z', 'A'].includes(resultrans)) {
          sendJson(res, 400, { error: 'resultrans attendu : P, V, R, Z ou A' });
          return;
        }
        try {
          const payment = await complete(params.idop ?? '', resultrans, params.notify !== '0');
          sendJson(res, 200, payment);
        } catch (err) {
          sendJson(res, 409, { error: (err as Error).message });
        }
        return;
      }
      if (method === 'POST' && path === '/simulator/reset') {
        payments.clear();
        usedRefdets.clear();
        sendJson(res, 200, { ok: true });
        return;
      }
      sendJson(res, 404, { error: 'Commande inconnue' });
      return;
    }

    if (path === '/' && method === 'GET') {
      const p = messagePage('Simulateur PayFiP', 'Service SOAP sur /tpa/services/securite, page de paiement sur /tpa/paiementws.web?idop=…');
      sendHtml(res, p.status, p.html);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Introuvable');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`erreur : ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Requête invalide');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${address.port}`;

  return {
    url,
    serviceUrl: `${url}/tpa/services/securite`,
    paymentPageUrl: `${url}/tpa/paiementws.web`,
    options,
    payments,
    complete,
    notify,
    async idle() {
      while (timers.size > 0 || inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        if (timers.size > 0) await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
