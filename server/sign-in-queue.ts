import type { RequestHandler } from 'express';
import { errorBody } from './errors.js';

/**
 * One sign-in at a time per client address. A sign-in costs a scrypt hash (about a third of a
 * core-second at OWASP's cost): a client firing sign-ins in parallel gets them one after the
 * other, so it holds at most one core and every other visitor keeps the rest; past a short
 * queue it is told to wait. The per-address window limit (routes/auth.ts) caps the total.
 */

const MAX_QUEUED_PER_CLIENT = 3;
const BUSY_MESSAGE = 'Trop de connexions simultanées depuis cette adresse. Patientez quelques secondes puis réessayez.';

export function oneSignInAtATimePerClient(): RequestHandler {
  const lines = new Map<string, Array<() => void>>();
  return (req, res, next) => {
    const key = req.ip ?? 'inconnu';
    let line = lines.get(key);
    if (line && line.length > MAX_QUEUED_PER_CLIENT) {
      res.status(429).json(errorBody('TOO_MANY_ATTEMPTS', BUSY_MESSAGE));
      return;
    }
    const release = () => {
      const current = lines.get(key);
      current?.shift();
      if (current && current.length > 0) current[0]!();
      else lines.delete(key);
    };
    let released = false;
    const start = () => {
      if (req.socket.destroyed) {
        // Left while waiting in line.
        released = true;
        release();
        return;
      }
      // Whether it answered, failed or the client went away, the next one in line goes.
      res.once('close', () => {
        if (!released) {
          released = true;
          release();
        }
      });
      next();
    };
    if (!line) {
      line = [];
      lines.set(key, line);
    }
    line.push(start);
    if (line.length === 1) start();
  };
}
