// Lint rules, and the import boundaries of docs in README "Layout".
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads'];

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
    files: ['core/**/*.ts'],
    rules: restrict(['express', 'express/*', 'electron', 'electron/*', 'react', 'react-dom', 'react/*', '**/server/**', '**/electron/**', '**/web/**', '**/renderer/**'],
      'core/ holds plain domain rules: no HTTP, no Electron, no UI.'),
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
