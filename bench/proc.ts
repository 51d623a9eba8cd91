// Child processes of the bench: the build, `next start`, Chromium. Each is stopped by its own id.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { config } from './config';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a command to its end, its output into `logFile`; rejects with the log's tail on failure. */
export function runToEnd(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; logFile: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(opts.logFile);
    const child = spawn(command, args, { cwd: config.root, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on('error', reject);
    child.on('close', (code) => {
      log.end(() => {
        if (code === 0) return resolve();
        const tail = readFileSync(opts.logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}; the end of ${opts.logFile}:\n${tail}`));
      });
    });
  });
}

/**
 * `next build` into `.next-bench`. The build adds its dist folder's types to tsconfig.json and
 * rewrites next-env.d.ts; both are put back exactly as they were (tsconfig.json only when the build's
 * entries are its only change: someone else's edit meanwhile is left alone, with a warning).
 */
export async function buildApp(logFile: string): Promise<void> {
  const files = ['tsconfig.json', 'next-env.d.ts'].map((name) => {
    const file = path.join(config.root, name);
    return { file, before: existsSync(file) ? readFileSync(file, 'utf8') : null };
  });
  try {
    await runToEnd(path.join(config.root, 'node_modules', '.bin', 'next'), ['build'], {
      env: { ...process.env, NEXT_DIST_DIR: config.distDir, NEXT_TELEMETRY_DISABLED: '1' },
      logFile,
    });
  } finally {
    for (const { file, before } of files) {
      const after = existsSync(file) ? readFileSync(file, 'utf8') : null;
      if (after === before) continue;
      if (before === null) unlinkSync(file);
      else if (path.basename(file) === 'next-env.d.ts' || (after !== null && sameApartFromBench(before, after))) writeFileSync(file, before);
      else console.warn(`  ${path.basename(file)} was changed during the build by someone else: left as it is`);
    }
  }
}

/** Whether two tsconfig.json texts differ only in `include` entries under the bench's dist folder. */
function sameApartFromBench(before: string, after: string): boolean {
  const strip = (text: string) => {
    const json = JSON.parse(text) as { include?: string[] };
    return JSON.stringify({ ...json, include: (json.include ?? []).filter((entry) => !entry.startsWith(`${config.distDir}/`)) });
  };
  try {
    return strip(before) === strip(after);
  } catch {
    return false;
  }
}

export interface Server {
  name: string;
  /** the process (group) id of `next start` */
  pid: number;
  port: number;
  /** http://127.0.0.1:port */
  origin: string;
  stop(): Promise<void>;
}

/** Waits until `url` answers 200 (or the process dies, or the time is up). */
async function waitForOk(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** Stops a process group this bench started: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** `next start` of the bench build on a free port, against one database; `nodeArgs`: flags for node itself. */
export async function startServer(name: string, env: Record<string, string>, logFile: string, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NEXT_DIST_DIR: config.distDir, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  // Nothing of a developer's own setup may reach the served app.
  for (const key of [
    'DATABASE_DRIVER',
    'PGLITE_DATA_DIR',
    'AUTH_DEV_LOGIN',
    'LINE_API_BASE_URL',
    'GOOGLE_API_ROOT_URL',
    'GOOGLE_OAUTH_TOKEN_URL',
    'CRON_SECRET',
  ]) {
    delete childEnv[key];
  }
  const log = createWriteStream(logFile);
  const start = ['start', '-p', String(port), '-H', '127.0.0.1'];
  // Node's own flags (a CPU profile) go to node running Next.js's bin; NODE_OPTIONS refuses some.
  const [command, args] = nodeArgs.length
    ? [process.execPath, [...nodeArgs, path.join(config.root, 'node_modules', 'next', 'dist', 'bin', 'next'), ...start]]
    : [path.join(config.root, 'node_modules', '.bin', 'next'), start];
  const child = spawn(command, args, {
    cwd: config.root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    log.end();
  };
  try {
    await waitForOk(`${origin}/api/health`, child, logFile, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, pid: child.pid!, port, origin, stop };
}
