/**
 * SOAP client of the PayFiP régie web service, over fetch. It only transports: validation of what
 * is sent (amount limits, refdet, objet) belongs to core/payments.ts, which has French messages.
 */
import {
  childTexts,
  envelopeBodyChild,
  readFaultDetail,
  requestEnvelope,
  type PayfipFaultDetail,
  type PayfipFaultKind,
  type PayfipOperation,
  type SaisieMode,
} from './soap.js';

export interface CreerPaiementInput {
  exer: number;
  mel: string;
  /** Integer cents. */
  montant: number;
  numcli: string;
  objet: string;
  refdet: string;
  saisie: SaisieMode;
  urlnotif: string;
  urlredirect: string;
}

export interface PaymentDetail {
  /** JJMMAAAA, Europe/Paris. */
  dattrans: string;
  /** HHMM, Europe/Paris. */
  heurtrans: string;
  exer: string;
  idOp: string;
  mel: string;
  /** Integer cents. */
  montant: number;
  numauto: string;
  numcli: string;
  objet: string;
  refdet: string;
  resultrans: string;
  saisie: string;
}

export interface ClientDetail {
  numcli: string;
  libelleN1: string;
  libelleN2: string;
  libelleN3: string;
}

/** PayFiP answered with a SOAP fault (P1 unknown idOp, P5 result not known yet, …). */
export class PayfipFault extends Error {
  readonly kind: PayfipFaultKind;
  readonly code: string;
  readonly libelle: string;
  readonly descriptif: string;
  readonly severite: string;
  constructor(detail: PayfipFaultDetail) {
    super(`PayFiP ${detail.kind} ${detail.code} : ${detail.descriptif || detail.libelle}`);
    this.name = 'PayfipFault';
    this.kind = detail.kind;
    this.code = detail.code;
    this.libelle = detail.libelle;
    this.descriptif = detail.descriptif;
    this.severite = detail.severite;
  }
}

/** The service could not be reached, timed out, or answered something that is not PayFiP's SOAP. */
export class PayfipTransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayfipTransportError';
  }
}

export interface PayfipClient {
  creerPaiementSecurise(input: CreerPaiementInput): Promise<string>;
  recupererDetailPaiementSecurise(idOp: string): Promise<PaymentDetail>;
  recupererDetailClient(numCli: string): Promise<ClientDetail>;
}

export interface PayfipClientOptions {
  serviceUrl: string;
  timeoutMs?: number;
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

export function createPayfipClient(options: PayfipClientOptions): PayfipClient {
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

/** JJMMAAAA + HHMM (Paris local time, as PayFiP gives them) -> "YYYY-MM-DD HH:MM"; null if malformed. */
export function parisLocalFromPayfip(dattrans: string, heurtrans: string): string | null {
  const d = /^(\d{2})(\d{2})(\d{4})$/.exec(dattrans);
  const h = /^(\d{2}):?(\d{2})$/.exec(heurtrans);
  if (!d || !h) return null;
  const [, dd, mm, yyyy] = d;
  const [, hh, mi] = h;
  if (Number(mm) < 1 || Number(mm) > 12 || Number(dd) < 1 || Number(dd) > 31 || Number(hh) > 23 || Number(mi) > 59) return null;
  return `${yyyy}-${mm}-${dd} ${hh}:${mi}`;
}
