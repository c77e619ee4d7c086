// `npm start`: builds the clients when they are missing or stale, then opens the desktop app
// (Electron) when its runtime is here or can be downloaded; otherwise starts the server alone
// and says where the console and the portal are. `npm run desktop` (--desktop) always tries
// Electron and fails clearly when it cannot; --browser never tries it. --mode=demo|commune
// skips the desktop app's first-run question (and picks the browser fallback's data folder).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepareDataFolder } from '../electron/data-folder.js';
import { buildElectron } from './build-electron.js';
import { startDemoSimulator } from './demo-simulator.js';
import { canReach, electronDownloadProbeUrl, installedElectronBinary, isBuildStale, parseStartMode, startModeEnv } from './start-helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const forceDesktop = args.has('--desktop');
const forceBrowser = args.has('--browser');
const electronDir = path.join(root, 'node_modules', 'electron');

const parsedMode = parseStartMode(process.argv.slice(2));
if ('error' in parsedMode) {
  console.error(parsedMode.error);
  process.exit(2);
}
const startMode = parsedMode.mode;

function buildClientsIfStale(): void {
  const shared = [path.join(root, 'api')];
  const stale =
    isBuildStale(path.join(root, 'dist', 'web', 'index.html'), [path.join(root, 'web'), ...shared]) ||
    isBuildStale(path.join(root, 'dist', 'staff', 'index.html'), [path.join(root, 'renderer'), ...shared]);
  if (!stale) return;
  console.log('Construction des interfaces (portail et console)…');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) console.warn('La construction des interfaces a échoué : le serveur démarre quand même, avec une page d’information.');
}

/** The Electron executable, downloading it when allowed and reachable; null otherwise. */
async function findElectron(): Promise<string | null> {
  const installed = installedElectronBinary(electronDir);
  if (installed) return installed;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' && !forceDesktop) return null;
  const probe = electronDownloadProbeUrl();
  if (!(await canReach(probe, forceDesktop ? 10_000 : 4_000))) {
    console.log(`Electron n’est pas installé et ${probe} est injoignable.`);
    return null;
  }
  console.log('Téléchargement d’Electron (une seule fois)…');
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'inherit', timeout: 10 * 60_000 });
  if (result.status !== 0) {
    console.log('Le téléchargement d’Electron a échoué.');
    return null;
  }
  return installedElectronBinary(electronDir);
}

async function runDesktop(binary: string): Promise<never> {
  await buildElectron();
  console.log('Ouverture de l’application eTicket…');
  // The app keeps its data in its user-data folder; --mode only answers its first-run question.
  const env: NodeJS.ProcessEnv = startMode ? { ...process.env, ETICKET_DEMO: startMode === 'demo' ? '1' : '0' } : { ...process.env };
  if (startMode) console.log(startMode === 'demo' ? 'Mode démonstration demandé.' : 'Mode commune demandé : la console ouvrira la page « Mise en service ».');
  // The app may still choose the demo at its first run: its server uses the simulator only then.
  const simulator = await startDemoSimulator(env);
  if (simulator) env.ETICKET_PAYFIP_SIMULATOR_URL = simulator.url;
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit', env });
  const stop = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 0)));
  await simulator?.close();
  process.exit(code);
}

async function runServerOnly(): Promise<void> {
  if (startMode) {
    // Before the server reads its configuration (configFromEnv reads process.env).
    const chosen = startModeEnv(startMode, process.env, root);
    Object.assign(process.env, chosen.env);
    for (const line of chosen.lines) console.log(line);
    try {
      prepareDataFolder({ kind: 'bundled', demo: startMode === 'demo', dataDir: chosen.env.ETICKET_DATA_DIR!, customFolder: true }, root);
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    }
  }
  const simulator = await startDemoSimulator(process.env);
  const { startServer } = await import('../server/bootstrap.js');
  const running = await startServer(simulator ? { config: { payfipSimulatorUrl: simulator.url } } : {}).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
  console.log('');
  console.log('eTicket fonctionne sans fenêtre Electron : ouvrez ces adresses dans un navigateur.');
  console.log(`  Console du secrétariat : ${running.url}/staff/`);
  console.log(`  Portail des familles   : ${running.url}/`);
  console.log(`  Données                : ${running.config.dataDir}`);
  const { setupNotice } = await import('../server/setup-notice.js');
  for (const line of setupNotice(running)) console.log(line);
  console.log('Ctrl+C pour arrêter.');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu, arrêt propre…`);
    await running.close();
    await simulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

buildClientsIfStale();
if (forceBrowser) {
  await runServerOnly();
} else {
  const binary = await findElectron();
  if (binary) await runDesktop(binary);
  else if (forceDesktop) {
    console.error('Impossible de lancer l’application de bureau : Electron est absent et ne peut pas être téléchargé ici.');
    console.error('Lancez « npm start » pour utiliser la console dans un navigateur.');
    process.exit(1);
  } else {
    console.log('Electron n’est pas disponible sur cette machine : la console s’ouvre dans un navigateur.');
    await runServerOnly();
  }
}
