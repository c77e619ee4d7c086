import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{api,core,db,server,electron,simulator,scripts,tests}/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
