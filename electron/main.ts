// Electron main process: starts the server (in a utility process, or in-process as a
// fallback), opens the staff console on it, and offers printing and save dialogs through
// the preload bridge. It holds no business logic.
import fs from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session, shell, utilityProcess, type WebContents } from 'electron';
import { DESKTOP_CHANNELS } from '../api/desktop.js';
import { communeOrigins, consoleUrl, decideNavigation, decideWindowOpen, isAppUrl, mainWindowOptions, parseSaveFileRequest } from './policy.js';
import { stopWithGrace, waitForHttp, waitForServerReady } from './server-ready.js';
import { serverOptionsFromEnv } from './server-options.js';

interface Backend {
  url: string;
  stop(): Promise<void>;
}

const here = import.meta.dirname;
let backend: Backend | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

function log(line: string): void {
  console.log(`[eTicket] ${line}`);
}

function dataDir(): string {
  return process.env.ETICKET_DATA_DIR ?? path.join(app.getPath('userData'), 'data');
}

function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.ETICKET_DATA_DIR = dataDir();
  env.ETICKET_APP_ROOT = app.getAppPath();
  return env;
}

/** Preferred: the server in its own process, so SQLite never blocks the window. */
async function startUtilityServer(): Promise<Backend> {
  const child = utilityProcess.fork(path.join(here, 'server-process.js'), [], {
    env: serverEnv(),
    stdio: 'inherit',
    serviceName: 'eTicket serveur',
  });
  const url = await waitForServerReady(child, 60_000).catch((err: unknown) => {
    child.kill();
    throw err;
  });
  await waitForHttp(url, 10_000);
  return {
    url,
    stop: async () => {
      const how = await stopWithGrace(child, () => child.postMessage({ type: 'shutdown' }), () => child.kill(), 8_000);
      log(`serveur arrêté (${how === 'clean' ? 'proprement' : 'forcé'})`);
    },
  };
}

/** Fallback when a utility process cannot start: the same server inside the main process. */
async function startInProcessServer(): Promise<Backend> {
  const { startServer } = await import('../server/bootstrap.js');
  const running = await startServer(serverOptionsFromEnv(serverEnv()));
  return { url: running.url, stop: () => running.close() };
}

async function startBackend(): Promise<Backend> {
  try {
    return await startUtilityServer();
  } catch (err) {
    log(`processus serveur indisponible (${err instanceof Error ? err.message : String(err)}), démarrage dans le processus principal`);
    return startInProcessServer();
  }
}

/** The commune's website, read from its settings once the server runs: its links may open outside. */
let websiteOrigins: string[] = [];
async function loadCommuneOrigins(serverUrl: string): Promise<void> {
  try {
    const res = await fetch(new URL('/api/public/commune', serverUrl));
    const body = (await res.json()) as { website?: unknown };
    websiteOrigins = typeof body.website === 'string' ? communeOrigins(body.website) : [];
  } catch {
    websiteOrigins = [];
  }
}

function fromApp(contents: WebContents, frameUrl: string | undefined): boolean {
  return !!backend && !contents.isDestroyed() && isAppUrl(frameUrl ?? '', backend.url);
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    const decision = backend ? decideNavigation(url, backend.url, websiteOrigins) : 'deny';
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'external') void shell.openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!backend || !isAppUrl(url, backend.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url, websiteOrigins) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function registerBridge(): void {
  ipcMain.handle(DESKTOP_CHANNELS.print, (event) => {
    if (!fromApp(event.sender, event.senderFrame?.url)) throw new Error('Origine refusée');
    return new Promise<void>((resolve, reject) => {
      event.sender.print({ silent: false, printBackground: true }, (success, reason) => {
        if (success || reason === 'cancelled' || reason === 'Print job canceled') resolve();
        else reject(new Error(`Impression impossible : ${reason}`));
      });
    });
  });

  ipcMain.handle(DESKTOP_CHANNELS.saveFile, async (event, raw: unknown) => {
    if (!fromApp(event.sender, event.senderFrame?.url)) throw new Error('Origine refusée');
    const request = parseSaveFileRequest(raw);
    if (!request) throw new Error('Fichier invalide');
    const owner = BrowserWindow.fromWebContents(event.sender);
    const ext = path.extname(request.suggestedName).slice(1).toLowerCase();
    const filters = ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [];
    const options = { defaultPath: path.join(app.getPath('documents'), request.suggestedName), filters };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return false;
    await fs.writeFile(result.filePath, request.bytes);
    return true;
  });
}

function denyPermissions(): void {
  // The console needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

async function openWindow(): Promise<void> {
  if (!backend) return;
  const win = new BrowserWindow(mainWindowOptions(path.join(here, 'preload.cjs')));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  await win.loadURL(consoleUrl(backend.url));
}

async function shutdown(): Promise<void> {
  const running = backend;
  backend = null;
  if (running) await running.stop().catch((err: unknown) => log(`arrêt du serveur : ${String(err)}`));
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    // A second launch focuses the first window: two servers on one database would fight.
    app.quit();
    return;
  }
  app.enableSandbox();

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Stop the server (and close the database) before the process goes away.
    event.preventDefault();
    quitting = true;
    void shutdown().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    denyPermissions();
    registerBridge();
    try {
      backend = await startBackend();
      log(`serveur prêt sur ${backend.url} (données : ${dataDir()})`);
      await loadCommuneOrigins(backend.url);
      await openWindow();
    } catch (err) {
      dialog.showErrorBox('eTicket', `eTicket n’a pas pu démarrer.\n\n${err instanceof Error ? err.message : String(err)}`);
      await shutdown();
      app.exit(1);
    }
  });
  app.on('activate', () => {
    if (!mainWindow && backend) void openWindow();
  });
}

main();
