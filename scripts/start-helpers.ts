// Decisions of `npm start`, kept pure-ish and testable: are the client builds stale, is the
// Electron binary here, can it be downloaded quickly.
import fs from 'node:fs';
import path from 'node:path';

/** Newest modification time (ms) of the files under `dirs`, skipping node_modules and builds. */
export function newestMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && !/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) walk(d);
  return newest;
}

/** A client build is stale when its index.html is missing or older than any of its sources. */
export function isBuildStale(indexHtml: string, sourceDirs: string[]): boolean {
  if (!fs.existsSync(indexHtml)) return true;
  return newestMtime(sourceDirs) > fs.statSync(indexHtml).mtimeMs;
}

/**
 * The Electron executable when it is already downloaded, else null. Reads what the electron
 * package's installer writes (path.txt + dist/) instead of require('electron'), which would
 * start a download with no timeout.
 */
export function installedElectronBinary(electronPackageDir: string): string | null {
  try {
    const rel = fs.readFileSync(path.join(electronPackageDir, 'path.txt'), 'utf8').trim();
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const full = override ? path.join(override, rel || 'electron') : path.join(electronPackageDir, 'dist', rel);
    return rel && fs.existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

/** Where the Electron zip comes from (honours ELECTRON_MIRROR like @electron/get). */
export function electronDownloadProbeUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases';
}

/** True when the download host answers within `timeoutMs` (any HTTP status counts as reachable). */
export async function canReach(
  url: string,
  timeoutMs: number,
  fetchImpl: (input: string, init: { method: string; signal: AbortSignal; redirect: 'manual' }) => Promise<unknown> = fetch,
): Promise<boolean> {
  try {
    await fetchImpl(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return true;
  } catch {
    return false;
  }
}

export type StartMode = 'demo' | 'commune';

/** `--mode=demo|commune` from the command line: null when absent, an error line for anything else. */
export function parseStartMode(args: readonly string[]): { mode: StartMode | null } | { error: string } {
  const given = args.filter((a) => a === '--mode' || a.startsWith('--mode='));
  if (given.length === 0) return { mode: null };
  const value = given.length === 1 ? given[0]!.slice('--mode='.length) : '';
  if (value === 'demo' || value === 'commune') return { mode: value };
  return { error: 'Option --mode inconnue : utilisez --mode=demo (démonstration) ou --mode=commune (les données de la commune, sans démonstration).' };
}

/**
 * The environment a mode gives the server (browser fallback) or the desktop app: demo data
 * in ./data as before, the commune's in ./data-commune, so the two never share a database.
 * ETICKET_DATA_DIR still wins. Returns the French lines `npm start` prints.
 */
export function startModeEnv(mode: StartMode, env: NodeJS.ProcessEnv, root: string): { env: Record<string, string>; lines: string[] } {
  const dataDir = env.ETICKET_DATA_DIR ? path.resolve(env.ETICKET_DATA_DIR) : path.join(root, mode === 'demo' ? 'data' : 'data-commune');
  const out: Record<string, string> = { ETICKET_DEMO: mode === 'demo' ? '1' : '0', ETICKET_DATA_DIR: dataDir };
  const lines =
    mode === 'demo'
      ? [`Mode démonstration : familles et comptes fictifs (mot de passe eticket-demo), données dans ${dataDir}.`]
      : [
          `Mode commune : aucune donnée de démonstration, données dans ${dataDir}.`,
          'Ouvrez la console du secrétariat : la page « Mise en service » crée la fiche de la commune et le premier compte administrateur.',
        ];
  return { env: out, lines };
}
