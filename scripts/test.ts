// `npm test`: typecheck, lint, build the clients, unit/integration tests (vitest), end-to-end
// tests (Playwright in Chromium), then one closing line "N passed, N failed" for CI.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-test-'));
let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : `ÉCHEC (code ${result.status})`} en ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failures.push(label);
  return ok;
}

function countStep(ok: boolean): void {
  if (ok) passed += 1;
  else failed += 1;
}

countStep(run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
countStep(run('lint', 'npx', ['eslint', '.', '--max-warnings=0']));
const built = run('build', 'npm', ['run', '--silent', 'build']);
countStep(built);

// The vitest suite on SQLite, and at the same time on PostgreSQL when CI gives a server
// (ETICKET_TEST_PG_URL): much of either run waits on servers and timers, so the two share the
// machine well. The SQLite run must not see the variable, or it would run on PostgreSQL too.
const { ETICKET_TEST_PG_URL: pgUrl, ...withoutPg } = process.env;
const vitestRuns = [runVitest('vitest', withoutPg, path.join(tmp, 'vitest.json'))];
// Suites that never open the test database (processes on a data folder of their own, the
// bundle, pure functions) would only run a second time: the PostgreSQL run leaves them out.
const ENGINE_FREE = ['tests/supervisor.test.ts', 'tests/durability.test.ts', 'electron/**', 'scripts/**', 'simulator/**', 'client-kit/**', 'api/**', 'core/workers/pool.test.ts'];
if (pgUrl) {
  const exclude = ENGINE_FREE.flatMap((glob) => ['--exclude', glob]);
  vitestRuns.push(runVitest('vitest (PostgreSQL)', { ...withoutPg, ETICKET_TEST_PG_URL: pgUrl }, path.join(tmp, 'vitest-pg.json'), exclude));
}
for (const report of await Promise.all(vitestRuns)) {
  if (!report) {
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (!report.success && report.numFailedTests === 0) failed += 1; // a suite that failed to load
  if (report.numTotalTests === 0) failed += 1;
}

// Playwright in two groups at once, each with its own server, port and demo database (the
// console's specs; the portal's at both widths), so neither waits for the other's browser.
if (built) {
  const groups = [
    { name: 'console', port: '3210' },
    { name: 'portal', port: '3211' },
  ];
  const results = await Promise.all(groups.map((group) => runPlaywrightGroup(group.name, group.port)));
  for (const report of results) {
    if (!report) {
      failed += 1;
      continue;
    }
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected + (report.errors?.length ?? 0);
  }
}

fs.rmSync(tmp, { recursive: true, force: true });
if (failures.length) console.log(`\nÉtapes en échec : ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);

interface VitestReport { numPassedTests: number; numFailedTests: number; numTotalTests: number; success: boolean }

/** One vitest run, printed as one block when it ends (two may run at once). */
function runVitest(label: string, env: NodeJS.ProcessEnv, json: string, extraArgs: string[] = []): Promise<VitestReport | null> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      console.log(`\n=== ${label}: npx vitest run\n${output}`);
      console.log(`=== ${label}: ${code === 0 ? 'ok' : `ÉCHEC (code ${code})`} en ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (code !== 0) failures.push(label);
      resolve(fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as VitestReport) : null);
    });
  });
}

interface PlaywrightReport { stats: { expected: number; unexpected: number; flaky: number }; errors?: unknown[] }

/** One Playwright group; its output is printed as one block when it ends, so the two never interleave. */
function runPlaywrightGroup(group: string, port: string): Promise<PlaywrightReport | null> {
  const label = `playwright (${group})`;
  const json = path.join(tmp, `playwright-${group}.json`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['playwright', 'test', `--output=${path.join(tmp, `pw-${group}`)}`], {
      env: { ...process.env, PW_JSON_REPORT: json, E2E_GROUP: group, E2E_PORT: port },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      console.log(`\n=== ${label}: npx playwright test\n${output}`);
      console.log(`=== ${label}: ${code === 0 ? 'ok' : `ÉCHEC (code ${code})`} en ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (code !== 0) failures.push(label);
      resolve(fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as PlaywrightReport) : null);
    });
  });
}
