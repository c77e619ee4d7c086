// The desktop app's bundled server, kept running: started in its own process, and started again
// after an unexpected stop with the same policy as `npm run serve` (server/supervisor.ts). No
// Electron import: main.ts gives it utilityProcess.fork, the tests give it a Node child process.
import { decideAfterExit, DEFAULT_SUPERVISOR_POLICY, INITIAL_SUPERVISOR_STATE, type SupervisorPolicy, type SupervisorState } from '../server/supervisor.js';
import { stopWithGrace, waitForHttp, waitForServerReady, type MessageSource } from './server-ready.js';

/** The part of a server process the keeper uses (Electron's UtilityProcess has it). */
export interface KeptProcess extends MessageSource {
  kill(): unknown;
  /** Asks the process to close its database and exit. */
  shutdown(): void;
}

export interface KeeperOptions {
  spawn(env: Record<string, string>): KeptProcess;
  env: Record<string, string>;
  log(line: string): void;
  /** The server answers again after a crash, at `url` (a new one only if its port was taken). */
  onRestarted(url: string): void;
  /** It could not be started again: `notice` says why, in French. */
  onGaveUp(notice: string): void;
  policy?: SupervisorPolicy;
  readyTimeoutMs?: number;
  now?: () => Date;
}

export class ServerKeeper {
  private child: KeptProcess | null = null;
  private state: SupervisorState = INITIAL_SUPERVISOR_STATE;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private url: string | null = null;
  /** After a start failure the old port may be the cause (taken): the next try takes any. */
  private keepPort = true;

  constructor(private readonly options: KeeperOptions) {}

  /** The first start; rejects if it fails, so the caller can fall back (no restart then). */
  async start(): Promise<string> {
    this.url = await this.launch(this.options.env);
    return this.url;
  }

  async stop(): Promise<'clean' | 'killed' | 'none'> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child) return 'none';
    return stopWithGrace(child, () => child.shutdown(), () => child.kill(), 8_000);
  }

  private async launch(env: Record<string, string>): Promise<string> {
    const child = this.options.spawn(env);
    this.child = child;
    const startedAt = Date.now();
    let ready = false;
    child.on('exit', (code: number) => this.exited(child, { wasReady: ready, ranMs: Date.now() - startedAt, code, signal: null }));
    try {
      const url = await waitForServerReady(child, this.options.readyTimeoutMs ?? 60_000);
      await waitForHttp(url, 10_000);
      ready = true;
      return url;
    } catch (err) {
      child.kill();
      throw err;
    }
  }

  private exited(child: KeptProcess, end: { wasReady: boolean; ranMs: number; code: number; signal: null }): void {
    // Stops asked for, an older process, and the first start (start() reports it) are not crashes.
    if (this.stopping || child !== this.child || this.url === null) return;
    this.child = null;
    const decision = decideAfterExit(this.state, end, this.options.policy ?? DEFAULT_SUPERVISOR_POLICY);
    this.state = decision.state;
    this.options.log(decision.notice.replace('« npm run serve »', 'eTicket'));
    if (decision.action === 'give-up') {
      this.options.onGaveUp(decision.notice.replace('« npm run serve »', 'eTicket'));
      return;
    }
    if (!end.wasReady) this.keepPort = false;
    this.timer = setTimeout(() => void this.restart(), decision.delayMs);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const port = this.keepPort && this.url ? new URL(this.url).port : '0';
    const env = { ...this.options.env, ETICKET_PORT: port, ETICKET_RESTARTED_AT: (this.options.now?.() ?? new Date()).toISOString() };
    try {
      this.url = await this.launch(env);
      this.keepPort = true;
      this.options.log(`serveur de nouveau prêt sur ${this.url}`);
      this.options.onRestarted(this.url);
    } catch {
      // The process's exit (it was killed above if it still ran) decides what comes next.
    }
  }
}
