// Entry of the server's utility process: the Express server and SQLite live here, so a long
// export or a busy database never freezes the window. Talks to the main process through
// process.parentPort with the messages of server-ready.ts.
import { startServer, type RunningServer } from '../server/bootstrap.js';
import type { MainMessage, ServerMessage } from './server-ready.js';
import { serverOptionsFromEnv } from './server-options.js';

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: ServerMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function send(message: ServerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else console.log(JSON.stringify(message));
}

let running: RunningServer | null = null;
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    // Closes the HTTP server and the database (WAL checkpoint), so nothing acknowledged is lost.
    await running?.close();
  } finally {
    send({ type: 'closed' });
    process.exit(0);
  }
}

parentPort?.on('message', (event) => {
  const msg = event.data as MainMessage | undefined;
  if (msg?.type === 'shutdown') void stop();
});
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

try {
  running = await startServer(serverOptionsFromEnv(process.env));
  send({ type: 'ready', url: running.url });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
