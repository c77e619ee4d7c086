// Benchmark of the portal on a poor line: Chromium (Playwright) throttled through CDP to 400 ms
// of latency and 50 KB/s each way loads /planning for a signed-in demo parent, cold cache, and
// reports the time until the first child's week is painted (the "Julia" heading of the grid, or
// of the week's actions under the phone's day cards), with the bytes on the wire per type. Baseline in the same run: the same load with
// "Accept-Encoding: identity", i.e. what the server sent before compression.
// Usage: npm run bench:wire -- [runs=3]   (needs `npm run build`; not part of npm test; BENCH_TRACE=1 prints each request)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';

const runs = Math.max(1, Number(process.argv[2] ?? 3));
const LATENCY_MS = 400;
const THROUGHPUT = 50 * 1024; // bytes per second, each way
const root = path.resolve(import.meta.dirname, '..');

if (!fs.existsSync(path.join(root, 'dist', 'web', 'index.html'))) {
  console.error('Lancez d’abord « npm run build » : dist/web est absent.');
  process.exit(1);
}

// A fresh demo database, the real server in this process (ephemeral port).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-bench-wire-'));
process.env.ETICKET_DATA_DIR = dataDir;
process.env.ETICKET_DEMO = '1';
const { startServer } = await import('../server/bootstrap.js');
const server = await startServer({ port: 0, log: () => {} });

type Kind = 'JS' | 'CSS' | 'HTML' | 'JSON' | 'autre';
interface Load {
  paintMs: number;
  fcpMs: number;
  wire: Record<Kind, number>;
  raw: Record<Kind, number>;
  requests: number;
}

const kindOf = (type: string, mime: string): Kind =>
  type === 'Script' ? 'JS' : type === 'Stylesheet' ? 'CSS' : type === 'Document' ? 'HTML' : mime.includes('json') ? 'JSON' : 'autre';

/** The session cookie of chantal.devret, taken through the API so that the measured load is the planning alone. */
async function signInCookie(): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/parent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'chantal.devret', password: 'eticket-demo' }),
  });
  if (!res.ok) throw new Error(`Connexion refusée : ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('eticket_session='));
  if (!cookie) throw new Error('Pas de cookie de session.');
  return cookie.split(';')[0]!.split('=').slice(1).join('=');
}

async function loadPlanning(browser: Browser, session: string, compressed: boolean): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const host = new URL(server.url).hostname;
  await context.addCookies([{ name: 'eticket_session', value: session, domain: host, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: THROUGHPUT, uploadThroughput: THROUGHPUT });
  if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });

  const zero = (): Record<Kind, number> => ({ JS: 0, CSS: 0, HTML: 0, JSON: 0, autre: 0 });
  const wire = zero();
  const raw = zero();
  const kinds = new Map<string, Kind>();
  let requests = 0;
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, kindOf(e.type, e.response.mimeType)));
  cdp.on('Network.dataReceived', (e) => {
    raw[kinds.get(e.requestId) ?? 'autre'] += e.dataLength;
  });
  const t0 = new Map<string, [string, number]>();
  if (process.env.BENCH_TRACE) {
    cdp.on('Network.requestWillBeSent', (e) => t0.set(e.requestId, [e.request.url.replace(server.url, ''), e.timestamp]));
    cdp.on('Network.loadingFinished', (e) => {
      const [url, start] = t0.get(e.requestId) ?? ['?', e.timestamp];
      console.log(`  ${url.padEnd(40)} ${start.toFixed(3)} -> ${e.timestamp.toFixed(3)} (${(e.timestamp - start).toFixed(3)} s)`);
    });
  }
  cdp.on('Network.loadingFinished', (e) => {
    requests += 1;
    wire[kinds.get(e.requestId) ?? 'autre'] += e.encodedDataLength;
  });

  await page.goto(`${server.url}/planning`, { waitUntil: 'commit' });
  // Checked on every animation frame: the time of the first frame with the first child's week, from navigation start.
  const paint = await page
    .waitForFunction(() => ([...document.querySelectorAll('h2, h3')].some((h) => h.textContent?.trim() === 'Julia') ? performance.now() : false), undefined, {
      timeout: 60_000,
      polling: 'raf',
    })
    .catch(async (e: unknown) => {
      throw new Error(`La semaine n’apparaît pas sur ${page.url()} : ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`, { cause: e });
    });
  const paintMs = (await paint.jsonValue()) as number;
  await page.waitForLoadState('networkidle');
  const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  await context.close();
  return { paintMs, fcpMs, wire, raw, requests };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  const session = await signInCookie();
  const results: Record<'compressé' | 'sans compression', Load[]> = { compressé: [], 'sans compression': [] };
  for (let i = 0; i < runs; i++) {
    // Alternated, so that a noisy neighbour on the machine weighs on both alike.
    results['sans compression'].push(await loadPlanning(browser, session, false));
    results.compressé.push(await loadPlanning(browser, session, true));
  }

  console.log(`\nPortail, /planning à 360 px, cache vide, ${LATENCY_MS} ms de latence, ${THROUGHPUT / 1024} KB/s — ${runs} chargement(s) par mode (médianes)`);
  console.log('Portal, /planning at 360 px, cold cache, throttled — medians\n');
  const kinds: Kind[] = ['JS', 'CSS', 'HTML', 'JSON'];
  console.log(['mode'.padEnd(18), 'semaine peinte / week painted'.padStart(30), 'FCP'.padStart(9), ...kinds.map((k) => `${k} réseau/brut`.padStart(22)), 'requêtes'.padStart(9)].join(''));
  for (const [mode, loads] of Object.entries(results)) {
    const row = [
      mode.padEnd(18),
      `${(median(loads.map((l) => l.paintMs)) / 1000).toFixed(2)} s`.padStart(30),
      `${(median(loads.map((l) => l.fcpMs)) / 1000).toFixed(2)} s`.padStart(9),
      ...kinds.map((k) => `${kb(median(loads.map((l) => l.wire[k])))} / ${kb(median(loads.map((l) => l.raw[k])))}`.padStart(22)),
      String(median(loads.map((l) => l.requests))).padStart(9),
    ];
    console.log(row.join(''));
  }
  const js = median(results.compressé.map((l) => l.wire.JS));
  const paint = median(results.compressé.map((l) => l.paintMs));
  console.log(`\nObjectifs / targets: semaine peinte < 3 s : ${(paint / 1000).toFixed(2)} s ${paint < 3000 ? 'OK' : 'DÉPASSÉ'}; JS du portail < 100 KB compressé : ${kb(js)} ${js < 100 * 1024 ? 'OK' : 'DÉPASSÉ'}`);
  console.log('(octets « réseau » = encodedDataLength de Chromium, en-têtes compris ; « brut » = corps décodé)');
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
