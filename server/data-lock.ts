import { processAlive } from '../db/pid.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `<dataDir>/eticket.pid`: written when a server starts on a data folder, removed when it stops,
 * so `npm run restore` can refuse to swap the database under a running server. A file left by a
 * crash names a dead process (or another machine's) and is ignored.
 */
export const SERVER_LOCK_FILE = 'eticket.pid';

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

export function writeServerLock(dataDir: string, now: Date): void {
  const content: LockContent = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString() };
  try {
    fs.writeFileSync(path.join(dataDir, SERVER_LOCK_FILE), JSON.stringify(content));
  } catch {
    /* a read-only folder already failed the database's own probe; the lock is a courtesy */
  }
}

export function removeServerLock(dataDir: string): void {
  const file = path.join(dataDir, SERVER_LOCK_FILE);
  try {
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (content.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    /* absent or unreadable: nothing of ours to remove */
  }
}


/** The pid of a live server on this data folder (this machine), or null. */
export function runningServerPid(dataDir: string): number | null {
  try {
    const content = JSON.parse(fs.readFileSync(path.join(dataDir, SERVER_LOCK_FILE), 'utf8')) as Partial<LockContent>;
    if (!Number.isSafeInteger(content.pid) || content.pid! <= 0 || content.pid === process.pid) return null;
    if (content.host && content.host !== os.hostname()) return null;
    return processAlive(content.pid!) ? content.pid! : null;
  } catch {
    return null;
  }
}
