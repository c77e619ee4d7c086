/**
 * What core asks of the outside world, as small interfaces: PayFiP's SOAP service, an SMTP
 * server and the store of the families' files. Core's domain functions reach them only through
 * `ctx.ports` (core/context.ts); the real adapters live in core/adapters/ and are chosen by
 * whoever builds the context (the server, a script, a test), so a test can run core with an
 * in-memory document store, and no domain file opens a socket or a file of its own.
 */
import type { ClientDetail, CreerPaiementInput, PaymentDetail } from './payfip/client.js';
import type { SmtpSettings } from './mail/settings.js';

/** PayFiP's three SOAP calls. Rejects with PayfipFault (PayFiP said no) or PayfipTransportError (no usable answer). */
export interface PayfipGateway {
  /** Registers a payment; resolves with its idOp. */
  creerPaiementSecurise(input: CreerPaiementInput): Promise<string>;
  recupererDetailPaiementSecurise(idOp: string): Promise<PaymentDetail>;
  recupererDetailClient(numCli: string): Promise<ClientDetail>;
}

export interface PayfipEndpoint {
  /** SOAP endpoint (the settings' serviceUrl). */
  serviceUrl: string;
  timeoutMs?: number;
}

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable per outbox row, so a mail sent again after a crash is recognised as the same one. */
  messageId?: string;
  date?: Date;
  headers?: Record<string, string>;
  /** A short name for the mail where mails are kept as files (the demo's .eml folder). */
  name?: string;
}

export interface MailReceipt {
  /** Recipients the server refused. */
  rejected: string[];
  /** The server's last answer, e.g. "250 OK queued". */
  response: string;
}

/**
 * Hands mails to a mail server. A refusal rejects with SMTP's words: `code` (EAUTH, ECONNECTION,
 * EENVELOPE…) and `responseCode` (550…), which the outbox uses to decide whether to retry.
 */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<MailReceipt>;
  close(): void;
}

/** A file the server received (an upload), waiting to be filed or refused. */
export interface ReceivedFile {
  sizeBytes: number;
  /** Its first bytes (the type is decided by them, never by the name). */
  head(bytes: number): Promise<Uint8Array>;
  /** Its bytes, read once. */
  stream(): AsyncIterable<Uint8Array>;
  /** Where it is on this machine's disk, for a store that can move it instead of copying it. */
  path?: string;
  /** Removes what is left of the upload (after it was filed, or refused). */
  discard(): Promise<void>;
}

export interface StoredFile {
  sizeBytes: number;
  stream(): AsyncIterable<Uint8Array>;
}

/**
 * Where the families' documents are kept, by name (core chooses it: random hex and the sniffed
 * extension). `put` resolves once the bytes would survive a power cut; a full or failing disk
 * rejects with a French DomainError (STORAGE_UNAVAILABLE).
 */
export interface DocumentStore {
  put(name: string, file: ReceivedFile): Promise<void>;
  /** Null when no file has this name (any more). */
  open(name: string): Promise<StoredFile | null>;
  /** Nothing happens when the file is already gone. */
  delete(name: string): Promise<void>;
}

export interface Ports {
  /** PayFiP at this address (the settings say which: the real service or the demo's simulator). */
  payfip(endpoint: PayfipEndpoint): PayfipGateway;
  /** The SMTP server of these settings; the caller closes it. */
  smtp(settings: SmtpSettings): MailTransport;
  /** Demo mode without SMTP: where mails go instead (files a newcomer can open in a mail client). */
  demoMailbox(): MailTransport;
  documents: DocumentStore;
}
