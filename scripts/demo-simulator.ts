// The demo's PayFiP simulator. The demo scripts (npm start, npm run serve) start it beside the
// server and hand the server its address (config.payfipSimulatorUrl, or ETICKET_PAYFIP_SIMULATOR_URL
// for the desktop's server process): the server never loads the simulator, and the desktop
// bundle (scripts/build-electron.ts) does not contain it.

export interface DemoSimulator {
  /** The simulator's origin, e.g. http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
}

/** A demo whose PayFiP is simulated: the same defaults as core/payfip/settings.ts. */
export function wantsDemoSimulator(env: NodeJS.ProcessEnv): boolean {
  if (env.ETICKET_DEMO === '0') return false;
  return env.PAYFIP_SIMULATOR !== undefined ? env.PAYFIP_SIMULATOR === '1' : env.PAYFIP_SERVICE_URL === undefined;
}

/**
 * Starts the simulator for a demo (on PAYFIP_SIMULATOR_PORT, or any free port); null outside a
 * demo. A simulator already given in ETICKET_PAYFIP_SIMULATOR_URL is used as it is.
 */
export async function startDemoSimulator(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<DemoSimulator | null> {
  if (!wantsDemoSimulator(env)) return null;
  if (env.ETICKET_PAYFIP_SIMULATOR_URL) return { url: env.ETICKET_PAYFIP_SIMULATOR_URL, close: async () => {} };
  // Loaded here only, so a commune's start never loads the simulator's code.
  const { startPayfipSimulator } = await import('../simulator/server.js');
  const simulator = await startPayfipSimulator({
    port: Number(env.PAYFIP_SIMULATOR_PORT ?? 0),
    host: env.PAYFIP_SIMULATOR_HOST ?? env.HOST ?? '127.0.0.1',
    log: (line) => log(`[simulateur PayFiP] ${line}`),
  });
  return { url: simulator.url, close: () => simulator.close() };
}
