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

    // The server is bundled in; npm packages (better-sqlite3 is native) stay external.
    expect(server).toMatch(/from "express"/);
    expect(server).toMatch(/from "knex"/);
    expect(server).not.toMatch(/from "\.\.?\//);
  }, 60_000);
});
