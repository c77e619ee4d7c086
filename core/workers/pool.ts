import fs from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { DomainError } from '../errors.js';

/**
 * A small pool of worker threads running core/workers/worker.ts, for the work that would block
 * the event loop: PDFs and password hashes. Workers start on first use and stay; an idle worker
 * does not keep the process alive. The queue is bounded: past it the caller gets a French
 * "try again" (429) instead of a wait that grows with the load.
 */

export interface PoolOptions {
  /** For error messages: "PDF", "mots de passe". */
  name: string;
  size: number;
  /** Tasks waiting for a worker beyond which new ones are refused. */
  maxQueue: number;
  /** What every worker of the pool gets as workerData (plain data, e.g. the font files). */
  workerData?: () => unknown;
  busyMessage: string;
  /** The module the entry is found beside (tests of the desktop bundle); this file by default. */
  entryBase?: string;
}

interface Task {
  group: string;
  kind: string;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

type Reply = { ok: true; value: unknown } | { ok: false; message: string; name?: string; code?: string };

/**
 * How to start the entry. From sources (tsx, vitest) the worker registers tsx's loader itself
 * first: a loader given in execArgv or inherited does not reach a worker's entry on Node 20.
 * From the desktop bundle (dist-electron/), the entry is one self-contained CommonJS file beside
 * it, read through fs so that it also loads from inside app.asar, and run with eval.
 */
export function workerEntry(here = import.meta.url): { script: string | URL; options: WorkerOptions } {
  if (here.endsWith('.ts')) {
    const entry = new URL('./worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const source = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
    return { script: new URL(`data:text/javascript,${encodeURIComponent(source)}`), options: {} };
  }
  return { script: fs.readFileSync(new URL('./worker.cjs', here), 'utf8'), options: { eval: true } };
}

export class WorkerPool {
  private readonly options: PoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
  }

  /** Runs `kind` of the task `group` (core/workers/worker.ts) with `args`, copied to the worker. */
  run<T>(group: string, kind: string, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`Pool ${this.options.name} fermé.`));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new DomainError('TOO_MANY_ATTEMPTS', this.options.busyMessage));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ group, kind, args, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Tasks waiting for a worker (not counting those running). */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error(`Pool ${this.options.name} fermé.`));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.options.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ group: task.group, kind: task.kind, args: task.args });
    }
  }

  private spawn(): Slot {
    const { script, options } = workerEntry(this.options.entryBase);
    const worker = new Worker(script, { ...options, workerData: this.options.workerData?.() });
    const slot: Slot = { worker, task: null };
    this.slots.push(slot);
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const task = slot.task;
      slot.task = null;
      worker.unref();
      if (task) {
        if (reply.ok) task.resolve(reply.value);
        else task.reject(Object.assign(new Error(reply.message), { name: reply.name ?? 'Error', code: reply.code }));
      }
      this.dispatch();
    });
    const lost = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      slot.task?.reject(err);
      slot.task = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`Worker ${this.options.name} arrêté (code ${code}).`)));
    return slot;
  }
}
