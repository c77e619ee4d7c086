/**
 * The PayfipGateway adapter: SOAP 1.1 over fetch to PayFiP's régie web service (or the demo's
 * simulator, which speaks the same). It only transports; see core/payfip/client.ts.
 */
import type { PayfipEndpoint, PayfipGateway } from '../ports.js';
import { PayfipFault, PayfipTransportError } from '../payfip/client.js';
import { childTexts, envelopeBodyChild, readFaultDetail, requestEnvelope, type PayfipOperation } from '../payfip/soap.js';

export interface PayfipClientOptions extends PayfipEndpoint {
  fetchImpl?: typeof fetch;
}

const maxAnswerBytes = 64 * 1024;

/**
 * PayFiP's faults may come ISO-8859-1 encoded: decode by the charset of the Content-Type, else
 * of the XML declaration, else UTF-8 (fetch's text() would always assume UTF-8).
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared.toLowerCase()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // an unknown label
  }
}

export function createPayfipClient(options: PayfipClientOptions): PayfipGateway {
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(operation: PayfipOperation, fields: ReadonlyArray<readonly [string, string | number]>): Promise<Record<string, string>> {
    let response: Response;
    let body: string;
    try {
      response = await fetchImpl(options.serviceUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body: requestEnvelope(operation, fields),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      body = decodeBody(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type'));
    } catch (err) {
      throw new PayfipTransportError(`PayFiP injoignable (${operation}) : ${(err as Error).message}`, { cause: err });
    }
    if (body.length > maxAnswerBytes) throw new PayfipTransportError(`Réponse PayFiP trop longue (${operation})`);

    let child;
    try {
      child = envelopeBodyChild(body);
    } catch (err) {
      throw new PayfipTransportError(`Réponse PayFiP illisible (${operation}, HTTP ${response.status}) : ${(err as Error).message}`, { cause: err });
    }
    if (child.name === 'Fault') {
      const detail = readFaultDetail(child);
      if (detail) throw new PayfipFault(detail);
      const faultstring = child.children.find((c) => c.name === 'faultstring')?.text.trim() ?? '';
      throw new PayfipTransportError(`Erreur SOAP PayFiP (${operation}) : ${faultstring}`);
    }
    if (!response.ok) throw new PayfipTransportError(`PayFiP a répondu HTTP ${response.status} (${operation})`);
    if (child.name !== `${operation}Response`) throw new PayfipTransportError(`Réponse PayFiP inattendue <${child.name}> pour ${operation}`);
    const ret = child.children.find((c) => c.name === 'return');
    if (!ret) throw new PayfipTransportError(`Réponse PayFiP sans <return> (${operation})`);
    return childTexts(ret);
  }

  return {
    async creerPaiementSecurise(input) {
      const answer = await call('creerPaiementSecurise', [
        ['exer', input.exer],
        ['mel', input.mel],
        ['montant', input.montant],
        ['numcli', input.numcli],
        ['objet', input.objet],
        ['refdet', input.refdet],
        ['saisie', input.saisie],
        ['urlnotif', input.urlnotif],
        ['urlredirect', input.urlredirect],
      ]);
      const idOp = answer.idOp ?? '';
      if (!/^[A-Za-z0-9-]{1,64}$/.test(idOp)) throw new PayfipTransportError('Identifiant d’opération PayFiP absent ou invalide');
      return idOp;
    },

    async recupererDetailPaiementSecurise(idOp) {
      const a = await call('recupererDetailPaiementSecurise', [['idOp', idOp]]);
      const montant = Number(a.montant);
      if (!/^\d+$/.test(a.montant ?? '') || !Number.isSafeInteger(montant)) {
        throw new PayfipTransportError(`Montant illisible dans la réponse PayFiP : ${a.montant ?? '(absent)'}`);
      }
      return {
        dattrans: a.dattrans ?? '',
        heurtrans: a.heurtrans ?? '',
        exer: a.exer ?? '',
        idOp: a.idOp ?? '',
        mel: a.mel ?? '',
        montant,
        numauto: a.numauto ?? '',
        numcli: a.numcli ?? '',
        objet: a.objet ?? '',
        refdet: a.refdet ?? '',
        resultrans: a.resultrans ?? '',
        saisie: a.saisie ?? '',
      };
    },

    async recupererDetailClient(numCli) {
      const a = await call('recupererDetailClient', [['numCli', numCli]]);
      return { numcli: a.numcli ?? numCli, libelleN1: a.libelleN1 ?? '', libelleN2: a.libelleN2 ?? '', libelleN3: a.libelleN3 ?? '' };
    },
  };
}
