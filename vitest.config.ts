import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{api,client-kit,core,db,server,electron,simulator,scripts,tests}/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['db/test-db-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Password hashes at a cheap scrypt cost in tests only (core/passwords.ts reads it under VITEST).
    env: { ETICKET_TEST_SCRYPT_LOG_N: '12' },
  },
});
