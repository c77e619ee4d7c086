/**
 * The simulator speaks PayFiP's faults as the real service does: codes P1, P5, R3, A2 with their
 * libellés, TechIndisponibiliteErreur when told unavailable, details valid against the DGFiP's
 * XSD (xmllint); the client reads ISO-8859-1 faults; an abandoned payment may still be paid.
 */
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPayfipSimulator, type RunningSimulator } from './server.js';
import { createPayfipClient } from '../core/adapters/payfip-soap.js';
import { PayfipFault } from '../core/payfip/client.js';
import { faultEnvelope } from '../core/payfip/soap.js';
import { envelope, idOpOf, NS, soap, startReceiver, validArgs } from './test-helpers.js';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sim: RunningSimulator;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startPayfipSimulator({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  Object.assign(sim.options, { dropNotifications: false, unavailable: false });
});

/**
 * The DGFiP's own schemas, read where they are shared next to the project (never copied into it):
 * PAYFIP_WSDL_DIR, else the first `shared/payfip-wsdl` found going up from the project.
 */
function findXsd(): string {
  const name = 'PaiementSecuriseService_schema1.xsd';
  if (process.env.PAYFIP_WSDL_DIR) return path.join(process.env.PAYFIP_WSDL_DIR, name);
  for (let dir = path.resolve(__dirname, '..'); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'payfip-wsdl', name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return '';
}
const XSD = findXsd();
const hasXmllint = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return fs.existsSync(XSD);
  } catch {
    return false;
  }
})();

/** The fault's detail element (one of PayFiP's four errors), validated by xmllint against the XSD. */
function validateFaultDetail(envelopeText: string): void {
  const detail = /<detail>(.*)<\/detail>/s.exec(envelopeText)?.[1];
  expect(detail).toBeTruthy();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payfip-xsd-')), 'detail.xml');
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>${detail}`);
  // Throws (non-zero exit) when the element does not validate.
  execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
}

describe('fault codes of the real service', () => {
  it.each([
    ['recupererDetailPaiementSecurise', { idOp: 'inconnu' }, 'P1', 'IdOp incorrect'],
    ['creerPaiementSecurise', { refdet: 'ET26' }, 'R3', 'Le format du paramètre REFDET n’est pas conforme'],
    ['creerPaiementSecurise', { mel: 'pas-une-adresse' }, 'A2', 'Adresse mél incorrecte'],
  ] as const)('%s answers %j with %s « %s »', async (op, args, code, libelle) => {
    const body = op === 'creerPaiementSecurise' ? validArgs(receiver.url, args) : args;
    const { status, text } = await soap(sim, envelope(op, body));
    expect(status).toBe(500);
    expect(text).toContain(`<code>${code}</code>`);
    expect(text).toContain(`<libelle>${libelle}</libelle>`);
    if (hasXmllint) validateFaultDetail(text);
  });

  it('P5 « Résultat de la transaction non connu » while the payer has not chosen', async () => {
    const idOp = idOpOf((await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url)))).text);
    const { status, text } = await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp }));
    expect(status).toBe(500);
    expect(text).toContain('<code>P5</code>');
    expect(text).toContain('<libelle>Résultat de la transaction non connu</libelle>');
    if (hasXmllint) validateFaultDetail(text);
  });

  it('accepts an 8-character refdet (the real service did)', async () => {
    const { status, text } = await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url, { refdet: `R${Date.now() % 10_000_000}`.padEnd(8, '0') })));
    expect(status).toBe(200);
    expect(idOpOf(text)).toHaveLength(36);
  });

  it('when told unavailable, answers TechIndisponibiliteErreur, valid against the XSD', async () => {
    sim.options.unavailable = true;
    try {
      const { status, text } = await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp: 'x' }));
      expect(status).toBe(500);
      expect(text).toContain('TechIndisponibiliteErreur');
      if (hasXmllint) validateFaultDetail(text);
      const client = createPayfipClient({ serviceUrl: sim.serviceUrl });
      await expect(client.recupererDetailPaiementSecurise('x')).rejects.toMatchObject({ kind: 'TechIndisponibiliteErreur' });
    } finally {
      sim.options.unavailable = false;
    }
  });

  it.skipIf(!hasXmllint)('xmllint refuses a detail that breaks the schema (the check is real)', () => {
    expect(() => validateFaultDetail(`<detail><ns2:FonctionnelleErreur xmlns:ns2="${NS}"><code>P1</code><severite>deux</severite></ns2:FonctionnelleErreur></detail>`)).toThrow();
  });
});

describe('an abandoned payment may still be paid with the same idOp while it lives', () => {
  it('A, then the payer comes back to the page and pays: the detail says P', async () => {
    sim.options.dropNotifications = true;
    const idOp = idOpOf((await soap(sim, envelope('creerPaiementSecurise', validArgs(receiver.url)))).text);
    await sim.complete(idOp, 'A');
    expect((await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp }))).text).toContain('<resultrans>A</resultrans>');
    const page = await fetch(`${sim.paymentPageUrl}?idop=${idOp}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('>Payer<');
    const post = await fetch(sim.paymentPageUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `idop=${idOp}&action=payer` });
    expect(post.status).toBe(200);
    expect((await soap(sim, envelope('recupererDetailPaiementSecurise', { idOp }))).text).toContain('<resultrans>P</resultrans>');
    // Paid is final.
    await expect(sim.complete(idOp, 'A')).rejects.toThrow(/déjà terminée/);
  });
});

describe('client over the wire', () => {
  it('reads a fault sent ISO-8859-1 encoded (by the Content-Type, or by the XML declaration alone)', async () => {
    const xml = faultEnvelope({ kind: 'FonctionnelleErreur', code: 'P5', libelle: 'Résultat de la transaction non connu', descriptif: 'Opération en cours', severite: '2' }).replace(
      'encoding="UTF-8"',
      'encoding="ISO-8859-1"',
    );
    for (const contentType of ['text/xml;charset=ISO-8859-1', 'text/xml']) {
      const server = http.createServer((_req, res) => res.writeHead(500, { 'Content-Type': contentType }).end(Buffer.from(xml, 'latin1')));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const client = createPayfipClient({ serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
        const err = await client.recupererDetailPaiementSecurise('x').catch((e: unknown) => e);
        expect(err, contentType).toBeInstanceOf(PayfipFault);
        expect(err, contentType).toMatchObject({ code: 'P5', libelle: 'Résultat de la transaction non connu' });
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});
