// The desktop bundle builds, and each piece has the shape Electron needs: an ESM main process
// and server entry, a CommonJS preload that only requires "electron" (sandboxed preloads can
// require nothing else).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../scripts/build-electron.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-electron-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('scripts/build-electron.ts', () => {
  it('bundles main, preload and the server process', async () => {
    await buildElectron(out);
    const main = fs.readFileSync(path.join(out, 'main.js'), 'utf8');
    const preload = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    const server = fs.readFileSync(path.join(out, 'server-process.js'), 'utf8');

    expect(main).toMatch(/from "electron"/);
    expect(main).toContain('requestSingleInstanceLock');
    expect(main).toContain('setWindowOpenHandler');
    expect(main).toContain('server-process.js');
    expect(main).toContain('preload.cjs');

    const requires = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld("eticket"');
    expect(preload).toContain('"eticket:print"');
    expect(preload).toContain('"eticket:save-file"');

    // The first-run page: its own preload with one channel, a local page with a strict CSP.
    const setupPreload = fs.readFileSync(path.join(out, 'first-run-preload.cjs'), 'utf8');
    expect(new Set([...setupPreload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))).toEqual(new Set(['electron']));
    expect(setupPreload).toContain('exposeInMainWorld("eticketSetup"');
    expect(setupPreload).toContain('"eticket:first-run"');
    expect(setupPreload).not.toContain('eticket:print');
    expect(preload).not.toContain('eticket:first-run');
    const html = fs.readFileSync(path.join(out, 'first-run', 'index.html'), 'utf8');
    expect(html).toContain("default-src 'none'; script-src 'self'");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const page = fs.readFileSync(path.join(out, 'first-run', 'first-run.js'), 'utf8');
    expect(page).not.toMatch(/\brequire\(|from "/);
    expect(page.length).toBeLessThan(20_000);
    expect(fs.existsSync(path.join(out, 'first-run', 'first-run.css'))).toBe(true);
    // Neither preload pulls server code in.
    for (const text of [preload, setupPreload]) expect(text.length).toBeLessThan(4_000);

    // The server is bundled in; npm packages (better-sqlite3 is native) stay external.
    expect(server).toMatch(/from "express"/);
    expect(server).toMatch(/from "knex"/);
    expect(server).not.toMatch(/from "\.\.?\//);

    // No simulator in the desktop bundle: `npm start` runs it beside the app (scripts/demo-simulator.ts).
    for (const file of ['main.js', 'server-process.js']) {
      const sources = (JSON.parse(fs.readFileSync(path.join(out, `${file}.map`), 'utf8')) as { sources: string[] }).sources;
      expect(sources.some((s) => s.includes('server/bootstrap.ts')), file).toBe(true);
      expect(sources.filter((s) => /(^|\/)simulator\//.test(s)), file).toEqual([]);
    }
    expect(server).not.toContain('startPayfipSimulator');
  }, 60_000);
});
