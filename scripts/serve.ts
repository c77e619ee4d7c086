// The server alone, headless (a hosted machine, a second desk on the LAN); `npm run serve` runs
// it under scripts/supervise.ts, which starts it again after a crash.
// Honours PORT (3000), HOST (127.0.0.1) and ETICKET_DATA_DIR (./data). A demo gets its PayFiP
// simulator from here (scripts/demo-simulator.ts), started before the server and stopped after it.
import { startServer } from '../server/bootstrap.js';
import { setupNotice } from '../server/setup-notice.js';
import { startDemoSimulator } from './demo-simulator.js';

const simulator = await startDemoSimulator(process.env);
const running = await startServer(simulator ? { config: { payfipSimulatorUrl: simulator.url } } : {}).catch((err: unknown) => {
  // A French sentence (server/startup-errors.ts), not a stack trace.
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
console.log(`eTicket écoute sur ${running.url}`);
console.log(`  Portail des familles : ${running.url}/`);
console.log(`  Console du secrétariat : ${running.url}/staff/`);
console.log(`  Données : ${running.config.dataDir}`);
for (const line of setupNotice(running)) console.log(line);
// Under `npm run serve` (scripts/supervise.ts): the server answers, a later death is a crash.
process.send?.({ type: 'ready', url: running.url });

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} reçu, arrêt propre…`);
  await running.close();
  await simulator?.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
