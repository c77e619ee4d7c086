// The demo scripts' PayFiP simulator: started for a demo only, reachable over SOAP at the address
// handed to the server, and not started again when one is already given.
import { describe, expect, it } from 'vitest';
import { createPayfipClient } from '../core/adapters/payfip-soap.js';
import { startDemoSimulator, wantsDemoSimulator } from './demo-simulator.js';

describe('scripts/demo-simulator.ts', () => {
  it('wants the simulator in a demo whose PayFiP is not configured, as the settings default', () => {
    expect(wantsDemoSimulator({})).toBe(true);
    expect(wantsDemoSimulator({ ETICKET_DEMO: '1' })).toBe(true);
    expect(wantsDemoSimulator({ ETICKET_DEMO: '0' })).toBe(false);
    expect(wantsDemoSimulator({ ETICKET_DEMO: '0', PAYFIP_SIMULATOR: '1' })).toBe(false);
    expect(wantsDemoSimulator({ PAYFIP_SERVICE_URL: 'http://127.0.0.1:8081/tpa/services/securite' })).toBe(false);
    expect(wantsDemoSimulator({ PAYFIP_SIMULATOR: '0' })).toBe(false);
  });

  it('starts nothing for a commune', async () => {
    expect(await startDemoSimulator({ ETICKET_DEMO: '0' })).toBeNull();
  });

  it('starts one for a demo, which answers PayFiP’s SOAP at the address the server gets', async () => {
    const lines: string[] = [];
    const sim = await startDemoSimulator({ ETICKET_DEMO: '1', PAYFIP_SIMULATOR_HOST: '127.0.0.1' }, (l) => lines.push(l));
    expect(sim).not.toBeNull();
    try {
      expect(sim!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createPayfipClient({ serviceUrl: `${sim!.url}/tpa/services/securite` });
      expect((await client.recupererDetailClient('123456')).numcli).toBe('123456');
      // Already given (the supervisor's, or npm start's for the desktop): used as it is.
      const again = await startDemoSimulator({ ETICKET_PAYFIP_SIMULATOR_URL: sim!.url });
      expect(again?.url).toBe(sim!.url);
      await again!.close();
      expect((await client.recupererDetailClient('123456')).numcli).toBe('123456');
    } finally {
      await sim!.close();
    }
  });
});
