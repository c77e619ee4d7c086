/**
 * What PayFiP's régie web service takes and answers, and its two kinds of failure. The calls
 * themselves go through the PayfipGateway port (core/ports.ts); the SOAP-over-HTTP adapter is
 * core/adapters/payfip-soap.ts. Validation of what is sent (amount limits, refdet, objet)
 * belongs to core/payments.ts, which has French messages.
 */
import type { PayfipFaultDetail, PayfipFaultKind, SaisieMode } from './soap.js';

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
