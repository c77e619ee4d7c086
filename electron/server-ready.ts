// Pure helpers for starting the server next to the window: the message protocol between the
// main process and the server process, and the waits for "ready". No Electron import.

/** Messages the server process sends to the main process. */
export type ServerMessage = { type: 'ready'; url: string } | { type: 'error'; message: string } | { type: 'closed' };

/** Messages the main process sends to the server process. */
export type MainMessage = { type: 'shutdown' };

export function parseServerMessage(value: unknown): ServerMessage | null {
  if (!value || typeof value !== 'object') return null;
  const msg = value as Record<string, unknown>;
  if (msg.type === 'ready' && typeof msg.url === 'string' && /^https?:\/\/[^/\s]+$/.test(msg.url)) return { type: 'ready', url: msg.url };
  if (msg.type === 'error' && typeof msg.message === 'string') return { type: 'error', message: msg.message };
  if (msg.type === 'closed') return { type: 'closed' };
  return null;
}

/** The part of Electron's UtilityProcess (or a Node ChildProcess) that the wait needs. */
export interface MessageSource {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'exit', listener: (code: number) => void): unknown;
}

export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/**
 * Resolves with the server's URL once the server process says it listens; rejects when it
 * reports an error, exits first, or stays silent past the timeout (the caller then falls
 * back to an in-process server).
 */
export function waitForServerReady(source: MessageSource, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      source.off('message', onMessage);
      source.off('exit', onExit);
    };
    const onMessage = (raw: unknown) => {
      const msg = parseServerMessage(raw);
      if (!msg) return;
      if (msg.type === 'ready') {
        cleanup();
        resolve(msg.url);
      } else if (msg.type === 'error') {
        cleanup();
        reject(new ServerStartError(`Le serveur n’a pas démarré : ${msg.message}`));
      }
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new ServerStartError(`Le processus serveur s’est arrêté avant d’être prêt (code ${code}).`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new ServerStartError(`Le serveur n’a pas répondu en ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
    source.on('message', onMessage);
    source.on('exit', onExit);
  });
}

/**
 * Polls `${url}/healthz` until it answers 200, so the window never opens on a refused
 * connection. Used by `npm start` and as a second check after the "ready" message.
 */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  fetchImpl: (input: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean }> = fetch,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'aucune réponse';
  while (Date.now() < deadline) {
    try {
      const res = await fetchImpl(`${url.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(Math.max(200, Math.min(2000, deadline - Date.now()))) });
      if (res.ok) return;
      lastError = 'réponse en erreur';
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new ServerStartError(`Le serveur ${url} ne répond pas (${lastError}).`);
}

/** Waits for a process to exit after asking it to stop; kills it if it takes longer than the grace period. */
export function stopWithGrace(
  source: Pick<MessageSource, 'on' | 'off'>,
  askToStop: () => void,
  kill: () => void,
  graceMs: number,
): Promise<'clean' | 'killed'> {
  return new Promise((resolve) => {
    const onExit = () => {
      clearTimeout(timer);
      source.off('exit', onExit);
      resolve('clean');
    };
    const timer = setTimeout(() => {
      source.off('exit', onExit);
      kill();
      resolve('killed');
    }, graceMs);
    source.on('exit', onExit);
    askToStop();
  });
}
