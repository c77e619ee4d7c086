// `tsx simulator/main.ts [--port 8081] [--host 127.0.0.1] [--notify-times N] [--notify-delay-ms N] [--drop-notifications]`
// Runs the PayFiP simulator alone, e.g. to point a development server at it with
// PAYFIP_SERVICE_URL=<url>/tpa/services/securite PAYFIP_PAYMENT_URL=<url>/tpa/paiementws.web PAYFIP_SIMULATOR=0.
import { parseArgs } from 'node:util';
import { startPayfipSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PAYFIP_SIMULATOR_PORT ?? '8081' },
    host: { type: 'string', default: process.env.PAYFIP_SIMULATOR_HOST ?? '127.0.0.1' },
    'notify-times': { type: 'string', default: '1' },
    'notify-delay-ms': { type: 'string', default: '0' },
    'drop-notifications': { type: 'boolean', default: false },
  },
});

const simulator = await startPayfipSimulator({
  port: Number(values.port),
  host: values.host,
  notifyTimes: Number(values['notify-times']),
  notifyDelayMs: Number(values['notify-delay-ms']),
  dropNotifications: values['drop-notifications'],
  log: (line) => console.log(`[payfip-simulateur] ${line}`),
});
console.log(`Simulateur PayFiP sur ${simulator.url}`);
console.log(`  Service SOAP : ${simulator.serviceUrl}`);
console.log(`  Page de paiement : ${simulator.paymentPageUrl}?idop=…`);
console.log(`  Commandes de test : POST ${simulator.url}/simulator/notify-again?idop=…&times=10, POST ${simulator.url}/simulator/options`);

const stop = async () => {
  await simulator.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
