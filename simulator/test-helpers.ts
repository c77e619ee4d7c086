/** Shared by the simulator's test files: a notification receiver and hand-written SOAP calls. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from './server.js';

export const NS = 'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService';

/** A commune's notification endpoint: counts what PayFiP posts. */
export async function startReceiver() {
  const hits: Array<{ body: string; contentType: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ body, contentType: req.headers['content-type'] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hits, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A hand-written envelope, as another integration (with its own prefixes) would send it. */
export function envelope(op: string, args: Record<string, string>): string {
  const inner = Object.entries(args)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Body><ns0:${op} xmlns:ns0="${NS}"><arg0>${inner}</arg0></ns0:${op}></soap-env:Body>
</soap-env:Envelope>`;
}

export async function soap(sim: RunningSimulator, body: string) {
  const res = await fetch(sim.serviceUrl, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  return { status: res.status, text: await res.text() };
}

export function validArgs(receiverUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    exer: '2026',
    mel: 'chantal.devret@example.fr',
    montant: '2000',
    numcli: '123456',
    objet: 'Credit eTicket Restauration famille DEVRET',
    refdet: `ET${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    saisie: 'T',
    urlnotif: `${receiverUrl}/payfip/notification`,
    urlredirect: `${receiverUrl}/payfip/retour`,
    ...overrides,
  };
}

export const idOpOf = (xml: string) => /<idOp>([^<]+)<\/idOp>/.exec(xml)?.[1] ?? '';
