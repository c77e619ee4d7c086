// Lint rules, and the import boundaries of docs in README "Layout".
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads'];

const coreDomain = {
  group: ['express', 'express/*', 'electron', 'electron/*', 'react', 'react-dom', 'react/*', '**/server/**', '**/electron/**', '**/web/**', '**/renderer/**'],
  message: 'core/ holds plain domain rules: no HTTP, no Electron, no UI.',
};
const noChildProcess = { group: ['node:child_process', 'child_process'], message: 'core/ runs no child process (a test helper may: tests/support/).' };
const noOutbound = {
  group: ['nodemailer', 'node:http', 'node:https', 'node:net', 'node:tls', 'http', 'https', 'net', 'tls', '**/adapters/**'],
  message: 'PayFiP, SMTP and the document store are reached through ctx.ports (core/ports.ts); only core/adapters/ talks to them.',
};
const noDisk = {
  group: ['node:fs', 'node:fs/*', 'fs', 'fs/*'],
  message: 'Files go through ctx.ports.documents (core/ports.ts); only core/adapters/, backup/, restore/, pdf/, workers/ and durable-files.ts touch the disk.',
};

const noSimulator = 'The server never loads the PayFiP simulator: the demo scripts start it and hand over its address (scripts/demo-simulator.ts).';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'data/**', 'test-results/**', 'playwright-report/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // No import cycles anywhere. Our TypeScript imports name their `.js` output, hence the alias;
    // npm packages are not walked (ignoreExternal), which keeps the rule fast.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // core/: plain domain rules. What reaches outside (PayFiP, SMTP, the document store) goes
  // through ctx.ports (core/ports.ts); the adapters in core/adapters/ are the only core files
  // that open sockets or send mail, and the disk is touched only there and by the data folder's
  // own tools (backup, restore, durable writes, the PDF fonts). No child process outside tests.
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [coreDomain, noChildProcess, noOutbound, noDisk] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: noOutbound.message }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/child_process/]', message: noChildProcess.message }],
    },
  },
  {
    // The workers' pool reads its bundled entry from the app's own files.
    files: ['core/backup/**/*.ts', 'core/restore/**/*.ts', 'core/pdf/**/*.ts', 'core/workers/**/*.ts', 'core/durable-files.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreDomain, noChildProcess, noOutbound] }] },
  },
  {
    files: ['core/adapters/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreDomain, noChildProcess] }], 'no-restricted-globals': 'off' },
  },
  {
    // Tests (and their shared fixtures) build contexts from the adapters and may run programs.
    files: ['core/**/*.test.ts', 'core/test-support.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreDomain] }], 'no-restricted-globals': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The demo scripts start the PayFiP simulator and hand the server its address.
    files: ['server/**/*.ts'],
    rules: {
      // Every route is declared in api/routes/ and mounted by server/route-mount.ts: no router of its own.
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/simulator/**'], message: noSimulator }],
        paths: [{ name: 'express', importNames: ['Router'], message: 'Declare the route in api/routes/ and give it a handler in server/routes/ (server/route-mount.ts mounts them).' }],
      }],
      // import('../simulator/…') too: the server used to load it so in demo mode.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/simulator\\//]', message: noSimulator }],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: restrict(['express', 'electron', 'react', '**/core/**', '**/server/**'], 'db/ depends on knex only.'),
  },
  {
    files: ['api/**/*.ts'],
    rules: restrict(['express', 'electron', 'react', 'knex', '**/core/**', '**/db/**', '**/server/**', ...nodeBuiltins], 'api/ is the shared HTTP contract: zod only.'),
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx', 'renderer/**/*.ts', 'renderer/**/*.tsx', 'client-kit/**/*.ts', 'client-kit/**/*.tsx'],
    ignores: ['web/vite.config.ts', 'renderer/vite.config.ts'],
    rules: restrict(['knex', 'better-sqlite3', 'express', 'electron', '**/db/**', '**/core/**', '**/server/**', ...nodeBuiltins],
      'Clients talk to the server through api/ only: no node modules, no database.'),
  },
  {
    // zod is ~50 KB gzipped: the portal takes only types from the schema modules, values from api/rules.ts.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ignores: ['web/vite.config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{
        group: ['zod', '**/api/parent.js', '**/api/auth.js', '**/api/payments.js', '**/api/common.js', '**/api/online-payments.js', '**/api/staff*.js', '**/api/commune.js', '**/api/routes/**'],
        allowTypeImports: true,
        message: 'The portal imports only types from the zod schema modules (its JS budget is 100 KB): take values from api/rules.ts.',
      }] }],
    },
  },
);
