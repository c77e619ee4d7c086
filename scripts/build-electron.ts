// Bundles the Electron main process, the preload bridges, the server's utility-process entry
// and the packaged first-run page into dist-electron/. npm packages stay external (electron-builder ships node_modules,
// and better-sqlite3 is native); our own code (server/, core/, db/, api/) is bundled in.
// esbuild comes with tsx, a runtime dependency, so it is always installed.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const defaultOutdir = path.join(root, 'dist-electron');

export async function buildElectron(outdir = defaultOutdir): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node22', // Electron 45 ships Node 22
    packages: 'external' as const,
    sourcemap: true,
    logLevel: 'warning' as const,
    absWorkingDir: root,
  };
  await build({
    ...common,
    entryPoints: { main: 'electron/main.ts', 'server-process': 'electron/server-process.ts' },
    format: 'esm',
    outdir,
    outExtension: { '.js': '.js' },
  });
  // Sandboxed preloads must be CommonJS.
  await build({ ...common, entryPoints: ['electron/preload.ts'], format: 'cjs', outfile: path.join(outdir, 'preload.cjs') });
  await build({ ...common, entryPoints: ['electron/first-run-preload.ts'], format: 'cjs', outfile: path.join(outdir, 'first-run-preload.cjs') });
  await buildWorker(outdir);
  // The first-run page: a local file with its own CSP (script-src 'self'), so one plain script beside it.
  const page = path.join(outdir, 'first-run');
  await build({ ...common, platform: 'browser', target: 'chrome130', format: 'iife', sourcemap: false, entryPoints: ['electron/first-run/first-run.ts'], outfile: path.join(page, 'first-run.js') });
  for (const file of ['index.html', 'first-run.css']) fs.copyFileSync(path.join(root, 'electron', 'first-run', file), path.join(page, file));
}

/**
 * The worker threads' entry (core/workers/worker.ts) as one self-contained CommonJS file: the
 * pool reads it and runs it with eval, which also works from inside app.asar. Only the native
 * SQLite driver stays outside (the backup worker is given its path).
 */
export async function buildWorker(outdir = defaultOutdir): Promise<void> {
  await build({
    bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: false, logLevel: 'error', absWorkingDir: root,
    external: ['better-sqlite3'], entryPoints: ['core/workers/worker.ts'], outfile: path.join(outdir, 'worker.cjs'),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildElectron();
  console.log(`Électron : main, preload et processus serveur construits dans ${path.relative(process.cwd(), defaultOutdir) || defaultOutdir}`);
}
