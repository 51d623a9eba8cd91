import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** A second server of the same build without AUTH_DEV_LOGIN: what production looks like. */
const PROD_PORT = PORT + 1;
/** The fake LINE Messaging API the app pushes to (test/fakes/line-server.ts). */
const LINE_PORT = PORT + 99;
process.env.E2E_LINE_URL = `http://127.0.0.1:${LINE_PORT}`;
/** The fake OpenID issuer standing in for Google (test/fakes/google-oidc.ts), for the app on PORT only. */
const GOOGLE_PORT = PORT + 98;
process.env.E2E_GOOGLE_URL = `http://127.0.0.1:${GOOGLE_PORT}`;
/**
 * Idle keep-alive sockets stay open longer than any pause of a spec: with Node's default of 5 s, a
 * request that Playwright's request context sends on a reused socket just as the server closes it
 * fails with ECONNRESET (seen once in three full runs).
 */
const KEEP_ALIVE = '--keepAliveTimeout 120000';
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// One fresh database per run; workers inherit the name through the environment.
process.env.E2E_DATABASE_NAME ??= `cbc_e2e_${Date.now().toString(36)}`;
const dbUrl = new URL(PG);
dbUrl.pathname = `/${process.env.E2E_DATABASE_NAME}`;
process.env.E2E_DATABASE_URL = dbUrl.toString();

const baseEnv: Record<string, string> = {
  ...(process.env as Record<string, string>),
  DATABASE_URL: dbUrl.toString(),
  AUTH_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
  AUTH_TRUST_HOST: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
  LINE_API_BASE_URL: `http://127.0.0.1:${LINE_PORT}`,
  LINE_CHANNEL_ACCESS_TOKEN: 'e2e-channel-token',
  // Encrypts the clinics' own LINE channels (32 bytes, base64; a fixed key for the tests).
  APP_ENCRYPTION_KEY: 'ZTJlLWVuY3J5cHRpb24ta2V5LTMyLWJ5dGVzLWxvbmc=',
};
delete baseEnv.AUTH_DEV_LOGIN;
delete baseEnv.AUTH_GOOGLE_ID;
delete baseEnv.AUTH_GOOGLE_SECRET;
delete baseEnv.AUTH_GOOGLE_ISSUER;
/** Google sign-in through the real Google provider, against the fake issuer. */
const googleEnv = {
  AUTH_GOOGLE_ID: 'e2e-google-client',
  AUTH_GOOGLE_SECRET: 'e2e-google-secret',
  AUTH_GOOGLE_ISSUER: `http://127.0.0.1:${GOOGLE_PORT}`,
  // The same fake serves the token endpoint and Calendar v3; it posts its notifications to the app.
  GOOGLE_API_ROOT_URL: `http://127.0.0.1:${GOOGLE_PORT}`,
  GOOGLE_OAUTH_TOKEN_URL: `http://127.0.0.1:${GOOGLE_PORT}/token`,
  APP_BASE_URL: `http://localhost:${PORT}`,
};

const chromium = {
  // The Chromium that scripts/test-env.ts found (CHROMIUM_PATH, /usr/bin/chromium or Playwright's own).
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  },
};

export default defineConfig({
  testDir: 'e2e',
  // scripts/test.sh runs the phone and the desktop projects as two runs side by side: each its own
  // servers, database and output folder.
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalTeardown: './e2e/support/global-teardown.ts',
  use: {
    ...chromium,
    baseURL: `http://localhost:${PORT}`,
    // Specs take their named screenshots themselves; automatic ones and traces cost ~1 s a test on
    // two cores, so they are taken on failure only (traces when E2E_TRACE=1).
    screenshot: 'only-on-failure',
    trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
    locale: 'en-US',
    timezoneId: 'Asia/Taipei',
  },
  projects: [
    {
      name: 'phone',
      // Server actions posted as raw HTTP: nothing about the viewport, so desktop only; so is the
      // keyboard-only dialog test (a phone has no Tab key).
      testIgnore: [/production-gate/, /server-actions-access/, /keyboard-dialog/, /google-calendar-sync/, /move-by-drag/],
      use: { ...devices['Pixel 7'], ...chromium, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    },
    // Swiping a bottom sheet down needs the phone's sheet and touch screen.
    {
      name: 'desktop',
      testIgnore: [/production-gate/, /swipe-to-close/, /calendar-time-zones/],
      use: { ...chromium, viewport: { width: 1280, height: 800 } },
    },
    { name: 'production-gate', testMatch: /production-gate/, use: { ...chromium, baseURL: `http://localhost:${PROD_PORT}` } },
  ],
  webServer: [
    {
      command: `npx tsx test/fakes/line-server.ts ${LINE_PORT}`,
      url: `http://127.0.0.1:${LINE_PORT}/__pushes`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx tsx test/fakes/google-oidc.ts ${GOOGLE_PORT}`,
      url: `http://127.0.0.1:${GOOGLE_PORT}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx tsx --conditions=react-server e2e/support/prepare-db.ts && npx next start -p ${PORT} ${KEEP_ALIVE}`,
      url: `http://localhost:${PORT}/api/health`,
      env: { ...baseEnv, ...googleEnv, AUTH_DEV_LOGIN: 'true' },
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx next start -p ${PROD_PORT} ${KEEP_ALIVE}`,
      url: `http://localhost:${PROD_PORT}/api/auth/providers`,
      env: baseEnv,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
