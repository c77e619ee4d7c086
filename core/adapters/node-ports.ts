/**
 * The real ports on this machine: PayFiP over SOAP, SMTP through nodemailer, the demo's .eml
 * mailbox and the documents, both in the data folder. The server (server/deps.ts), the scripts
 * and the tests build their contexts with it; `overrides` swaps one adapter (a test's store).
 */
import { documentsDir } from '../documents.js';
import type { Ports } from '../ports.js';
import { diskDocumentStore } from './disk-documents.js';
import { emlMailbox, mailsFolder, smtpTransport } from './mail.js';
import { createPayfipClient } from './payfip-soap.js';

export function nodePorts(dataDir: string, overrides: Partial<Ports> = {}): Ports {
  return {
    payfip: (endpoint) => createPayfipClient(endpoint),
    smtp: (settings) => smtpTransport(settings),
    demoMailbox: () => emlMailbox(mailsFolder(dataDir)),
    documents: diskDocumentStore(documentsDir(dataDir)),
    ...overrides,
  };
}
