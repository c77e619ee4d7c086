// How the desktop shell configures the server, from the environment the main process sets.
// Pure, so it is unit-tested; shared by the utility process and the in-process fallback.
import path from 'node:path';
import type { StartOptions } from '../server/bootstrap.js';

export interface DesktopServerEnv {
  ETICKET_DATA_DIR?: string;
  ETICKET_APP_ROOT?: string;
  ETICKET_PORT?: string;
  ETICKET_HOST?: string;
  ETICKET_DEMO?: string;
  /** The demo's PayFiP simulator, started by `npm start` (scripts/demo-simulator.ts); the bundle has none. */
  ETICKET_PAYFIP_SIMULATOR_URL?: string;
  [key: string]: string | undefined;
}

export function serverOptionsFromEnv(env: DesktopServerEnv): StartOptions {
  const port = env.ETICKET_PORT ? Number(env.ETICKET_PORT) : 0; // 0: any free port
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`ETICKET_PORT invalide : ${env.ETICKET_PORT}`);
  const config: NonNullable<StartOptions['config']> = {};
  if (env.ETICKET_DATA_DIR) config.dataDir = path.resolve(env.ETICKET_DATA_DIR);
  // Explicit, so the in-process fallback (whose process.env has no ETICKET_DEMO) keeps the chosen mode.
  if (env.ETICKET_DEMO !== undefined && env.ETICKET_DEMO !== '') config.demo = env.ETICKET_DEMO !== '0';
  if (env.ETICKET_PAYFIP_SIMULATOR_URL) config.payfipSimulatorUrl = env.ETICKET_PAYFIP_SIMULATOR_URL;
  if (env.ETICKET_APP_ROOT) {
    config.webDist = path.join(env.ETICKET_APP_ROOT, 'dist', 'web');
    config.staffDist = path.join(env.ETICKET_APP_ROOT, 'dist', 'staff');
  }
  return {
    // Loopback only unless the mairie sets a host on purpose (a second desk on the LAN).
    host: env.ETICKET_HOST || '127.0.0.1',
    port,
    config,
  };
}
