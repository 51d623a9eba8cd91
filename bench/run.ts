// npm run bench — measures the served app (see README "Speed"): builds it, loads a clinic group into
// fresh PostgreSQL databases, serves it with `next start` and loads it with autocannon; also the
// engine in-process, the calendar pages' weight and Lighthouse. Prints one table beside the targets
// of issue 12 and writes it to bench/results/latest.md. BENCH_QUICK=1 is a short smoke run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { clinicNow } from '../lib/time/clinic-clock';
import { addDays } from '../lib/time/dates';
import { pageWeight, type PageWeight } from './assets';
import { checkSlots } from './check';
import { config } from './config';
import { createDatabase, DATASET, dropDatabase, loadDataset, migrate, newAgentKey, openDb, storeAgentKey, type Dataset } from './dataset';
import { benchEngine, DENSE_DAY, TYPICAL_DAY, type EngineResult } from './engine';
import { unloaded } from './http';
import { runLighthouse, type LighthouseResult } from './lighthouse';
import { loadRun, type RunStats, type Scenario } from './load';
import { cpuMeter, settle } from './cpu';
import { buildApp, startServer, type Server } from './proc';
import { benchSession, bookingScenario, freeSlots, readPaths, readScenario, serverEnv } from './scenarios';
import { fmt, markdownTable, median, textTable, type Row } from './report';

const started = performance.now();
const elapsed = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const log = (msg: string) => console.log(`[${elapsed()}] ${msg}`);

// Everything started is undone at the end, or on Ctrl-C.
const cleanups: Array<() => Promise<void>> = [];
async function cleanup(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      console.warn(`cleanup: ${(err as Error).message}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the servers and dropping the bench databases…`);
    void cleanup().then(() => process.exit(130));
  });
}

const logDir = path.join(config.root, config.distDir, 'bench-logs');
/** Next.js's smallest page here (the not-found page): what the month page's figure is read against. */
const FLOOR_PATH = '/no-such-page';
/** Whether a scenario's answer is what it expects: the floor's is 404, every other one's a 2xx. */
const expectedStatus = (key: string, code: string) => (key === 'floor' ? code === '404' : code.startsWith('2'));

async function main(): Promise<void> {
  const mode = config.quick ? 'QUICK smoke run' : 'full run';
  log(
    `npm run bench (${mode}): ${config.rounds} round(s) × ${config.duration} s per scenario at ${config.connections} connections, ${config.cores} cores`,
  );

  // 1. The engine, in-process, while the machine is still quiet.
  const samples = config.quick ? 15 : 51;
  const engine = [benchEngine('typical', TYPICAL_DAY, samples), benchEngine('dense', DENSE_DAY, samples)];
  for (const e of engine)
    log(`engine, ${e.label} day: ${fmt.ns(e.engineNs)} vs sorting its inputs ${fmt.ns(e.sortNs)} (${e.ratio.toFixed(2)}×), ${e.slots} slots`);

  // 2. The production build, in its own folder.
  if (config.skipBuild) {
    log(`BENCH_SKIP_BUILD=1: serving the existing ${config.distDir} build`);
  } else {
    mkdirSync(path.join(config.root, 'bench', 'results'), { recursive: true });
    const buildLog = path.join(config.root, 'bench', 'results', 'build.log');
    log(`next build → ${config.distDir} (log: ${path.relative(config.root, buildLog)})…`);
    await buildApp(buildLog);
    log('built');
  }
  mkdirSync(logDir, { recursive: true });

  // 3. Two fresh databases: the full history and 1% of it.
  const names = { big: `bench_${process.pid}_big`, small: `bench_${process.pid}_small` };
  const today = clinicNow(DATASET.timezone, new Date()).date;
  log(`creating databases ${names.big} and ${names.small} on ${new URL(config.pgUrl).host}…`);
  const urls = { big: await createDatabase(config.pgUrl, names.big), small: await createDatabase(config.pgUrl, names.small) };
  cleanups.push(async () => {
    await dropDatabase(config.pgUrl, names.big);
    await dropDatabase(config.pgUrl, names.small);
    log('bench databases dropped');
  });
  await migrate(urls.big);
  await migrate(urls.small);
  const big = await loadDataset(urls.big, { today, pastShare: 1 });
  const small = await loadDataset(urls.small, { today, pastShare: DATASET.smallPastShare, thresholds: big.thresholds });
  const ds: Dataset = big.dataset;
  log(`loaded: ${describeCounts(ds.counts)}; small history: ${describeCounts(small.dataset.counts)}`);
  const agentKey = newAgentKey();
  await storeAgentKey(urls.big, ds.clinicId, agentKey);
  await storeAgentKey(urls.small, ds.clinicId, agentKey);
  const { authSecret, cookie } = await benchSession(ds);

  // 4. `next start` once per database.
  const servers: Record<'big' | 'small', Server> = {} as Record<'big' | 'small', Server>;
  for (const which of ['big', 'small'] as const) {
    servers[which] = await startServer(which, serverEnv(urls[which], authSecret), path.join(logDir, `server-${which}.log`));
    cleanups.push(() => servers[which].stop());
    log(`next start (${which} history) on ${servers[which].origin}`);
  }

  const agent = { authorization: `Bearer ${agentKey}` };
  const session = { cookie };
  const [t30] = ds.typeIds as [number];

  // 5. Correctness: the served slots are the slots of the contract's rule, computed here one
  // practitioner-day at a time from the tables.
  for (const which of ['big', 'small'] as const) {
    const { db, pool } = openDb(urls[which]);
    try {
      const n = await checkSlots({
        db,
        origin: servers[which].origin,
        headers: agent,
        clinicId: ds.clinicId,
        typeId: t30,
        dates: which === 'big' ? [addDays(today, 2), addDays(today, 6)] : [addDays(today, 3)],
        practitionerId: ds.practitionerIds[7]!,
        from: addDays(today, 2),
      });
      log(`correct: ${which} history, ${n} practitioner-days served as the baseline computes them`);
    } finally {
      await pool.end();
    }
  }

  // 6. Free slots to book: each request a different one, never overlapping another (buffers included).
  const bookings = await freeSlots(servers.big.origin, agent, ds, today);
  log(`${bookings.length.toLocaleString('en-US')} distinct free slots to book`);

  // 7. The calendar pages' weight.
  const month = today.slice(0, 7);
  const monthPage = `/calendar?practitioner=${ds.viewerId}&month=${month}`;
  const dayPage = `/calendar?practitioner=${ds.viewerId}&date=${addDays(today, 1)}`;
  const weights = { month: await pageWeight(servers.big.origin, monthPage, session), day: await pageWeight(servers.big.origin, dayPage, session) };
  log(`month page: JS ${fmt.kb(weights.month.js)} (${weights.month.scripts} scripts), blocking CSS ${fmt.kb(weights.month.blockingCss)}`);

  // 8. Unloaded latency of every agent read: one connection, one request at a time.
  const paths = readPaths(ds, today);
  const agentReads: Array<{ what: string; paths: string[] }> = [
    { what: 'clinic-wide slots, one day', paths: paths.clinic },
    { what: 'one practitioner, 31 days of slots', paths: paths.range },
    { what: 'one practitioner, one day of slots', paths: paths.oneDay },
    { what: 'practitioners', paths: ['/api/clinic/practitioners'] },
    { what: 'appointment types', paths: ['/api/clinic/appointment-types'] },
  ];
  const unloadedResults = (await unloaded(servers.big.origin, agentReads, agent, config.unloadedRequests)).map((r, i) => ({
    what: agentReads[i]!.what,
    ...r,
  }));
  for (const r of unloadedResults) log(`unloaded ${r.what}: p50 ${fmt.ms(r.p50)}, p99 ${fmt.ms(r.p99)}${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`);

  // 9. Load, interleaved: every round runs every scenario once, in the same order.
  const booking = bookingScenario(bookings, ds, agent);
  const get = readScenario;
  const scenarios: Scenario[] = [
    get('ceiling', 'big', {}, ['/api/health']),
    get('clinic', 'big', agent, paths.clinic),
    get('clinic-small', 'small', agent, paths.clinic),
    get('range', 'big', agent, paths.range),
    get('range-small', 'small', agent, paths.range),
    get('day', 'big', session, paths.day),
    get('month', 'big', session, paths.month),
    booking,
    get('page', 'big', session, paths.page),
    // For reading the page's figure: Next.js's smallest page here, the not-found page (signed in, as
    // the proxy sends a request without a session to /signin; no query, 8 KB of HTML), answered 404.
    get('floor', 'big', session, [FLOOR_PATH]),
  ];
  log(`warm-up: ${config.warmup} s per scenario…`);
  for (const s of scenarios) {
    await loadRun(servers[s.server].origin, s, config.warmup);
    await settle(servers[s.server].pid);
  }
  const meters = { big: await cpuMeter(servers.big.pid, urls.big), small: await cpuMeter(servers.small.pid, urls.small) };
  const runs = new Map<string, Measured[]>(scenarios.map((s) => [s.key, []]));
  for (let round = 1; round <= config.rounds; round++) {
    for (const s of scenarios) {
      await settle(servers.big.pid);
      await settle(servers.small.pid);
      await meters[s.server].start();
      const client0 = process.cpuUsage();
      const stats = await loadRun(servers[s.server].origin, s, config.duration);
      const client = process.cpuUsage(client0);
      const cpu = await meters[s.server].stop();
      const per = (ms: number) => ms / Math.max(1, stats.completed);
      const r = { ...stats, nodeMs: per(cpu.nodeMs), pgMs: per(cpu.pgMs), clientMs: per((client.user + client.system) / 1000) };
      runs.get(s.key)!.push(r);
      const odd = Object.entries(r.statuses).filter(([code]) => !expectedStatus(s.key, code));
      log(
        `round ${round}/${config.rounds} ${s.key.padEnd(12)} ${fmt.rps(r.rps).padStart(12)}  p50 ${fmt.ms(r.p50)}  p99 ${fmt.ms(r.p99)}  ` +
          `CPU/req node ${r.nodeMs.toFixed(1)} ms, pg ${r.pgMs.toFixed(1)} ms, autocannon ${r.clientMs.toFixed(1)} ms` +
          (odd.length || r.errors ? `  non-2xx ${JSON.stringify(Object.fromEntries(odd))} errors ${r.errors}` : ''),
      );
    }
  }
  await meters.big.close();
  await meters.small.close();
  const bookedRows = await countBooked(urls.big);

  // 10. Lighthouse on the signed-in month view, the servers otherwise idle.
  const lhUrl = `http://localhost:${servers.big.port}${monthPage}`;
  log(`Lighthouse 12 mobile on ${monthPage} (${config.lighthouseRuns} run(s))…`);
  let lh: (LighthouseResult & { scores: number[] }) | Error;
  try {
    lh = await runLighthouse(lhUrl, cookie, config.lighthouseRuns);
    log(`Lighthouse performance ${lh.score} (runs: ${lh.scores.join(', ')})`);
  } catch (err) {
    lh = err as Error;
    log(`Lighthouse failed: ${lh.message}`);
  }

  const pgVersion = await serverVersion(urls.big);
  await cleanup();

  const rows = tableRows({ runs, unloadedResults, engine, weights, lh, smallCounts: small.dataset.counts, bookedRows, bookingsSent: booking.sent() });
  const total = elapsed();
  const header = describeRun({ ds, smallCounts: small.dataset.counts, pgVersion, total });
  console.log(`\n${header.join('\n')}\n\n${textTable(rows)}\n`);
  mkdirSync(path.dirname(config.resultsFile), { recursive: true });
  writeFileSync(
    config.resultsFile,
    [`# npm run bench: the latest run`, '', ...header.map((l) => `${l}  `), '', markdownTable(rows), '', ...notes(lh), ''].join('\n'),
  );
  log(`written to ${path.relative(config.root, config.resultsFile)}; done in ${total}`);
}

function describeCounts(c: Record<string, number>): string {
  const n = (k: string) => (c[k] ?? 0).toLocaleString('en-US');
  return `${n('appointments')} appointments (${n('confirmed')} confirmed, ${n('future confirmed')} of them from today on), ${n('exceptions')} exceptions, ${n('google busy')} Google busy times, ${n('patients')} patients`;
}

/** Bookings that went through (the audit log has one entry each): all of the bench's own. */
async function countBooked(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'appointment.booked'`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return String((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version).split(' ')[0]!;
  } finally {
    await client.end();
  }
}

function gitDescription(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean).length;
    return dirty ? `${sha} plus uncommitted changes in ${dirty} tracked file(s)` : sha;
  } catch {
    return 'unknown commit';
  }
}

function describeRun(input: { ds: Dataset; smallCounts: Record<string, number>; pgVersion: string; total: string }): string[] {
  const { ds } = input;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${gitDescription()}${config.quick ? ' (BENCH_QUICK=1: a smoke run, not a measurement)' : ''}.`,
    `Machine: ${config.cores} cores (${cpu}), shared with other work while it ran; Node ${process.versions.node}, PostgreSQL ${input.pgVersion}, \`next start\` with a pool of ${config.poolMax}.`,
    `Load: autocannon, ${config.connections} connections on loopback, ${config.rounds} interleaved round(s) of ${config.duration} s per scenario (after ${config.warmup} s of warm-up); medians over the rounds. Total time ${input.total}.`,
    `Data: one clinic, ${ds.practitionerIds.length} practitioners, ${ds.typeIds.length} appointment types, ${describeCounts(ds.counts)}, from ${ds.from} to ${ds.to}. Small history: the same with 1% of the past (${(input.smallCounts.appointments ?? 0).toLocaleString('en-US')} appointments).`,
  ];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One load run, with the CPU milliseconds per request of the server, of its database and of the load generator (this process). */
type Measured = RunStats & { nodeMs: number; pgMs: number; clientMs: number };

const ratioOf = (runs: RunStats[], base: RunStats[]) => median(runs.map((r, i) => r.rps / base[i]!.rps));
const cpuOf = (r: Measured) => r.nodeMs + r.pgMs + r.clientMs;
/**
 * The ratio as CPU alone would set it: the ceiling's CPU per request (server, database and load
 * generator) ÷ the read's, per round, median. Steadier than requests/s on a shared machine.
 */
const cpuRatioOf = (runs: Measured[], base: Measured[]) => median(runs.map((r, i) => cpuOf(base[i]!) / cpuOf(r)));

function tableRows(input: {
  runs: Map<string, Measured[]>;
  unloadedResults: Array<{ what: string; p50: number; p99: number; non2xx: number }>;
  engine: EngineResult[];
  weights: { month: PageWeight; day: PageWeight };
  lh: (LighthouseResult & { scores: number[] }) | Error;
  smallCounts: Record<string, number>;
  bookedRows: number;
  bookingsSent: number;
}): Row[] {
  const { runs } = input;
  const ceiling = runs.get('ceiling')!;
  const rows: Row[] = [];
  /** target: a ratio to reach; 'ceiling' for the ceiling itself; 'comparison' for a row that only helps read others */
  const loadRow = (key: string, what: string, target: number | 'ceiling' | 'comparison'): void => {
    const r = runs.get(key)!;
    const unexpected = (x: Measured) =>
      Object.entries(x.statuses)
        .filter(([code]) => !expectedStatus(key, code))
        .reduce((n, [, c]) => n + c, 0);
    const non2xx = r.reduce((n, x) => n + unexpected(x) + x.errors, 0);
    const ratio = key === 'ceiling' ? 1 : ratioOf(r, ceiling);
    rows.push({
      what,
      measured:
        `${fmt.rps(median(r.map((x) => x.rps)))} · p50 ${fmt.ms(median(r.map((x) => x.p50)))} · p99 ${fmt.ms(median(r.map((x) => x.p99)))} · ${non2xx} ${key === 'floor' ? 'other than 404' : 'non-2xx'}` +
        ` · CPU/req: Node ${median(r.map((x) => x.nodeMs)).toFixed(1)} ms, PostgreSQL ${median(r.map((x) => x.pgMs)).toFixed(1)} ms, autocannon ${median(r.map((x) => x.clientMs)).toFixed(1)} ms`,
      ratio: fmt.ratio(ratio),
      cpuRatio: key === 'ceiling' ? '1.00' : fmt.ratio(cpuRatioOf(r, ceiling)),
      target: target === 'ceiling' ? '(the ceiling)' : target === 'comparison' ? '(for comparison)' : `≥ ${target}`,
      ok: typeof target === 'number' ? ratio >= target && non2xx === 0 : null,
    });
  };
  loadRow('ceiling', 'ceiling: `GET /api/health`', 'ceiling');
  loadRow('clinic', 'clinic-wide slots, one day, 50 practitioners (agent)', 0.35);
  loadRow('range', 'one practitioner, 31 days of slots (agent)', 0.5);
  loadRow('day', 'day view, API (session)', 0.5);
  loadRow('month', 'month view, API (session)', 0.5);
  loadRow('booking', `booking into distinct free slots (agent; ${input.bookedRows.toLocaleString('en-US')} booked)`, 0.35);
  loadRow('page', 'month page, server-rendered `/calendar` (session)', 0.2);
  loadRow('floor', `Next.js's smallest page here: not found (\`${FLOOR_PATH}\`, session, 404)`, 'comparison');
  for (const [key, what] of [
    ['clinic', 'big vs small history: clinic-wide slots'],
    ['range', 'big vs small history: 31 days of slots'],
  ] as const) {
    const bigRuns = runs.get(key)!;
    const smallRuns = runs.get(`${key}-small`)!;
    const ratio = median(smallRuns.map((s, i) => s.rps / bigRuns[i]!.rps));
    rows.push({
      what,
      measured: `big ${fmt.rps(median(bigRuns.map((x) => x.rps)))}, small ${fmt.rps(median(smallRuns.map((x) => x.rps)))}`,
      ratio: `${fmt.ratio(ratio)} (small ÷ big)`,
      cpuRatio: fmt.ratio(median(bigRuns.map((b, i) => cpuOf(b) / cpuOf(smallRuns[i]!)))),
      target: '≤ 1.2',
      ok: ratio <= 1.2,
    });
  }
  for (const u of input.unloadedResults) {
    rows.push({
      what: `unloaded (1 connection): ${u.what}`,
      measured: `p50 ${fmt.ms(u.p50)} · p99 ${fmt.ms(u.p99)}${u.non2xx ? ` · ${u.non2xx} non-2xx` : ''}`,
      ratio: '',
      target: 'p99 < 20 ms',
      ok: u.p99 < 20 && u.non2xx === 0,
    });
  }
  for (const e of input.engine) {
    const target = e.label === 'typical' ? 3 : 5;
    rows.push({
      what: `engine vs sorting its inputs, ${e.label} day (${plural(e.appointments, 'appointment')}, ${plural(e.exceptions, 'exception')})`,
      measured: `${fmt.ns(e.engineNs)} vs ${fmt.ns(e.sortNs)}`,
      ratio: `${e.ratio.toFixed(2)}×`,
      target: `≤ ${target}×`,
      ok: e.ratio <= target,
    });
  }
  for (const [key, label] of [
    ['month', 'month'],
    ['day', 'day'],
  ] as const) {
    const w = input.weights[key];
    rows.push({
      what: `first-load JS, ${label} page (gzip, ${w.scripts} scripts)`,
      measured: fmt.kb(w.js),
      ratio: '',
      target: '≤ 150 KB',
      ok: w.js <= 150 * 1024,
    });
    rows.push({
      what: `blocking CSS, ${label} page (gzip, ${plural(w.fontFaces, '@font-face rule')})`,
      measured: `${fmt.kb(w.blockingCss)} (all stylesheets in the HTML: ${fmt.kb(w.css)})`,
      ratio: '',
      target: '≤ 30 KB',
      ok: w.blockingCss <= 30 * 1024,
    });
  }
  const lh = input.lh;
  if (lh instanceof Error) {
    rows.push({
      what: 'Lighthouse 12 mobile, month view: performance',
      measured: `failed: ${lh.message.slice(0, 120)}`,
      ratio: '',
      target: '≥ 90',
      ok: false,
    });
  } else {
    rows.push({
      what: 'Lighthouse 12 mobile, month view: performance',
      measured: `${lh.score}${lh.scores.length > 1 ? ` (median of ${lh.scores.join(', ')})` : ''}`,
      ratio: '',
      target: '≥ 90',
      ok: lh.score >= 90,
    });
    rows.push({
      what: 'Lighthouse: FCP · LCP · TBT · CLS',
      measured: `${(lh.fcp / 1000).toFixed(1)} s · ${(lh.lcp / 1000).toFixed(1)} s · ${Math.round(lh.tbt)} ms · ${lh.cls.toFixed(3)}`,
      ratio: '',
      target: '',
      ok: null,
    });
  }
  return rows;
}

function notes(lh: (LighthouseResult & { scores: number[] }) | Error): string[] {
  const out = [
    '- ratio: requests/s of the read ÷ requests/s of `GET /api/health` (one `select 1`) in the same round, median over the rounds. The targets (✓/✗) are on this ratio.',
    '- ratio by CPU: CPU per request of the ceiling ÷ that of the read (Node server + PostgreSQL backends + autocannon, from /proc), median over the rounds: the ratio if CPU alone set throughput; steadier than requests/s when other work shares the machine. For big vs small history: CPU per request big ÷ small.',
    '- every read rotates through dates, months and practitioners; every booking goes to a different free slot and must answer 201.',
    '- the served clinic-wide and 31-day slots were checked against the contract rule computed from the tables, one practitioner-day at a time.',
  ];
  if (!(lh instanceof Error)) {
    if (lh.longestTask !== null) out.push(`- Lighthouse: longest main-thread task ${Math.round(lh.longestTask)} ms (simulated mobile CPU).`);
    if (lh.blocking.length) out.push(`- Lighthouse render-blocking resources: ${lh.blocking.join('; ')}.`);
  }
  return out;
}

main()
  .catch(async (err) => {
    console.error(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // Kept-alive sockets and autocannon's timers must not hold the process open.
    process.exit(process.exitCode ?? 0);
  });
