import { availableParallelism } from 'node:os';
import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { WorkerPool } from './workers/pool.js';

/**
 * Password hashes: scrypt at OWASP's current minimum (N=2^17, r=8, p=1). Each hash needs
 * 128·N·r bytes (128 MiB at that cost) and a third of a core-second: they run in their own
 * worker threads (one, two from four cores), never in libuv's thread pool, which static files
 * and compression need; the others wait their turn in a bounded queue, so a burst of sign-ins
 * neither eats the memory nor delays the rest of the server.
 */

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEYLEN = 32;

/** The cost new hashes get. A cheap one only under the test runner (VITEST), never in a server. */
export function initialScryptTarget(env: NodeJS.ProcessEnv = process.env): ScryptParams {
  const logN = env.VITEST ? Number(env.ETICKET_TEST_SCRYPT_LOG_N) : NaN;
  return Number.isInteger(logN) && logN >= 8 && logN < 17 ? { ...OWASP_SCRYPT, N: 2 ** logN } : OWASP_SCRYPT;
}

let target = initialScryptTarget();

export function scryptTarget(): ScryptParams {
  return target;
}

/** For scripts/bench-signin.ts, which compares two costs in one run. */
export function setScryptTarget(params: ScryptParams): void {
  target = params;
}

// ---------------------------------------------------------------------------------------------
// The hashing workers

let pool: WorkerPool | undefined;
function hashPool(): WorkerPool {
  pool ??= new WorkerPool({
    name: 'mots de passe',
    size: availableParallelism() >= 4 ? 2 : 1,
    maxQueue: 32,
    busyMessage: 'Trop de connexions en cours : réessayez dans quelques secondes.',
  });
  return pool;
}

async function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses above maxmem (32 MiB by default); give the block twice what it needs.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  const key = await hashPool().run<Uint8Array>('hash', 'scrypt', [password.normalize('NFC'), salt, keylen, options]);
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/** "scrypt$N$r$p$salt$hash" (base64): the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = target): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(stored: string): (ScryptParams & { salt: Buffer; hash: Buffer }) | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a planted row from asking for gigabytes.
  const sane = Number.isInteger(Math.log2(N)) && N >= 2 && N <= 2 ** 20 && r >= 1 && r <= 16 && p >= 1 && p <= 4;
  if (!sane) return null;
  return { N, r, p, salt: Buffer.from(parts[4]!, 'base64'), hash: Buffer.from(parts[5]!, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const key = await scrypt(password, parsed.salt, parsed.hash.length, parsed);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** True when a stored hash is weaker than today's target: it is replaced at the next sign-in. */
export function needsRehash(stored: string, params: ScryptParams = target): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < params.N || parsed.r < params.r || parsed.p < params.p;
}
