import { scryptSync, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing in a worker: the synchronous scrypt runs on the worker's own thread, where
 * the asynchronous one would take a thread of libuv's pool, which static files and compression
 * share with every request.
 */
export const HASH_TASKS = {
  scrypt: (password: string, salt: Uint8Array, keylen: number, options: ScryptOptions): Uint8Array =>
    new Uint8Array(scryptSync(password, salt, keylen, options)),
};
