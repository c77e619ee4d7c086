// Production mode never uses nor loads the PayFiP simulator: not with PAYFIP_SIMULATOR=1, not
// with the flag stored in the settings, not with a simulator's address handed over; the server
// never imports it (only the demo scripts start it, scripts/demo-simulator.ts).
// The demo seed and a demo/production switch by environment are refused too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.js';
import { openTestDb } from '../db/test-db.js';
import { FixedClock } from '../core/clock.js';
import { seedDemoIfEmpty } from '../core/demo/seed.js';
import { ensureInstallMode, writeInstallState } from '../core/install.js';
import { getPayfipSettings, storePayfipSettings, updatePayfipSettings } from '../core/payfip/settings.js';
import { checkPasswordStrength } from '../core/password-strength.js';
import { startBackgroundJobs } from '../server/background.js';
import { startServer } from '../server/bootstrap.js';
import type { ServerConfig } from '../server/config.js';

const root = path.resolve(import.meta.dirname, '..');
const clock = new FixedClock('2026-09-07T08:00:00Z');
let db: Db;
let dataDir: string;
beforeEach(async () => {
  db = await openTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-prod-'));
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const config = (demo: boolean): ServerConfig => ({ dataDir, publicUrl: 'http://127.0.0.1:3000', demo, secureCookies: false });

/** Every module reached by static (non-type) imports from `entry`, as paths relative to the root. */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const rel = path.relative(root, file);
    if (seen.has(rel)) return;
    seen.add(rel);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
      const target = path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '.ts');
      const file2 = fs.existsSync(target) ? target : target.replace(/\.ts$/, '.tsx');
      if (fs.existsSync(file2)) visit(file2);
    }
  };
  visit(path.join(root, entry));
  return seen;
}

describe('production mode', () => {
  const simulatorUrl = 'http://127.0.0.1:9';
  it('never uses the simulator, even with PAYFIP_SIMULATOR=1, the flag stored and a simulator handed over', async () => {
    await ensureInstallMode(db, 'production', clock.now());
    await storePayfipSettings(db, { simulator: true }, clock.now());
    expect((await getPayfipSettings(db, { PAYFIP_SIMULATOR: '1' })).simulator).toBe(false);
    const lines: string[] = [];
    for (const demoConfig of [false, true]) {
      // Even a configuration saying "demo" does not make a production database one.
      const jobs = await startBackgroundJobs({ db, config: { ...config(demoConfig), payfipSimulatorUrl: simulatorUrl }, clock }, { env: { PAYFIP_SIMULATOR: '1' }, log: (l) => lines.push(l) });
      await jobs.stop();
    }
    expect(lines.join('\n')).not.toMatch(/Simulateur PayFiP \(démonstration\)/);
    expect((await getPayfipSettings(db, { PAYFIP_SIMULATOR: '1' })).serviceUrl).not.toContain(simulatorUrl);
  });

  it('uses the one handed over in demo mode (so the test above would see it)', async () => {
    await ensureInstallMode(db, 'demo', clock.now());
    const jobs = await startBackgroundJobs({ db, config: { ...config(true), payfipSimulatorUrl: simulatorUrl }, clock }, { env: { PAYFIP_SIMULATOR: '1' }, log: () => {} });
    await jobs.stop();
    expect((await getPayfipSettings(db, { PAYFIP_SIMULATOR: '1' })).serviceUrl).toBe(`${simulatorUrl}/tpa/services/securite`);
  });

  it('does not load the simulator: the server never imports it, the scripts only behind the demo check', () => {
    for (const entry of ['server/bootstrap.ts', 'scripts/serve.ts', 'server/background.ts', 'electron/server-process.ts']) {
      const reached = [...staticImports(entry)];
      expect(reached.length, entry).toBeGreaterThan(20);
      expect(reached.filter((f) => f.startsWith('simulator/')), entry).toEqual([]);
    }
    // Not even dynamically: no file of server/ names the simulator's modules (lint forbids it too).
    const serverFiles = fs.readdirSync(path.join(root, 'server'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of serverFiles) expect(fs.readFileSync(path.join(root, 'server', f), 'utf8'), f).not.toMatch(/simulator\/(server|main|pages|faults)(\.js)?['"]/);
    // The one way in is the demo scripts' dynamic import, behind the demo check.
    expect(fs.readFileSync(path.join(root, 'scripts/demo-simulator.ts'), 'utf8')).toMatch(/if \(!wantsDemoSimulator\(env\)\) return null;[\s\S]*await import\('\.\.\/simulator\/server\.js'\)/);
  });

  it('refuses to turn the simulator flag on from the settings', async () => {
    await writeInstallState(db, { mode: 'production', setupDone: true }, clock.now());
    const admin = { kind: 'staff' as const, staffUserId: 1, role: 'admin' as const, name: 'Anne' };
    await expect(updatePayfipSettings({ db, clock }, admin, { simulator: true })).rejects.toThrow(/qu’en démonstration/);
  });

  it('refuses the demo seed and the demo password', async () => {
    await ensureInstallMode(db, 'production', clock.now());
    await expect(seedDemoIfEmpty({ db, clock })).rejects.toThrow(/démonstration ne peuvent pas être créées/);
    expect(Number((await db('staff_users').count({ n: '*' }).first())?.n)).toBe(0);
    await expect(checkPasswordStrength('eticket-demo', { username: 'anne' })).rejects.toThrow(/démonstration/);
  });

  it('a demo database does not become production by an environment change, nor the reverse', async () => {
    const demoDir = path.join(dataDir, 'demo');
    const demo = await startServer({ port: 0, config: { dataDir: demoDir, demo: true, webDist: undefined, staffDist: undefined }, log: () => {}, clock });
    expect(demo.setup).toBeNull();
    await demo.close();
    const refused = await startServer({ port: 0, config: { dataDir: demoDir, demo: false }, log: () => {}, clock }).catch((e: Error) => e.message);
    expect(refused).toMatch(/base de démonstration .* ne peut pas devenir celle de votre commune/);

    const prodDir = path.join(dataDir, 'prod');
    const prod = await startServer({ port: 0, config: { dataDir: prodDir, demo: false }, log: () => {}, clock });
    expect(prod.setup?.code).toMatch(/^\d{4}-[A-Z]{4}$/);
    expect(prod.setup?.url).toBe(`${prod.url}/staff/`);
    expect(Number((await prod.db('families').count({ n: '*' }).first())?.n)).toBe(0);
    await prod.close();
    const refused2 = await startServer({ port: 0, config: { dataDir: prodDir, demo: true }, log: () => {}, clock }).catch((e: Error) => e.message);
    expect(refused2).toMatch(/n’accueille pas la démonstration/);
  });
});
