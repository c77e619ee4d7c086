// The main-process side of the first-run page's channel, without Electron: checks what the
// page sent, checks a central server before saving it, and answers in French. One request at
// a time (a double click sends nothing twice), and nothing more once a choice is made.
import type { FirstRunAnswer, FirstRunRequest } from '../api/desktop.js';
import { parseServerAddress, type CheckResult } from './central-server.js';
import { parseChoice, type DesktopChoice } from './desktop-config.js';

export interface FirstRunDeps {
  /** Reachability of a central server (checkCentralServer with net.fetch). */
  check(origin: string): Promise<CheckResult>;
  /** Stores the choice (atomic write) and goes on with it. */
  choose(choice: DesktopChoice): Promise<void>;
  /** "Garder le mode actuel": goes on with the stored choice; false when there is none. */
  keep(): Promise<boolean>;
  /** "Réessayer" on the unreachable page: true once the server answers. */
  retry(): Promise<CheckResult>;
}

export function parseFirstRunRequest(raw: unknown): FirstRunRequest | { action: 'choose-central'; address: unknown } | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (r.action === 'keep' || r.action === 'retry') return { action: r.action };
  if (r.action !== 'choose') return null;
  const c = r.choice as Record<string, unknown> | undefined;
  if (c && typeof c === 'object' && c.mode === 'central') return { action: 'choose-central', address: c.address };
  const choice = parseChoice(c);
  return choice ? { action: 'choose', choice } : null;
}

const BUSY: FirstRunAnswer = { ok: false, message: 'Un instant : la demande précédente est en cours.' };
const INVALID: FirstRunAnswer = { ok: false, message: 'Demande invalide.' };

export function createFirstRunHandler(deps: FirstRunDeps): (raw: unknown) => Promise<FirstRunAnswer> {
  let busy = false;
  let done = false;
  const run = async (raw: unknown): Promise<FirstRunAnswer> => {
    const request = parseFirstRunRequest(raw);
    if (!request) return INVALID;
    if (request.action === 'keep') return (await deps.keep()) ? { ok: true } : { ok: false, message: 'Aucun mode n’est encore enregistré : choisissez-en un.' };
    if (request.action === 'retry') {
      const result = await deps.retry();
      return result.ok ? { ok: true } : { ok: false, message: result.message };
    }
    if (request.action === 'choose-central') {
      const address = parseServerAddress(request.address);
      if (!address.ok) return { ok: false, field: 'address', message: address.message };
      const reachable = await deps.check(address.origin);
      if (!reachable.ok) return { ok: false, field: 'address', message: reachable.message };
      await deps.choose({ mode: 'central', address: address.origin });
      return { ok: true };
    }
    await deps.choose(request.choice);
    return { ok: true };
  };
  return async (raw) => {
    if (done) return { ok: false, message: 'Le choix est déjà fait : eTicket démarre.' };
    if (busy) return BUSY;
    busy = true;
    try {
      const answer = await run(raw);
      if (answer.ok) done = true;
      return answer;
    } catch (err) {
      return { ok: false, message: `eTicket n’a pas pu enregistrer ce choix : ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      busy = false;
    }
  };
}
