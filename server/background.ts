import type { ServerDeps } from './deps.js';
import { purgeExpiredSessions } from '../core/auth.js';
import { deliverPendingMails } from '../core/mail/sender.js';
import { checkPendingPayments } from '../core/payments.js';
import { getPayfipSettings, storeSimulatorAddresses } from '../core/payfip/settings.js';
import { isProductionInstall } from '../core/install.js';
import { nightlyBackupTick } from '../core/backup/schedule.js';
import { coreContext } from './http.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  mailIntervalMs?: number;
  paymentCheckIntervalMs?: number;
  /** How often sessions past their expiry are deleted (default 15 minutes). */
  sessionPurgeIntervalMs?: number;
  /** How often the nightly backup checks whether it is due (default 5 minutes). */
  backupCheckIntervalMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function databaseIsPostgres(db: ServerDeps['db']): boolean {
  const client = (db.client as { config?: { client?: unknown } }).config?.client;
  return client === 'pg' || client === 'postgresql';
}

interface Loop {
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, the next run scheduled only once the previous one finished,
 * so runs never overlap however long one takes. stop() waits for a run in progress.
 */
function every(intervalMs: number, task: () => Promise<unknown>, onError: (err: unknown) => void): Loop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = task()
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
        if (!stopped) {
          timer = setTimeout(tick, intervalMs);
          timer.unref();
        }
      });
  };
  timer = setTimeout(tick, Math.min(intervalMs, 1_000));
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The server's background work: the mail outbox sender, the PayFiP pending-payment checker and
 * the purge of expired sessions (a session is refused once expired, but only deleted when its
 * cookie comes back: the ones never seen again would pile up).
 * In demo mode, when the settings say PayFiP is simulated, the addresses of the simulator the demo
 * scripts started (config.payfipSimulatorUrl) are written into the settings, so "Créditer mon
 * compte" works out of the box. The server itself never loads the simulator.
 */
export async function startBackgroundJobs(deps: ServerDeps, options: BackgroundOptions = {}): Promise<BackgroundJobs> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const ctx = coreContext(deps);

  const settings = await getPayfipSettings(deps.db, env);
  // A production database is never a demo, whatever the configuration says (core/install.ts).
  const demo = deps.config.demo && !(await isProductionInstall(deps.db));
  const simulatorUrl = deps.config.payfipSimulatorUrl;
  if (demo && settings.simulator && simulatorUrl) {
    const origin = new URL(simulatorUrl).origin;
    // The browser reaches the page by the portal's host name; the server calls the service on loopback.
    const pageBase = new URL(origin);
    try {
      pageBase.hostname = new URL(settings.publicBaseUrl).hostname;
    } catch {
      /* keep the simulator's own address */
    }
    await storeSimulatorAddresses(deps.db, { serviceUrl: `${origin}/tpa/services/securite`, paymentPageUrl: `${pageBase.origin}/tpa/paiementws.web` }, deps.clock.now());
    log(`Simulateur PayFiP (démonstration) : ${pageBase.origin}`);
  } else if (demo && settings.simulator) {
    log('PayFiP : aucun simulateur de démonstration n’a été lancé avec ce serveur (npm start et npm run serve le lancent) ; le paiement en ligne est indisponible.');
  } else if (settings.simulator) {
    log('PayFiP : le simulateur n’est lancé qu’en mode démonstration ; configurez le service réel dans les réglages.');
  }

  const mailLoop = every(
    options.mailIntervalMs ?? (Number(env.ETICKET_MAIL_INTERVAL_MS) || 5_000),
    () => deliverPendingMails(ctx, { demo, env, log }),
    (err) => log(`Envoi des mails : ${(err as Error).message}`),
  );
  const paymentLoop = every(
    options.paymentCheckIntervalMs ?? (Number(env.ETICKET_PAYMENT_CHECK_INTERVAL_MS) || 60_000),
    () => checkPendingPayments(ctx),
    (err) => log(`Vérification des paiements en ligne : ${(err as Error).message}`),
  );
  const sessionLoop = every(
    options.sessionPurgeIntervalMs ?? (Number(env.ETICKET_SESSION_PURGE_INTERVAL_MS) || 15 * 60_000),
    () => purgeExpiredSessions(ctx),
    (err) => log(`Purge des sessions expirées : ${(err as Error).message}`),
  );

  // Nightly backup (core/backup/schedule.ts): after 02:00 Paris, or at start when the last good one is over 24 h old.
  const backupLoop = every(
    options.backupCheckIntervalMs ?? (Number(env.ETICKET_BACKUP_CHECK_INTERVAL_MS) || 5 * 60_000),
    async () => {
      if (databaseIsPostgres(deps.db)) return;
      const out = await nightlyBackupTick(ctx, deps.config.dataDir);
      if (out) log(out.ok ? `Sauvegarde de la nuit écrite et vérifiée : ${out.file}` : `Sauvegarde de la nuit en échec : ${out.error}`);
    },
    (err) => log(`Sauvegarde de la nuit : ${(err as Error).message}`),
  );

  return {
    async stop() {
      await Promise.all([mailLoop.stop(), paymentLoop.stop(), sessionLoop.stop(), backupLoop.stop()]);
    },
  };
}
