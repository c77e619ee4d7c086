// The desktop app's first run, without Electron: the stored choice (parse, validate, atomic
// write, corrupt file), what each choice starts (server options, window URL, data folder),
// the environment overrides, the data folders that never mix, and the page's IPC channel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFile } from '../db/index.js';
import { appMenuTemplate, CHANGE_MODE_LABEL } from './app-menu.js';
import type { CheckResult } from './central-server.js';
import { prepareDataFolder, DataFolderError } from './data-folder.js';
import { configPath, parseConfig, readConfig, saveConfig, serializeConfig, writeFileAtomic, type DesktopChoice } from './desktop-config.js';
import { createFirstRunHandler, type FirstRunDeps } from './first-run-ipc.js';
import { bundledServerEnv, checkDataFolder, DATABASE_FILE, dataDirFor, legacyDataMove, markerText, MODE_MARKER, planForChoice, resolveLaunch, sessionPartition } from './launch.js';
import { consoleUrl, firstRunWindowOptions, mainWindowOptions } from './policy.js';
import { serverOptionsFromEnv } from './server-options.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-firstrun-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const userData = path.resolve('/home/agent/.config/eTicket');

describe('the stored choice', () => {
  it('reads back what it wrote, for each of the three choices', () => {
    const dir = tempDir();
    const file = configPath(dir);
    const choices: DesktopChoice[] = [{ mode: 'demo' }, { mode: 'commune' }, { mode: 'central', address: 'https://eticket.mairie-exemple.fr' }];
    for (const choice of choices) {
      saveConfig(file, choice, new Date('2026-09-01T07:00:00Z'));
      expect(readConfig(file)).toEqual({ version: 1, choice, savedAt: '2026-09-01T07:00:00.000Z' });
    }
    // The central address is stored as an origin, whatever was typed.
    saveConfig(file, { mode: 'central', address: '192.168.1.20:3000/staff/' });
    expect(readConfig(file)?.choice).toEqual({ mode: 'central', address: 'http://192.168.1.20:3000' });
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]); // no temp file left behind
  });

  it('treats a missing, corrupt, foreign or tampered file as "ask again"', () => {
    expect(parseConfig(null)).toBeNull();
    expect(parseConfig('')).toBeNull();
    expect(parseConfig('{"version":1,"choice":{"mode":"demo"}')).toBeNull(); // cut short
    expect(parseConfig('null')).toBeNull();
    expect(parseConfig('[]')).toBeNull();
    expect(parseConfig('{"version":2,"choice":{"mode":"demo"}}')).toBeNull();
    expect(parseConfig('{"version":1,"choice":{"mode":"admin"}}')).toBeNull();
    expect(parseConfig('{"version":1,"choice":{"mode":"central"}}')).toBeNull();
    expect(parseConfig('{"version":1,"choice":{"mode":"central","address":"http://eticket.example.com"}}')).toBeNull(); // plain http on the internet
    expect(parseConfig('{"version":1,"choice":{"mode":"central","address":"javascript:alert(1)"}}')).toBeNull();
    expect(parseConfig(`{"version":1,"choice":{"mode":"demo"},"pad":"${'x'.repeat(20_000)}"}`)).toBeNull();
    expect(parseConfig('{"version":1,"choice":{"mode":"demo","extra":true}}')).toEqual({ version: 1, choice: { mode: 'demo' }, savedAt: '' });

    const dir = tempDir();
    expect(readConfig(configPath(dir))).toBeNull();
    fs.writeFileSync(configPath(dir), '\u0000\u0001garbage');
    const config = readConfig(configPath(dir));
    expect(config).toBeNull();
    expect(resolveLaunch({ env: {}, userData: dir, config, askAgain: false })).toEqual({ kind: 'ask', current: null });
  });

  it('refuses to store an invalid choice', () => {
    const file = configPath(tempDir());
    expect(() => saveConfig(file, { mode: 'central', address: 'http://8.8.8.8' })).toThrow('Choix invalide');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes atomically: a failed write leaves the old file whole and no temp file', () => {
    const dir = tempDir();
    const file = configPath(dir);
    saveConfig(file, { mode: 'commune' });
    const before = fs.readFileSync(file, 'utf8');
    // The rename cannot replace a folder: the write fails after the temp file was written.
    const blocked = path.join(dir, 'blocked.json');
    fs.mkdirSync(path.join(blocked, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(blocked, serializeConfig({ mode: 'demo' }))).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['blocked.json', path.basename(file)].sort());
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    // Writing into a folder that does not exist yet creates it (first run).
    const nested = path.join(dir, 'a', 'b', 'eticket-bureau.json');
    writeFileAtomic(nested, 'x');
    expect(fs.readFileSync(nested, 'utf8')).toBe('x');
  });
});

describe('what each choice starts', () => {
  it('asks on first run, and again after "Changer de mode…" with the current choice', () => {
    expect(resolveLaunch({ env: {}, userData, config: null, askAgain: false })).toEqual({ kind: 'ask', current: null });
    const config = { version: 1 as const, choice: { mode: 'commune' as const }, savedAt: '' };
    expect(resolveLaunch({ env: {}, userData, config, askAgain: true })).toEqual({ kind: 'ask', current: { mode: 'commune' } });
  });

  it('demo and commune use the bundled server on two separate folders', () => {
    const demo = resolveLaunch({ env: {}, userData, config: { version: 1, choice: { mode: 'demo' }, savedAt: '' }, askAgain: false });
    const commune = resolveLaunch({ env: {}, userData, config: { version: 1, choice: { mode: 'commune' }, savedAt: '' }, askAgain: false });
    expect(demo).toEqual({ kind: 'bundled', demo: true, dataDir: path.join(userData, 'demo'), customFolder: false });
    expect(commune).toEqual({ kind: 'bundled', demo: false, dataDir: path.join(userData, 'data'), customFolder: false });
    if (demo.kind !== 'bundled' || commune.kind !== 'bundled') throw new Error('bundled expected');

    const demoEnv = bundledServerEnv(demo, { PATH: '/usr/bin', ETICKET_DEMO: undefined }, '/opt/eticket/app');
    expect(demoEnv).toMatchObject({ PATH: '/usr/bin', ETICKET_DATA_DIR: path.join(userData, 'demo'), ETICKET_DEMO: '1', ETICKET_APP_ROOT: '/opt/eticket/app' });
    const communeEnv = bundledServerEnv(commune, { ETICKET_DEMO: '1' }, '/opt/eticket/app');
    expect(communeEnv.ETICKET_DEMO).toBe('0');
    // The server options, in the utility process or the in-process fallback alike.
    const options = serverOptionsFromEnv(communeEnv);
    expect(options.config).toMatchObject({ dataDir: path.join(userData, 'data'), demo: false, staffDist: path.join('/opt/eticket/app', 'dist', 'staff') });
    expect(options.host).toBe('127.0.0.1');
    expect(serverOptionsFromEnv(demoEnv).config?.demo).toBe(true);
    expect(serverOptionsFromEnv({}).config?.demo).toBeUndefined(); // the server's own default
    // Each mode has its own cookies; the window opens the console of its server.
    expect(new Set([sessionPartition(demo), sessionPartition(commune), sessionPartition(planForChoice({ mode: 'central', address: 'https://e.fr' }, userData))]).size).toBe(3);
    expect(consoleUrl('http://127.0.0.1:43117')).toBe('http://127.0.0.1:43117/staff/');
  });

  it('the central server: no bundled server, the window on <address>/staff/', () => {
    const plan = resolveLaunch({ env: {}, userData, config: { version: 1, choice: { mode: 'central', address: 'https://eticket.mairie-exemple.fr' }, savedAt: '' }, askAgain: false });
    expect(plan).toEqual({ kind: 'central', origin: 'https://eticket.mairie-exemple.fr', fromEnv: false });
    if (plan.kind === 'central') expect(consoleUrl(plan.origin)).toBe('https://eticket.mairie-exemple.fr/staff/');
  });

  it('ETICKET_SERVER_URL, ETICKET_DATA_DIR and ETICKET_DEMO still override the stored choice', () => {
    const config = { version: 1 as const, choice: { mode: 'demo' as const }, savedAt: '' };
    expect(resolveLaunch({ env: { ETICKET_DATA_DIR: '/srv/eticket' }, userData, config: null, askAgain: true })).toEqual({
      kind: 'bundled', demo: true, dataDir: path.resolve('/srv/eticket'), customFolder: true,
    });
    expect(resolveLaunch({ env: { ETICKET_DATA_DIR: '/srv/eticket', ETICKET_DEMO: '0' }, userData, config, askAgain: false })).toMatchObject({ demo: false, customFolder: true });
    // ETICKET_DEMO alone picks the mode, and the mode's own folder of userData (still guarded).
    expect(resolveLaunch({ env: { ETICKET_DEMO: '0' }, userData, config, askAgain: false })).toEqual({ kind: 'bundled', demo: false, dataDir: path.join(userData, 'data'), customFolder: false });
    expect(resolveLaunch({ env: { ETICKET_DEMO: '1' }, userData, config: null, askAgain: true })).toEqual({ kind: 'bundled', demo: true, dataDir: path.join(userData, 'demo'), customFolder: false });
    expect(resolveLaunch({ env: { ETICKET_DEMO: '' }, userData, config, askAgain: false })).toMatchObject({ kind: 'bundled', demo: true, customFolder: false });
    expect(resolveLaunch({ env: { ETICKET_SERVER_URL: 'http://192.168.1.20:3000', ETICKET_DATA_DIR: '/x' }, userData, config, askAgain: false })).toEqual({
      kind: 'central', origin: 'http://192.168.1.20:3000', fromEnv: true,
    });
    expect(() => resolveLaunch({ env: { ETICKET_SERVER_URL: 'http://eticket.example.com' }, userData, config, askAgain: false })).toThrow(/^ETICKET_SERVER_URL : Une adresse http/);
  });
});

describe('data folders never mix', () => {
  it('marks a new folder with its mode and refuses it in the other mode', () => {
    expect(DATABASE_FILE).toBe(path.basename(databaseFile('/x')));
    expect(checkDataFolder({ marker: null, hasDatabase: false }, true, false)).toEqual({ action: 'mark' });
    expect(checkDataFolder({ marker: markerText(true), hasDatabase: true }, true, false)).toEqual({ action: 'use' });
    expect(checkDataFolder({ marker: markerText(false), hasDatabase: true }, false, true)).toEqual({ action: 'use' });
    const refused = checkDataFolder({ marker: markerText(true), hasDatabase: true }, false, true);
    expect(refused).toMatchObject({ action: 'refuse', message: expect.stringMatching(/données de démonstration/) });
    expect(checkDataFolder({ marker: markerText(false), hasDatabase: true }, true, false)).toMatchObject({ action: 'refuse', message: expect.stringMatching(/données de la commune/) });
    // A technician's folder (ETICKET_DATA_DIR) with a database and no marker is left as it is.
    expect(checkDataFolder({ marker: null, hasDatabase: true }, false, true)).toEqual({ action: 'use' });
    expect(checkDataFolder({ marker: '{"mode":"pirate"}', hasDatabase: false }, false, false)).toEqual({ action: 'mark' });
  });

  it('on disk: the demo folder, then the commune folder, each keeps its mode', () => {
    const ud = tempDir();
    const demo = planForChoice({ mode: 'demo' }, ud);
    const commune = planForChoice({ mode: 'commune' }, ud);
    if (demo.kind !== 'bundled' || commune.kind !== 'bundled') throw new Error('bundled expected');
    expect(prepareDataFolder(demo, ud)).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(ud, 'demo', MODE_MARKER), 'utf8'))).toEqual({ mode: 'demo' });
    expect(prepareDataFolder(commune, ud)).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(ud, 'data', MODE_MARKER), 'utf8'))).toEqual({ mode: 'commune' });
    // A technician pointing the commune mode at the demo folder is stopped.
    const mixed = { kind: 'bundled' as const, demo: false, dataDir: path.join(ud, 'demo'), customFolder: true };
    expect(() => prepareDataFolder(mixed, ud)).toThrow(DataFolderError);
    expect(() => prepareDataFolder(mixed, ud)).toThrow(/ne jamais mêler/);
  });

  it('moves the unmarked demo folder of earlier versions out of the commune’s way', () => {
    const ud = tempDir();
    fs.mkdirSync(path.join(ud, 'data'));
    fs.writeFileSync(path.join(ud, 'data', DATABASE_FILE), 'old demo');
    const commune = planForChoice({ mode: 'commune' }, ud);
    if (commune.kind !== 'bundled') throw new Error('bundled expected');
    expect(prepareDataFolder(commune, ud)).toMatch(/^Anciennes données de démonstration déplacées/);
    expect(fs.readFileSync(path.join(ud, 'demo', DATABASE_FILE), 'utf8')).toBe('old demo');
    expect(fs.existsSync(path.join(ud, 'data', DATABASE_FILE))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(ud, 'data', MODE_MARKER), 'utf8'))).toEqual({ mode: 'commune' });
    // Nothing moves twice.
    expect(prepareDataFolder(commune, ud)).toBeNull();
    // With a demo folder already there, the old one goes beside it.
    expect(legacyDataMove({ marker: null, hasDatabase: true }, true, new Date('2026-09-01T07:08:09Z'))).toBe('demo-ancienne-20260901-070809');
    expect(legacyDataMove({ marker: null, hasDatabase: false }, false, new Date())).toBeNull();
    expect(legacyDataMove({ marker: markerText(false), hasDatabase: true }, false, new Date())).toBeNull();
    expect(dataDirFor(ud, true)).not.toBe(dataDirFor(ud, false));
  });
});

describe('the first-run page’s channel', () => {
  function harness(check: CheckResult = { ok: true, communeName: 'Saint-Exemple' }) {
    const calls: { check: string[]; choose: DesktopChoice[]; keep: number; retry: number } = { check: [], choose: [], keep: 0, retry: 0 };
    let release: () => void = () => {};
    const deps: FirstRunDeps = {
      check: async (origin) => {
        calls.check.push(origin);
        await new Promise<void>((r) => (release = r));
        return check;
      },
      choose: async (choice) => void calls.choose.push(choice),
      keep: async () => (calls.keep++, false),
      retry: async () => (calls.retry++, { ok: false, message: 'Aucun serveur eTicket ne répond à cette adresse.' }),
    };
    return { calls, handle: createFirstRunHandler(deps), release: () => release() };
  }

  it('refuses hostile messages without calling anything', async () => {
    const { calls, handle } = harness();
    for (const raw of [null, 'demo', 42, [], {}, { action: 'choose' }, { action: 'choose', choice: { mode: 'root' } }, { action: 'exec', cmd: 'rm -rf /' }, { action: 'choose', choice: 'demo' }]) {
      expect(await handle(raw)).toEqual({ ok: false, message: 'Demande invalide.' });
    }
    expect(calls).toEqual({ check: [], choose: [], keep: 0, retry: 0 });
  });

  it('checks a central address first, with the error on the address field', async () => {
    const { calls, handle, release } = harness({ ok: false, message: 'Aucun serveur eTicket ne répond à cette adresse.' });
    expect(await handle({ action: 'choose', choice: { mode: 'central', address: 'http://eticket.example.com' } })).toMatchObject({ ok: false, field: 'address', message: expect.stringMatching(/réseau local/) });
    expect(await handle({ action: 'choose', choice: { mode: 'central', address: { toString: 'x' } } })).toMatchObject({ ok: false, field: 'address' });
    const pending = handle({ action: 'choose', choice: { mode: 'central', address: '192.168.1.20:3000' } });
    // A double click while the server is being checked sends nothing twice.
    expect(await handle({ action: 'choose', choice: { mode: 'demo' } })).toEqual({ ok: false, message: 'Un instant : la demande précédente est en cours.' });
    release();
    expect(await pending).toEqual({ ok: false, field: 'address', message: 'Aucun serveur eTicket ne répond à cette adresse.' });
    expect(calls.check).toEqual(['http://192.168.1.20:3000']);
    expect(calls.choose).toEqual([]);
  });

  it('stores a reachable central server, once, and nothing more afterwards', async () => {
    const { calls, handle, release } = harness();
    const pending = handle({ action: 'choose', choice: { mode: 'central', address: 'https://eticket.mairie-exemple.fr/staff/' } });
    release();
    expect(await pending).toEqual({ ok: true });
    expect(calls.choose).toEqual([{ mode: 'central', address: 'https://eticket.mairie-exemple.fr' }]);
    expect(await handle({ action: 'choose', choice: { mode: 'demo' } })).toMatchObject({ ok: false });
    expect(calls.choose).toHaveLength(1);
  });

  it('demo and commune need no check; keep and retry answer in French', async () => {
    const { calls, handle } = harness();
    expect(await handle({ action: 'keep' })).toEqual({ ok: false, message: 'Aucun mode n’est encore enregistré : choisissez-en un.' });
    expect(await handle({ action: 'retry' })).toEqual({ ok: false, message: 'Aucun serveur eTicket ne répond à cette adresse.' });
    expect(await handle({ action: 'choose', choice: { mode: 'commune' } })).toEqual({ ok: true });
    expect(calls).toMatchObject({ check: [], choose: [{ mode: 'commune' }], keep: 1, retry: 1 });
  });

  it('a failing save answers in French instead of throwing', async () => {
    const handle = createFirstRunHandler({
      check: async () => ({ ok: true, communeName: 'X' }),
      choose: async () => {
        throw new Error('EACCES: permission denied');
      },
      keep: async () => false,
      retry: async () => ({ ok: true, communeName: 'X' }),
    });
    expect(await handle({ action: 'choose', choice: { mode: 'demo' } })).toEqual({ ok: false, message: 'eTicket n’a pas pu enregistrer ce choix : EACCES: permission denied' });
  });
});

describe('windows and menu', () => {
  it('the first-run window is as locked down as the console, in its own session', () => {
    const setup = firstRunWindowOptions('/app/dist-electron/first-run-preload.cjs').webPreferences!;
    expect(setup).toMatchObject({ preload: '/app/dist-electron/first-run-preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(setup.partition).toBe('eticket-premier-demarrage');
    expect(mainWindowOptions('/p.cjs', 'persist:eticket-demo').webPreferences?.partition).toBe('persist:eticket-demo');
    expect(mainWindowOptions('/p.cjs').webPreferences?.partition).toBeUndefined();
  });

  it('offers "Changer de mode…" in the Fichier menu', () => {
    let changed = 0;
    const menu = appMenuTemplate({ changeMode: () => changed++, quit: () => {} }, { devTools: false });
    const file = menu.find((m) => m.label === 'Fichier');
    const items = file?.submenu as Array<{ label?: string; click?: () => void }>;
    const item = items.find((i) => i.label === CHANGE_MODE_LABEL);
    expect(item?.label).toBe('Changer de mode…');
    item?.click?.();
    expect(changed).toBe(1);
    expect(JSON.stringify(menu)).not.toContain('toggleDevTools');
    expect(JSON.stringify(appMenuTemplate({ changeMode: () => {}, quit: () => {} }, { devTools: true }))).toContain('toggleDevTools');
  });
});
