/**
 * What `npm run serve` does when its server process ends without being asked to: the decision
 * alone (pure, unit-tested); scripts/serve.ts runs the processes. A server that dies after it
 * was answering is started again after a back-off that grows while it keeps dying soon; one that
 * cannot even start (a full disk, a locked database, a port taken) is tried a few times, then
 * the supervisor stops and says so, instead of looping forever.
 */

export interface SupervisorPolicy {
  /** First wait before a restart; doubled at each quick death, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the back-off starts again from the base. */
  healthyAfterMs: number;
  /** Failures before the server ever answered, in a row, after which the supervisor gives up. */
  maxStartFailures: number;
}

export const DEFAULT_SUPERVISOR_POLICY: SupervisorPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, healthyAfterMs: 60_000, maxStartFailures: 3 };

export interface SupervisorState {
  /** Deaths in a row of runs shorter than healthyAfterMs. */
  quickDeaths: number;
  /** Runs in a row that ended before the server answered. */
  startFailures: number;
}

export const INITIAL_SUPERVISOR_STATE: SupervisorState = { quickDeaths: 0, startFailures: 0 };

export interface RunEnd {
  /** Whether the server had said it was listening. */
  wasReady: boolean;
  ranMs: number;
  code: number | null;
  signal: string | null;
}

export type SupervisorDecision =
  | { action: 'restart'; delayMs: number; state: SupervisorState; notice: string }
  | { action: 'give-up'; state: SupervisorState; notice: string };

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}`.replace('.', ',');

function howItEnded(end: RunEnd): string {
  if (end.signal) return `arrêté par le signal ${end.signal}`;
  return `sorti avec le code ${end.code ?? '?'}`;
}

export function decideAfterExit(state: SupervisorState, end: RunEnd, policy: SupervisorPolicy = DEFAULT_SUPERVISOR_POLICY): SupervisorDecision {
  const healthy = end.wasReady && end.ranMs >= policy.healthyAfterMs;
  const next: SupervisorState = {
    quickDeaths: healthy ? 0 : state.quickDeaths + 1,
    startFailures: end.wasReady ? 0 : state.startFailures + 1,
  };
  if (next.startFailures >= policy.maxStartFailures) {
    return {
      action: 'give-up',
      state: next,
      notice: `Le serveur eTicket n’a pas pu démarrer ${next.startFailures} fois de suite (${howItEnded(end)}) : arrêt. Lisez le message ci-dessus, corrigez la cause, puis relancez « npm run serve ».`,
    };
  }
  const delayMs = healthy ? policy.baseDelayMs : Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (next.quickDeaths - 1));
  const what = end.wasReady ? 'Le serveur eTicket s’est arrêté de façon imprévue' : 'Le serveur eTicket n’a pas démarré';
  return { action: 'restart', delayMs, state: next, notice: `${what} (${howItEnded(end)}) : redémarrage dans ${seconds(delayMs)} s.` };
}
