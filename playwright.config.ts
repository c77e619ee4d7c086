import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// Every run starts the real server (`npm run serve`) on a fresh demo database in a temp folder;
// tests that need to check the database read ETICKET_E2E_DATA_DIR.
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = process.env.ETICKET_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-e2e-'));
process.env.ETICKET_E2E_DATA_DIR = dataDir;

// `npm test` runs two groups at once, each against its own server (E2E_GROUP): the console's
// specs at desktop width, and the portal's at desktop and phone widths. No group: everything.
const portalSpecs = /(portal.*|topup)\.spec\.ts$/;
const group = process.env.E2E_GROUP;
const desktopFiles = group === 'console' ? { testIgnore: portalSpecs } : group === 'portal' ? { testMatch: portalSpecs } : {};

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.PW_JSON_REPORT ? [['list'], ['json', { outputFile: process.env.PW_JSON_REPORT }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } }, ...desktopFiles },
    ...(group === 'console' ? [] : [{ name: 'mobile', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, testMatch: portalSpecs }]),
  ],
  webServer: {
    command: 'npx tsx scripts/serve.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { PORT: String(port), HOST: '127.0.0.1', ETICKET_DATA_DIR: dataDir, ETICKET_DEMO: '1' },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
