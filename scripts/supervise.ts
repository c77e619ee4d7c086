// `npm run serve`: runs the server (scripts/serve.ts) in a child process and starts it again when
// it dies without being asked to (server/supervisor.ts decides when, and when to give up).
// Ctrl+C, SIGTERM (systemd, a Windows service wrapper) stop both cleanly. A demo's PayFiP
// simulator runs here, once, so a payment in progress outlives a restart of the server.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { decideAfterExit, DEFAULT_SUPERVISOR_POLICY, INITIAL_SUPERVISOR_STATE, type SupervisorState } from '../server/supervisor.js';
import { startDemoSimulator } from './demo-simulator.js';

const root = path.resolve(import.meta.dirname, '..');
const baseDelayMs = Number(process.env.ETICKET_RESTART_DELAY_MS) || DEFAULT_SUPERVISOR_POLICY.baseDelayMs;
const policy = { ...DEFAULT_SUPERVISOR_POLICY, baseDelayMs, maxDelayMs: Math.max(baseDelayMs, DEFAULT_SUPERVISOR_POLICY.maxDelayMs) };
const log = (line: string) => console.log(`[surveillance] ${new Date().toISOString()} ${line}`);

let state: SupervisorState = INITIAL_SUPERVISOR_STATE;
let child: ChildProcess | null = null;
let stopping = false;
let restartTimer: NodeJS.Timeout | undefined;
/** Set once the server stopped unexpectedly: the restarted server tells the console when. */
let restartedAt: string | undefined;
const simulator = await startDemoSimulator(process.env, log);
const serverEnv: NodeJS.ProcessEnv = simulator ? { ...process.env, ETICKET_PAYFIP_SIMULATOR_URL: simulator.url } : process.env;

function run(): void {
  const startedAt = Date.now();
  let ready = false;
  // The server itself, with tsx's loader, and a channel for its "ready" message.
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'serve.ts')], {
    cwd: process.cwd(),
    env: restartedAt ? { ...serverEnv, ETICKET_RESTARTED_AT: restartedAt } : serverEnv,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child = server;
  log(`serveur lancé (processus ${server.pid})`);
  server.on('message', (m: unknown) => {
    if ((m as { type?: string } | null)?.type === 'ready') ready = true;
  });
  server.on('exit', (code, signal) => {
    child = null;
    if (stopping) {
      log('serveur arrêté.');
      process.exit(0);
    }
    const decision = decideAfterExit(state, { wasReady: ready, ranMs: Date.now() - startedAt, code, signal }, policy);
    state = decision.state;
    log(decision.notice);
    if (decision.action === 'give-up') process.exit(1);
    restartTimer = setTimeout(() => {
      restartedAt = new Date().toISOString();
      run();
    }, decision.delayMs);
  });
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  clearTimeout(restartTimer);
  if (!child) process.exit(0);
  log(`${signal} reçu : arrêt du serveur…`);
  child.kill('SIGTERM');
  // A server that does not stop within 15 s is ended.
  setTimeout(() => child?.kill('SIGKILL'), 15_000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

run();
