// `npm run dist`: builds both clients and the Electron bundle, then packages the desktop app
// with electron-builder (build/electron-builder.yml): NSIS installer on Windows, AppImage and
// .deb on Linux. Packaging downloads the Electron zip, so it needs internet; CI does not run it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildElectron } from './build-electron.js';

const root = path.resolve(import.meta.dirname, '..');

function run(command: string, args: string[]): void {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`Échec de « ${command} ${args.join(' ')} » (code ${result.status ?? 'signal'}).`);
    process.exit(result.status ?? 1);
  }
}

run('npm', ['run', '--silent', 'build']);
await buildElectron();
console.log('Bundle Electron construit dans dist-electron/.');
// Extra arguments pass through, e.g. `npm run dist -- --linux deb` or `-- --win`.
run('npx', ['electron-builder', '--config', 'build/electron-builder.yml', ...process.argv.slice(2)]);
console.log('Paquets écrits dans release/.');
