import path from 'node:path';

export interface ServerConfig {
  /** Folder of the database, uploaded documents, outgoing mail files and backups. */
  dataDir: string;
  /** Public base URL of the portal, used in mails and PayFiP return URLs. */
  publicUrl: string;
  /** Demo mode: demo data on first start, PayFiP simulator, mails written to files. */
  demo: boolean;
  /** Serve the built clients from these folders (absent in API-only tests). */
  webDist?: string;
  staffDist?: string;
  /** Cookies marked Secure (behind HTTPS). */
  secureCookies: boolean;
}

export function configFromEnv(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = process.env.PORT ?? '3000';
  const host = process.env.HOST ?? '127.0.0.1';
  const root = path.resolve(import.meta.dirname, '..');
  return {
    dataDir: path.resolve(process.env.ETICKET_DATA_DIR ?? './data'),
    publicUrl: process.env.ETICKET_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    demo: process.env.ETICKET_DEMO !== '0',
    webDist: path.join(root, 'dist', 'web'),
    staffDist: path.join(root, 'dist', 'staff'),
    secureCookies: process.env.ETICKET_SECURE_COOKIES === '1',
    ...overrides,
  };
}
