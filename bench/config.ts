// Settings of one bench run, from the environment (see README "Speed").
import { cpus } from 'node:os';
import path from 'node:path';

const quick = process.env.BENCH_QUICK === '1';

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

export const config = {
  quick,
  root: process.cwd(),
  /** the production build goes here, never into other people's `.next` */
  distDir: '.next-bench',
  /** reuse an existing `.next-bench` build (iterating on the bench itself) */
  skipBuild: process.env.BENCH_SKIP_BUILD === '1',
  /** a PostgreSQL server where the bench may create and drop databases */
  pgUrl: process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  /** seconds of each measured autocannon run */
  duration: num('BENCH_DURATION', quick ? 1 : 6),
  /** seconds of the unmeasured warm-up run of each scenario */
  warmup: num('BENCH_WARMUP', quick ? 1 : 2),
  /** round-robin rounds over all scenarios; medians are taken over them */
  rounds: num('BENCH_ROUNDS', quick ? 1 : 5),
  connections: 32,
  /** sequential requests of the unloaded latency measurement, per agent read */
  unloadedRequests: num('BENCH_UNLOADED_REQUESTS', quick ? 50 : 200),
  lighthouseRuns: num('BENCH_LIGHTHOUSE_RUNS', quick ? 1 : 3),
  /** the server's pool (DATABASE_POOL_MAX) */
  poolMax: num('BENCH_POOL_MAX', 10),
  /** a smoke run never overwrites the measured table that the README shows */
  resultsFile: path.join(process.cwd(), 'bench', 'results', quick ? 'quick.md' : 'latest.md'),
  cores: cpus().length,
};
