/**
 * The PayFiP régie web-service vocabulary (SOAP 1.1), shared by the client and the simulator so
 * that both speak exactly the same element names. See ../shared/PAYFIP.md.
 */
import { escapeXml, findElement, childTexts, flatElements, parseXml, type XmlElement } from './xml.js';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const PAYFIP_NS =
  'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService';

export type PayfipOperation = 'creerPaiementSecurise' | 'recupererDetailPaiementSecurise' | 'recupererDetailClient';

export const payfipOperations: readonly PayfipOperation[] = [
  'creerPaiementSecurise',
  'recupererDetailPaiementSecurise',
  'recupererDetailClient',
];

export type PayfipFaultKind =
  | 'FonctionnelleErreur'
  | 'TechDysfonctionnementErreur'
  | 'TechIndisponibiliteErreur'
  | 'TechProtocolaireErreur';

export const payfipFaultKinds: readonly PayfipFaultKind[] = [
  'FonctionnelleErreur',
  'TechDysfonctionnementErreur',
  'TechIndisponibiliteErreur',
  'TechProtocolaireErreur',
];

export interface PayfipFaultDetail {
  kind: PayfipFaultKind;
  code: string;
  libelle: string;
  descriptif: string;
  severite: string;
}

/** Saisie mode: T test, X activation, W production. */
export type SaisieMode = 'T' | 'X' | 'W';

/** P paid by card, V paid by direct debit, R card refused, Z direct debit refused, A abandoned. */
export type Resultrans = 'P' | 'V' | 'R' | 'Z' | 'A';

/** Field order of each operation's `arg0`, as the WSDL lists them. */
export const creerPaiementFields = ['exer', 'mel', 'montant', 'numcli', 'objet', 'refdet', 'saisie', 'urlnotif', 'urlredirect'] as const;
export const detailPaiementFields = ['dattrans', 'exer', 'heurtrans', 'idOp', 'mel', 'montant', 'numauto', 'numcli', 'objet', 'refdet', 'resultrans', 'saisie'] as const;

/** A request envelope: `<pai:operation><arg0>…fields…</arg0></pai:operation>`. */
export function requestEnvelope(operation: PayfipOperation, fields: ReadonlyArray<readonly [string, string | number | undefined | null]>): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}" xmlns:pai="${PAYFIP_NS}">` +
    '<soapenv:Header/><soapenv:Body>' +
    `<pai:${operation}><arg0>${flatElements(fields)}</arg0></pai:${operation}>` +
    '</soapenv:Body></soapenv:Envelope>'
  );
}

/** A response envelope as the JAX-WS service writes it: `<ns2:operationResponse><return>…</return>`. */
export function responseEnvelope(operation: PayfipOperation, fields: ReadonlyArray<readonly [string, string | number | undefined | null]>): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body>` +
    `<ns2:${operation}Response xmlns:ns2="${PAYFIP_NS}"><return>${flatElements(fields)}</return></ns2:${operation}Response>` +
    '</soap:Body></soap:Envelope>'
  );
}

/** A SOAP 1.1 fault carrying one of PayFiP's four error elements in its detail. */
export function faultEnvelope(detail: PayfipFaultDetail, faultcode: 'soap:Client' | 'soap:Server' = 'soap:Server'): string {
  const faultstring = `fr.gouv.finances.cp.tpa.webservice.exceptions.${detail.kind}`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body><soap:Fault>` +
    `<faultcode>${faultcode}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring>` +
    `<detail><ns2:${detail.kind} xmlns:ns2="${PAYFIP_NS}">` +
    flatElements([
      ['code', detail.code],
      ['descriptif', detail.descriptif],
      ['libelle', detail.libelle],
      ['severite', detail.severite],
    ]) +
    `</ns2:${detail.kind}></detail>` +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}

/** The Body's single child of an envelope, checked to be a SOAP 1.1 envelope. */
export function envelopeBodyChild(xml: string): XmlElement {
  const root = parseXml(xml);
  if (root.name !== 'Envelope') throw new Error('Enveloppe SOAP attendue');
  const body = root.children.find((c) => c.name === 'Body');
  if (!body) throw new Error('Corps SOAP absent');
  const child = body.children[0];
  if (!child) throw new Error('Corps SOAP vide');
  return child;
}

/** Reads the detail of a SOAP fault element; null when it does not hold a PayFiP error. */
export function readFaultDetail(fault: XmlElement): PayfipFaultDetail | null {
  const detail = fault.children.find((c) => c.name === 'detail');
  const error = detail?.children.find((c) => (payfipFaultKinds as readonly string[]).includes(c.name));
  if (!error) return null;
  const t = childTexts(error);
  return {
    kind: error.name as PayfipFaultKind,
    code: t.code ?? '',
    libelle: t.libelle ?? '',
    descriptif: t.descriptif ?? '',
    severite: t.severite ?? '',
  };
}

export { findElement, childTexts };
