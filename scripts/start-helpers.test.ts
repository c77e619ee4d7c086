import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canReach, electronDownloadProbeUrl, installedElectronBinary, isBuildStale, parseStartMode, startModeEnv } from './start-helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-start-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('isBuildStale', () => {
  it('is stale when the build is missing or older than a source file', () => {
    const src = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(src, 'src'), { recursive: true });
    const index = path.join(dir, 'dist', 'index.html');
    fs.writeFileSync(path.join(src, 'src', 'App.tsx'), 'x');
    expect(isBuildStale(index, [src])).toBe(true);

    fs.mkdirSync(path.dirname(index), { recursive: true });
    fs.writeFileSync(index, '<html>');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(src, 'src', 'App.tsx'), past, past);
    expect(isBuildStale(index, [src])).toBe(false);

    // Test files do not make a build stale; sources do.
    fs.writeFileSync(path.join(src, 'src', 'App.test.ts'), 'x');
    expect(isBuildStale(index, [src])).toBe(false);
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(src, 'src', 'App.tsx'), future, future);
    expect(isBuildStale(index, [src])).toBe(true);
  });
});

describe('installedElectronBinary', () => {
  it('finds the binary only when path.txt and the file both exist', () => {
    expect(installedElectronBinary(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(installedElectronBinary(dir)).toBeNull();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    expect(installedElectronBinary(dir)).toBe(path.join(dir, 'dist', 'electron'));
  });

  it('reports the real electron package of this checkout as not downloaded here', () => {
    const real = path.resolve(import.meta.dirname, '..', 'node_modules', 'electron');
    const found = installedElectronBinary(real);
    expect(found === null || fs.existsSync(found)).toBe(true);
  });
});

describe('download probe', () => {
  it('honours ELECTRON_MIRROR', () => {
    expect(electronDownloadProbeUrl({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe('https://mirror.example/electron/');
    expect(electronDownloadProbeUrl({})).toBe('https://github.com/electron/electron/releases');
  });

  it('answers false quickly when the host does not answer', async () => {
    const started = Date.now();
    const never = (_url: string, init: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('timeout'))));
    expect(await canReach('https://github.com/electron/electron/releases', 100, never)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await canReach('https://x', 100, async () => ({ status: 404 }))).toBe(true);
  });
});

describe('npm start --mode', () => {
  it('reads --mode=demo|commune and refuses anything else in French', () => {
    expect(parseStartMode([])).toEqual({ mode: null });
    expect(parseStartMode(['--browser', '--mode=demo'])).toEqual({ mode: 'demo' });
    expect(parseStartMode(['--mode=commune'])).toEqual({ mode: 'commune' });
    for (const bad of [['--mode=prod'], ['--mode'], ['--mode='], ['--mode=demo', '--mode=commune']]) {
      expect(parseStartMode(bad)).toEqual({ error: expect.stringMatching(/^Option --mode inconnue : utilisez --mode=demo/) });
    }
  });

  it('gives demo and commune two folders, unless ETICKET_DATA_DIR says otherwise', () => {
    const demo = startModeEnv('demo', {}, '/opt/eticket');
    expect(demo.env).toEqual({ ETICKET_DEMO: '1', ETICKET_DATA_DIR: path.join('/opt/eticket', 'data') });
    expect(demo.lines.join('\n')).toMatch(/^Mode démonstration/);
    const commune = startModeEnv('commune', {}, '/opt/eticket');
    expect(commune.env).toEqual({ ETICKET_DEMO: '0', ETICKET_DATA_DIR: path.join('/opt/eticket', 'data-commune') });
    expect(commune.lines.join('\n')).toMatch(/Mise en service/);
    expect(startModeEnv('commune', { ETICKET_DATA_DIR: '/srv/x' }, '/opt/eticket').env.ETICKET_DATA_DIR).toBe(path.resolve('/srv/x'));
  });
});
