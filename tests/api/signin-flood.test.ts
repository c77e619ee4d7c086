// A flood of sign-ins at OWASP's scrypt cost (a third of a core-second each) from many addresses:
// the hashes run in their own worker, so libuv's thread pool stays free for static files and the
// event loop for every other request. Generous bounds: seconds were the symptom (8.6 s measured).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, initialScryptTarget, OWASP_SCRYPT, setScryptTarget } from '../../core/passwords.js';
import { createTestDb, type TestDb } from '../../core/test-support.js';
import { startHarness, type Harness } from './harness.js';

const PASSWORD = 'girafe-crayon-tempete';
let t: TestDb;
let h: Harness;
let webDist: string;

beforeEach(async () => {
  t = await createTestDb();
  setScryptTarget(OWASP_SCRYPT);
  await t.db('parent_accounts').update({ password_hash: await hashPassword(PASSWORD) });
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-flood-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>eTicket</title>');
  fs.writeFileSync(path.join(webDist, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  h = await startHarness({ db: t.db, config: { trustProxy: 'loopback', webDist } });
});
afterEach(async () => {
  setScryptTarget(initialScryptTarget());
  await h.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

describe('sign-in flood', () => {
  it('leaves a static file and /healthz answering fast while 8 addresses sign in at once', async () => {
    const signIn = async (n: number) => {
      const res = await fetch(`${h.url}/api/auth/parent/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.0.${n + 1}` },
        body: JSON.stringify({ username: 'chantal.devret', password: PASSWORD }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    let flooding = true;
    const flood = Promise.all(Array.from({ length: 8 }, (_, n) => signIn(n))).finally(() => (flooding = false));
    const worst = { static: 0, healthz: 0 };
    let probes = 0;
    while (flooding) {
      for (const [key, p] of [['static', '/robots.txt'], ['healthz', '/healthz']] as const) {
        const t0 = performance.now();
        const res = await fetch(`${h.url}${p}`);
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        worst[key] = Math.max(worst[key], performance.now() - t0);
      }
      probes++;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await flood).toEqual(Array(8).fill(200));
    console.log(`pendant 8 connexions OWASP : ${probes} sondes, fichier statique max ${worst.static.toFixed(0)} ms, /healthz max ${worst.healthz.toFixed(0)} ms`);
    expect(probes).toBeGreaterThan(3);
    expect(worst.static).toBeLessThan(2000);
    expect(worst.healthz).toBeLessThan(2000);
  }, 120_000);
});
