import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { WorkerPool } from '../workers/pool.js';
import { fontBytes } from './document.js';

/**
 * Every paper is drawn in a PDF worker (core/pdf/papers.ts names them): a city's meal list takes
 * a second of CPU, which the event loop must not spend. One worker per core but one, at least
 * one, at most four; 64 papers may wait, the next are refused with a French "try again".
 */

let pool: WorkerPool | undefined;

export function pdfPool(): WorkerPool {
  pool ??= new WorkerPool({
    name: 'PDF',
    size: Math.max(1, Math.min(4, availableParallelism() - 1)),
    maxQueue: 64,
    workerData: () => ({ fonts: fontBytes() }),
    busyMessage: 'Beaucoup de documents sont en cours de préparation : réessayez dans quelques secondes.',
  });
  return pool;
}

/** Draws the paper `kind` (its entry in PAPERS, whose function is `draw`) in a worker; in place when already in one. */
export function renderOffThread<A extends unknown[]>(kind: string, draw: (...args: A) => Promise<Uint8Array>, args: A): Promise<Uint8Array> {
  if (!isMainThread) return draw(...args);
  return pdfPool().run<Uint8Array>('pdf', kind, args);
}
