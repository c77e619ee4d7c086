import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { databaseFile, databaseUrlFromEnv, openDb, migrateLatest, migrationSource, type Db } from '../db/index.js';
import { backupBeforeMigration } from '../core/backup/schedule.js';
import { systemClock, type Clock } from '../core/clock.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { createServer } from './app.js';
import { configFromEnv, type ServerConfig } from './config.js';
import { startBackgroundJobs } from './background.js';
import { explainStartupError, StartupError } from './startup-errors.js';
import { ensureInstallMode, modeMismatchMessage, setupRequired } from '../core/install.js';
import { issueSetupCode } from '../core/setup-code.js';
import { removeServerLock, writeServerLock } from './data-lock.js';

export interface RunningServer {
  url: string;
  db: Db;
  config: ServerConfig;
  /**
   * A production install not set up yet: where its setup page is, and the one-time code that
   * opens it from another machine (the machine itself needs none). Null otherwise.
   */
  setup: { url: string; code: string } | null;
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  config?: Partial<ServerConfig>;
  clock?: Clock;
  log?: (line: string) => void;
}

/**
 * Opens the database, migrates it, creates the demo data on an empty database (demo mode),
 * and listens. Used by `npm run serve`, `npm start` and the Electron shell alike.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const config = configFromEnv(options.config);
  const clock = options.clock ?? systemClock;

  const db = await openWritableDb(config, clock, log);
  // Each start of a database waiting for its setup gets a new code; only its hash is stored.
  const setupCode = (await setupRequired(db)) ? await issueSetupCode(db, clock.now()) : null;

  const deps = { db, config, clock };
  const app = createServer(deps);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  }).catch(async (err: unknown) => {
    await db.destroy();
    throw explainStartupError(err, { dataDir: config.dataDir, port });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`;
  const jobs = await startBackgroundJobs(deps);
  // Tells `npm run restore` that this folder's database is in use (server/data-lock.ts).
  if (!databaseUrlFromEnv()) writeServerLock(config.dataDir, clock.now());

  return {
    url,
    db,
    config,
    setup: setupCode ? { url: `${url}/staff/`, code: setupCode } : null,
    async close() {
      await jobs.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.destroy();
      removeServerLock(config.dataDir);
    },
  };
}

/**
 * Opens, migrates and (demo) seeds the database. A read-only disk or file, a missing folder or
 * a full disk becomes a StartupError with a French explanation instead of a driver's stack.
 */
async function openWritableDb(config: ServerConfig, clock: Clock, log: (line: string) => void): Promise<Db> {
  let db: Db | undefined;
  try {
    if (!databaseUrlFromEnv()) probeSqliteFile(config.dataDir);
    db = openDb({ dataDir: config.dataDir });
    // A database that has data and pending migrations is backed up first (when backups are set up);
    // a failed backup stops the start rather than migrating without one.
    let recordBackup: (() => Promise<void>) | null = null;
    if (!databaseUrlFromEnv()) {
      try {
        recordBackup = await backupBeforeMigration({ db, clock }, config.dataDir, migrationSource);
      } catch (err) {
        throw new StartupError((err as Error).message, { cause: err });
      }
      if (recordBackup) log('Sauvegarde écrite et vérifiée avant la mise à jour de la base.');
    }
    await migrateLatest(db);
    await recordBackup?.();
    // The database, not the environment, says whether this is a demo (core/install.ts).
    const install = await ensureInstallMode(db, config.demo ? 'demo' : 'production', clock.now());
    if (install.mismatch) throw new StartupError(modeMismatchMessage(install.state.mode, config.dataDir));
    if (config.demo) {
      const seeded = await seedDemoIfEmpty({ db, clock });
      if (seeded) log(`Données de démonstration créées dans ${config.dataDir}`);
    }
    return db;
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    throw explainStartupError(err, { dataDir: config.dataDir });
  }
}

/** Opens the SQLite file once directly: knex would print the driver's stack before failing. */
function probeSqliteFile(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  new Database(databaseFile(dataDir)).close();
}
