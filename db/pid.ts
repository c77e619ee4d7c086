/**
 * Whether a process of this machine still runs: for the data folder's lock (server/data-lock.ts)
 * and the test databases of a killed run (db/test-db-setup.ts). In db/ because db/ imports nothing
 * of the project and both may import it.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it still runs.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
