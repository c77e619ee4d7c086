// What the desktop app does at start, decided from the environment and the stored choice:
// ask (first run, or "Changer de mode…"), start the bundled server on the demo or the
// commune folder, or open the commune's central server. Also guards that a demo folder and
// a commune folder never mix. Pure (paths and texts in, decisions out): unit-tested.
import path from 'node:path';
import { parseServerAddress } from './central-server.js';
import type { DesktopChoice, DesktopConfig } from './desktop-config.js';

export type LaunchPlan =
  | { kind: 'ask'; current: DesktopChoice | null }
  | { kind: 'bundled'; demo: boolean; dataDir: string; /** ETICKET_DATA_DIR named the folder: not one of userData's. */ customFolder: boolean }
  | { kind: 'central'; origin: string; fromEnv: boolean };

export interface LaunchInput {
  env: Record<string, string | undefined>;
  userData: string;
  config: DesktopConfig | null;
  /** The app was relaunched by "Changer de mode…". */
  askAgain: boolean;
}

/** Demo data and the commune's data live in two sibling folders of userData. */
export function dataDirFor(userData: string, demo: boolean): string {
  return path.join(userData, demo ? 'demo' : 'data');
}

export const ASK_AGAIN_FLAG = '--changer-de-mode';

/**
 * ETICKET_SERVER_URL, ETICKET_DATA_DIR and ETICKET_DEMO win over the stored choice (tests,
 * CI, a technician); then the stored choice; otherwise the first-run page asks.
 */
export function resolveLaunch({ env, userData, config, askAgain }: LaunchInput): LaunchPlan {
  if (env.ETICKET_SERVER_URL) {
    const parsed = parseServerAddress(env.ETICKET_SERVER_URL);
    if (!parsed.ok) throw new Error(`ETICKET_SERVER_URL : ${parsed.message}`);
    return { kind: 'central', origin: parsed.origin, fromEnv: true };
  }
  if (env.ETICKET_DATA_DIR) return { kind: 'bundled', demo: env.ETICKET_DEMO !== '0', dataDir: path.resolve(env.ETICKET_DATA_DIR), customFolder: true };
  if (env.ETICKET_DEMO !== undefined && env.ETICKET_DEMO !== '') {
    const demo = env.ETICKET_DEMO !== '0';
    return { kind: 'bundled', demo, dataDir: dataDirFor(userData, demo), customFolder: false };
  }
  if (askAgain || !config) return { kind: 'ask', current: config?.choice ?? null };
  return planForChoice(config.choice, userData);
}

export function planForChoice(choice: DesktopChoice, userData: string): Exclude<LaunchPlan, { kind: 'ask' }> {
  if (choice.mode === 'central') return { kind: 'central', origin: choice.address, fromEnv: false };
  const demo = choice.mode === 'demo';
  return { kind: 'bundled', demo, dataDir: dataDirFor(userData, demo), customFolder: false };
}

/**
 * Each mode keeps its own cookies and storage: a demo sign-in is never sent to the commune's
 * server (both bundled servers listen on 127.0.0.1, and cookies ignore the port).
 */
export function sessionPartition(plan: Exclude<LaunchPlan, { kind: 'ask' }>): string {
  if (plan.kind === 'central') return 'persist:eticket-central';
  return plan.demo ? 'persist:eticket-demo' : 'persist:eticket-commune';
}

/** The environment of the bundled server's process. */
export function bundledServerEnv(
  plan: Extract<LaunchPlan, { kind: 'bundled' }>,
  base: Record<string, string | undefined>,
  appRoot: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env.ETICKET_DATA_DIR = plan.dataDir;
  env.ETICKET_DEMO = plan.demo ? '1' : '0';
  env.ETICKET_APP_ROOT = appRoot;
  return env;
}

// ---- The data folder's mode marker ----

/** Written in a data folder the first time the app uses it; the same name as db/index.ts databaseFile. */
export const MODE_MARKER = 'eticket-mode.json';
export const DATABASE_FILE = 'eticket.sqlite';

export function markerText(demo: boolean): string {
  return `${JSON.stringify({ mode: demo ? 'demo' : 'commune' })}\n`;
}

export function parseMarker(text: string | null): 'demo' | 'commune' | null {
  if (!text) return null;
  try {
    const mode = (JSON.parse(text) as { mode?: unknown } | null)?.mode;
    return mode === 'demo' || mode === 'commune' ? mode : null;
  } catch {
    return null;
  }
}

export interface FolderState {
  marker: string | null;
  hasDatabase: boolean;
}

export type FolderDecision = { action: 'use' } | { action: 'mark' } | { action: 'refuse'; message: string };

/** May the server start on this folder in this mode? A folder keeps the mode it started with. */
export function checkDataFolder(state: FolderState, demo: boolean, customFolder: boolean): FolderDecision {
  const mode = parseMarker(state.marker);
  if (mode === (demo ? 'demo' : 'commune')) return { action: 'use' };
  if (mode) {
    return {
      action: 'refuse',
      message: demo
        ? 'Ce dossier contient les données de la commune : eTicket n’y démarre pas en démonstration, pour ne jamais mêler des données fictives aux vraies.'
        : 'Ce dossier contient des données de démonstration : eTicket n’y démarre pas pour la commune, pour ne jamais mêler des données fictives aux vraies.',
    };
  }
  // A folder chosen by ETICKET_DATA_DIR that already holds a database is the technician's business.
  if (customFolder && state.hasDatabase) return { action: 'use' };
  return { action: 'mark' };
}

/**
 * Before this version the app kept its (demo, by default) database in userData/data without a
 * marker. That folder is now the commune's: move it to userData/demo, or beside it when a demo
 * folder already exists, so no demo family ever shows up in the commune's data.
 */
export function legacyDataMove(data: FolderState, demoFolderExists: boolean, now: Date): string | null {
  if (!data.hasDatabase || parseMarker(data.marker)) return null;
  if (!demoFolderExists) return 'demo';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `demo-ancienne-${stamp}`;
}
