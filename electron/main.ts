// Electron main process: asks how this computer uses eTicket on first run, then starts the
// bundled server (in a utility process, or in-process as a fallback) or opens the commune's
// central server, shows the staff console, and offers printing and save dialogs through the
// preload bridge. It only wires the pure modules beside it (launch, central-server, policy…).
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, session, shell, utilityProcess, type Session, type WebContents } from 'electron';
import { DESKTOP_CHANNELS, FIRST_RUN_CHANNEL } from '../api/desktop.js';
import { appMenuTemplate, CHANGE_MODE_DIALOG } from './app-menu.js';
import { checkCentralServer, type CheckFetch } from './central-server.js';
import { createCommuneOrigins, decideLinkAfterRefresh, FOCUS_REFRESH_MS, websiteFetcher, type CommuneOrigins } from './commune-origins.js';
import { prepareDataFolder } from './data-folder.js';
import { configPath, describeChoice, readConfig, saveConfig, type DesktopChoice } from './desktop-config.js';
import { createFirstRunHandler } from './first-run-ipc.js';
import { ASK_AGAIN_FLAG, bundledServerEnv, planForChoice, resolveLaunch, sessionPartition, type LaunchPlan } from './launch.js';
import { consoleUrl, firstRunWindowOptions, isAppUrl, mainWindowOptions, parseSaveFileRequest } from './policy.js';
import { ServerKeeper } from './server-keeper.js';
import { serverOptionsFromEnv } from './server-options.js';

interface Backend {
  url: string;
  stop(): Promise<void>;
}

type StartPlan = Exclude<LaunchPlan, { kind: 'ask' }>;

const here = import.meta.dirname;
const firstRunPage = path.join(here, 'first-run', 'index.html');
let backend: Backend | null = null;
/** The only origin the console window may show: the bundled server or the commune's. */
let appOrigin: string | null = null;
let origins: CommuneOrigins | null = null;
let current: StartPlan | null = null;
let mainWindow: BrowserWindow | null = null;
let setupWindow: BrowserWindow | null = null;
let firstRun: ((raw: unknown) => Promise<unknown>) | null = null;
let quitting = false;

const netFetch: CheckFetch = (url, init) => net.fetch(url, init);

function log(line: string): void {
  console.log(`[eTicket] ${line}`);
}

const userData = () => app.getPath('userData');

/**
 * Preferred: the server in its own process, so SQLite never blocks the window; started again
 * after an unexpected stop (server-keeper.ts), and the window follows it if its port changed.
 */
async function startUtilityServer(env: Record<string, string>): Promise<Backend> {
  const keeper = new ServerKeeper({
    spawn: (childEnv) => {
      const child = utilityProcess.fork(path.join(here, 'server-process.js'), [], { env: childEnv, stdio: 'inherit', serviceName: 'eTicket serveur' });
      return Object.assign(child, { shutdown: () => child.postMessage({ type: 'shutdown' }) });
    },
    env,
    log,
    onRestarted: (url) => {
      const origin = new URL(url).origin;
      if (origin === appOrigin) return;
      appOrigin = origin;
      if (backend) backend.url = url;
      void mainWindow?.loadURL(consoleUrl(origin));
    },
    onGaveUp: (notice) => {
      dialog.showErrorBox('eTicket', notice);
      app.quit();
    },
  });
  const url = await keeper.start();
  return {
    url,
    stop: async () => {
      const how = await keeper.stop();
      log(`serveur arrêté (${how === 'killed' ? 'forcé' : 'proprement'})`);
    },
  };
}

/** Fallback when a utility process cannot start: the same server inside the main process. */
async function startInProcessServer(env: Record<string, string>): Promise<Backend> {
  const { startServer } = await import('../server/bootstrap.js');
  const running = await startServer(serverOptionsFromEnv(env));
  return { url: running.url, stop: () => running.close() };
}

async function startBackend(plan: Extract<StartPlan, { kind: 'bundled' }>): Promise<Backend> {
  const moved = prepareDataFolder(plan, userData());
  if (moved) log(moved);
  const env = bundledServerEnv(plan, process.env, app.getAppPath());
  try {
    return await startUtilityServer(env);
  } catch (err) {
    log(`processus serveur indisponible (${err instanceof Error ? err.message : String(err)}), démarrage dans le processus principal`);
    return startInProcessServer(env);
  }
}

function fromApp(contents: WebContents, frameUrl: string | undefined): boolean {
  return !!appOrigin && !!mainWindow && contents === mainWindow.webContents && !contents.isDestroyed() && isAppUrl(frameUrl ?? '', appOrigin);
}

function openOutside(url: string, kind: 'navigation' | 'window-open'): void {
  if (!appOrigin || !origins) return;
  void decideLinkAfterRefresh(url, appOrigin, origins, kind).then((decision) => {
    if (decision === 'external') void shell.openExternal(url);
  });
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (appOrigin && isAppUrl(url, appOrigin) && contents === mainWindow?.webContents) return;
    event.preventDefault();
    openOutside(url, 'navigation');
  });
  contents.on('will-redirect', (event, url) => {
    if (!appOrigin || !isAppUrl(url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, 'window-open');
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

  // The first-run page's one channel: only from that window, only from the packaged page.
  const pageUrl = pathToFileURL(firstRunPage).href;
  ipcMain.handle(FIRST_RUN_CHANNEL, (event, raw: unknown) => {
    const frameUrl = (event.senderFrame?.url ?? '').split(/[?#]/)[0];
    if (!setupWindow || event.sender !== setupWindow.webContents || frameUrl !== pageUrl || !firstRun) throw new Error('Origine refusée');
    return firstRun(raw);
  });
}

function denyPermissions(s: Session): void {
  // The console needs no camera, microphone, notifications or geolocation.
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
}

/** Runs a plan after the page's answer went back: the page shows "Démarrage…" meanwhile. */
function proceedSoon(plan: StartPlan): void {
  setImmediate(() => void start(plan));
}

function openSetup(view: { view: 'choose' | 'unreachable'; choice?: DesktopChoice | null; address?: string }): void {
  const query: Record<string, string> = { view: view.view };
  if (view.choice) {
    query.mode = view.choice.mode;
    query.current = describeChoice(view.choice);
    if (view.choice.mode === 'central') query.address = view.choice.address;
  }
  if (view.address) query.address = view.address;
  firstRun = createFirstRunHandler({
    check: (origin) => checkCentralServer(origin, netFetch),
    choose: async (choice) => {
      saveConfig(configPath(userData()), choice);
      log(`mode choisi : ${describeChoice(choice)}`);
      proceedSoon(planForChoice(choice, userData()));
    },
    keep: async () => {
      const stored = readConfig(configPath(userData()));
      if (!stored) return false;
      proceedSoon(planForChoice(stored.choice, userData()));
      return true;
    },
    retry: async () => {
      const plan = current;
      if (plan?.kind !== 'central') return { ok: false, message: 'Aucun serveur à joindre : choisissez un mode.' };
      const result = await checkCentralServer(plan.origin, netFetch);
      if (result.ok) proceedSoon(plan);
      return result;
    },
  });
  const win = setupWindow ?? new BrowserWindow(firstRunWindowOptions(path.join(here, 'first-run-preload.cjs')));
  if (!setupWindow) {
    setupWindow = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (setupWindow === win) setupWindow = null;
    });
  }
  void win.loadFile(firstRunPage, { query });
}

async function openMainWindow(plan: StartPlan, url: string): Promise<void> {
  const win = new BrowserWindow(mainWindowOptions(path.join(here, 'preload.cjs'), sessionPartition(plan)));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('focus', () => void origins?.refresh(FOCUS_REFRESH_MS));
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (plan.kind === 'central') {
    // The commune's server went away: say so in French instead of Chromium's error page.
    win.webContents.on('did-fail-load', (_event, code, _description, _url, isMainFrame) => {
      if (!isMainFrame || code === -3 || mainWindow !== win) return;
      openSetup({ view: 'unreachable', address: plan.origin });
      mainWindow = null;
      win.destroy();
    });
    // A failed load is handled by did-fail-load above, not as a start-up failure.
    await win.loadURL(url).catch(() => undefined);
    return;
  }
  await win.loadURL(url);
}

async function start(plan: StartPlan): Promise<void> {
  current = plan;
  try {
    if (plan.kind === 'central') {
      const reachable = await checkCentralServer(plan.origin, netFetch);
      if (!reachable.ok) {
        log(`serveur de la commune injoignable : ${plan.origin}`);
        openSetup({ view: 'unreachable', address: plan.origin });
        return;
      }
      appOrigin = plan.origin;
      log(`serveur de la commune : ${plan.origin} (${reachable.communeName})`);
    } else {
      backend = await startBackend(plan);
      appOrigin = new URL(backend.url).origin;
      log(`serveur prêt sur ${backend.url} (données : ${plan.dataDir}, ${plan.demo ? 'démonstration' : 'commune'})`);
    }
    origins = createCommuneOrigins(websiteFetcher(appOrigin, (u) => net.fetch(u)));
    await origins.refresh(0);
    await openMainWindow(plan, consoleUrl(appOrigin));
    // Unless the load failed and the setup window now says the server is unreachable.
    if (mainWindow) setupWindow?.close();
  } catch (err) {
    dialog.showErrorBox('eTicket', `eTicket n’a pas pu démarrer.\n\n${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    app.exit(1);
  }
}

async function changeMode(): Promise<void> {
  const owner = BrowserWindow.getFocusedWindow();
  const answer = owner ? await dialog.showMessageBox(owner, CHANGE_MODE_DIALOG) : await dialog.showMessageBox(CHANGE_MODE_DIALOG);
  if (answer.response !== 0) return;
  if (!backend && setupWindow && !mainWindow) {
    // Nothing runs yet (first run, or the commune's server is unreachable): just show the choice.
    openSetup({ view: 'choose', choice: readConfig(configPath(userData()))?.choice ?? null });
    return;
  }
  app.relaunch({ args: [...process.argv.slice(1).filter((a) => a !== ASK_AGAIN_FLAG), ASK_AGAIN_FLAG] });
  app.quit();
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
    const win = mainWindow ?? setupWindow;
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('session-created', (s) => denyPermissions(s));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Stop the server (and close the database) before the process goes away.
    event.preventDefault();
    quitting = true;
    void shutdown().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ changeMode: () => void changeMode(), quit: () => app.quit() }, { devTools: !app.isPackaged })));
    registerBridge();
    let plan: LaunchPlan;
    try {
      plan = resolveLaunch({ env: process.env, userData: userData(), config: readConfig(configPath(userData())), askAgain: process.argv.includes(ASK_AGAIN_FLAG) });
    } catch (err) {
      dialog.showErrorBox('eTicket', err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }
    if (plan.kind === 'ask') openSetup({ view: 'choose', choice: plan.current });
    else void start(plan);
  });
  app.on('activate', () => {
    if (!mainWindow && !setupWindow && appOrigin && current) void openMainWindow(current, consoleUrl(appOrigin));
  });
}

main();
