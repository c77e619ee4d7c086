import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { oneSignInAtATimePerClient } from './sign-in-queue.js';

/** One client's parallel sign-ins run one after the other; past a short line they are told to wait. */

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('one sign-in at a time per client', () => {
  it('serialises one client’s parallel sign-ins and refuses past three waiting, in French', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const app = express();
    app.post('/login', oneSignInAtATimePerClient(), async (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 400)); // a hash
      inFlight--;
      res.json({ ok: true });
    });
    server = http.createServer({ keepAlive: false }, app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(url, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() }))));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(maxInFlight).toBe(1);
    // The one running and three in line get through; the rest (all of them when the eight
    // arrive within the first sign-in) are refused.
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(ok.length + refused.length).toBe(8);
    expect(refused[0]!.body).toMatchObject({ error: { code: 'TOO_MANY_ATTEMPTS', message: expect.stringMatching(/^Trop de connexions simultanées/) } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(ok.length * 400 - 20);
    // The line empties: the next sign-in goes straight through.
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
  });
});
