// `npm test`: typecheck, lint, build the clients, unit/integration tests (vitest), end-to-end
// tests (Playwright in Chromium), then one closing line "N passed, N failed" for CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eticket-test-'));
const vitestJson = path.join(tmp, 'vitest.json');
const playwrightJson = path.join(tmp, 'playwright.json');
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

run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (fs.existsSync(vitestJson)) {
  const report = JSON.parse(fs.readFileSync(vitestJson, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number; success: boolean };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (!report.success && report.numFailedTests === 0) failed += 1; // a suite that failed to load
  if (report.numTotalTests === 0) failed += 1;
} else failed += 1;

if (built) {
  run('playwright', 'npx', ['playwright', 'test'], { PW_JSON_REPORT: playwrightJson });
  if (fs.existsSync(playwrightJson)) {
    const report = JSON.parse(fs.readFileSync(playwrightJson, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number }; errors?: unknown[] };
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected + (report.errors?.length ?? 0);
  } else failed += 1;
}

fs.rmSync(tmp, { recursive: true, force: true });
if (failures.length) console.log(`\nÉtapes en échec : ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);
