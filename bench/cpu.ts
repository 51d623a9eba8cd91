// Where a request's CPU goes: the `next start` process group against the PostgreSQL backends of its
// database, read from /proc (Linux) before and after a load run. Backends that end during a run take
// their time with them, so the database side is a lower bound.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

function stat(pid: number): { pgid: number; cpuMs: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(fields[2]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS };
  } catch {
    return null;
  }
}

function groupCpuMs(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s && s.pgid === pgid) total += s.cpuMs;
  }
  return total;
}

async function backendCpu(client: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const s = stat(pid);
    if (s) out.set(pid, s.cpuMs);
  }
  return out;
}

export interface CpuMeter {
  start(): Promise<void>;
  /** CPU milliseconds since start(): the app server's and its database's */
  stop(): Promise<{ nodeMs: number; pgMs: number }>;
  close(): Promise<void>;
}

export async function cpuMeter(serverPgid: number, databaseUrl: string): Promise<CpuMeter> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let node0 = 0;
  let pg0 = new Map<number, number>();
  return {
    async start() {
      node0 = groupCpuMs(serverPgid);
      pg0 = await backendCpu(client, database);
    },
    async stop() {
      const nodeMs = groupCpuMs(serverPgid) - node0;
      let pgMs = 0;
      for (const [pid, ms] of await backendCpu(client, database)) pgMs += ms - (pg0.get(pid) ?? 0);
      return { nodeMs, pgMs };
    },
    close: () => client.end(),
  };
}

/**
 * Waits until the server is idle (under 10% of a core over a quarter second), at most `maxMs`: the
 * requests still in flight when a load run stops, and work after responses (`after()`), must not be
 * counted in the next run.
 */
export async function settle(serverPgid: number, maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let before = groupCpuMs(serverPgid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = groupCpuMs(serverPgid);
    if (now - before < 25) return;
    before = now;
  }
}
