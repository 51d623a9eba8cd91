import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // `server-only` throws outside React Server Components (its `react-server` export is empty):
    // tests import server modules directly, as the server would.
    alias: { 'server-only': fileURLToPath(new URL('./node_modules/server-only/empty.js', import.meta.url)) },
  },
  test: {
    include: ['lib/**/*.test.ts', 'test/**/*.test.ts', 'app/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', '.next/**'],
    environment: 'node',
    pool: 'forks',
    // Every file has its own database (test/support/db.ts), so files run two at a time: Vitest's
    // default on two cores is one (cores - 1), and most of a file's time is spent waiting on PostgreSQL.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      AUTH_SECRET: 'vitest-secret-0123456789abcdef0123456789abcdef',
      NEXT_TELEMETRY_DISABLED: '1',
      // A fixed test key (32 bytes, base64) for the clinics' encrypted LINE channels; tests without one delete it.
      APP_ENCRYPTION_KEY: 'sI/FHUAPkE19jPOQc9sM8rWN1tUaDuoRcGhathVldP0=',
    },
  },
});
