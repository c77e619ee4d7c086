import path from 'node:path';
import { restartedAtFromEnv } from '../core/restart-notice.js';

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
  /** Cookies marked Secure (behind HTTPS); they are too whenever publicUrl is https. */
  secureCookies: boolean;
  /**
   * Express's `trust proxy` (ETICKET_TRUST_PROXY: a hop count, "loopback", addresses or
   * subnets). Off unless set: otherwise anybody could pick their own address in
   * X-Forwarded-For and walk past the per-address sign-in limits.
   */
  trustProxy?: string;
  /** Set by a supervisor that started this server again after an unexpected stop (ETICKET_RESTARTED_AT). */
  restartedAt?: Date | null;
  /** Demo only: the PayFiP simulator the demo scripts started (its origin); the server never starts one. */
  payfipSimulatorUrl?: string;
}

/** The `trust proxy` value Express gets: false unless configured; "2" means two hops. */
export function trustProxySetting(config: Pick<ServerConfig, 'trustProxy'>): boolean | number | string {
  const value = config.trustProxy?.trim();
  if (!value || value === '0' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Secure cookies when asked, or when the portal's public address is https. */
export function cookiesSecure(config: Pick<ServerConfig, 'secureCookies' | 'publicUrl'>): boolean {
  return config.secureCookies || /^https:/i.test(config.publicUrl);
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
    trustProxy: process.env.ETICKET_TRUST_PROXY,
    restartedAt: restartedAtFromEnv(process.env.ETICKET_RESTARTED_AT),
    ...overrides,
  };
}
