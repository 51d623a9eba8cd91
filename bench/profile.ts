// npm run bench:profile -- <scenario> [seconds] — where one served read spends its CPU (README "Speed").
// Loads the clinic group into a fresh database, serves the bench build under `node --cpu-prof`, loads
// one scenario with autocannon, stops the server and prints the functions and bundles that took the
// CPU (self time) and, with PROFILE_FOCUS=<regexp> on "name  source:line", the time spent inside the matching functions
// (inclusive), counting only the samples taken during the measured run. The .cpuprofile stays in .next-bench/profiles for Chrome DevTools.
// PROFILE_SAVE=<file> keeps one answer's body. Scenarios: ceiling, clinic, range, day, month, booking, page.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { clinicNow } from '../lib/time/clinic-clock';
import { config } from './config';
import { createDatabase, DATASET, dropDatabase, loadDataset, migrate, newAgentKey, storeAgentKey } from './dataset';
import { loadRun, type Scenario } from './load';
import { buildApp, startServer } from './proc';
import { benchSession, bookingScenario, freeSlots, readPaths, readScenario, serverEnv } from './scenarios';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const scenarioKey = process.argv[2] ?? 'page';
const seconds = Number(process.argv[3] ?? 10);
const focus = process.env.PROFILE_FOCUS ? new RegExp(process.env.PROFILE_FOCUS) : null;

/** Where a frame's code lives: an npm package, the app's own bundles, Node itself. */
function bundleOf(url: string): string {
  if (!url) return '(native or idle)';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf(`${config.distDir}/`);
  if (dist >= 0) return url.slice(dist + config.distDir.length + 1);
  return url.replace(/^file:\/\//, '').replace(config.root, '.');
}

/** The build's bundles and Next.js's runtime are minified: their source maps name a frame's source and line. */
const maps = new Map<string, SourceMap | null>();
function originalOf(url: string, line: number, column: number): string | null {
  if (!url.startsWith('file:') && !url.startsWith('/')) return null;
  let map = maps.get(url);
  if (map === undefined) {
    const file = `${url.startsWith('file:') ? fileURLToPath(url) : url}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null;
    maps.set(url, map);
  }
  const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number; name?: string } | undefined;
  if (!entry?.originalSource) return null;
  const source = entry.originalSource.replace(/^.*?\/(node_modules|\[project\])\//, '$1/').replace(/^\[project\]\//, '');
  return `${source}:${(entry.originalLine ?? 0) + 1}`;
}

/** Only the samples taken in `window` (µs on the monotonic clock that V8's profiler and hrtime share). */
function summarize(profile: CpuProfile, requests: number, window: { from: number; to: number }): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  let at = profile.startTime;
  let inWindow = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.from || at > window.to) return;
    inWindow++;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const msPerSample = (window.to - window.from) / 1000 / Math.max(1, inWindow);
  const self = new Map<string, number>();
  const bundles = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const keys = new Map<number, string>();
  const keyOf = (n: ProfileNode) => {
    let key = keys.get(n.id);
    if (key === undefined) {
      const f = n.callFrame;
      key = `${f.functionName || '(anonymous)'}  ${originalOf(f.url, f.lineNumber, f.columnNumber) ?? `${bundleOf(f.url)}:${f.lineNumber + 1}`}`;
      keys.set(n.id, key);
    }
    return key;
  };
  // Depth-first from the root, carrying the focused functions on the current stack.
  const walk = (id: number, onStack: Set<string>) => {
    const n = byId.get(id)!;
    const key = keyOf(n);
    const h = hits.get(id) ?? 0;
    const focused = focus && focus.test(key) && !onStack.has(key) ? new Set([...onStack, key]) : onStack;
    if (h) {
      self.set(key, (self.get(key) ?? 0) + h);
      const b = bundleOf(n.callFrame.url);
      bundles.set(b, (bundles.get(b) ?? 0) + h);
      for (const k of focused) inclusive.set(k, (inclusive.get(k) ?? 0) + h);
    }
    for (const c of n.children ?? []) walk(c, focused);
  };
  walk(profile.nodes[0]!.id, new Set());
  const busy = [...hits.entries()]
    .filter(([id]) => !/^\((idle|program)\)$/.test(byId.get(id)!.callFrame.functionName))
    .reduce((a, [, h]) => a + h, 0);
  const perReq = (h: number) => `${((h * msPerSample) / Math.max(1, requests)).toFixed(3)} ms/req  ${((100 * h) / Math.max(1, busy)).toFixed(1)}%`;
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, h]) => `  ${perReq(h).padEnd(24)} ${k}`);
  return [
    `busy (not idle) CPU: ${((busy * msPerSample) / Math.max(1, requests)).toFixed(2)} ms per request over ${requests} requests`,
    '',
    'by bundle or package (self time):',
    ...top(bundles, 25),
    '',
    'by function (self time):',
    ...top(self, 45),
    ...(focus ? ['', `inside functions matching ${focus} (inclusive):`, ...top(inclusive, 30)] : []),
  ];
}

async function main(): Promise<void> {
  if (!config.skipBuild) await buildApp(path.join(config.root, 'bench', 'results', 'build.log'));
  const name = `bench_${process.pid}_profile`;
  const today = clinicNow(DATASET.timezone, new Date()).date;
  const url = await createDatabase(config.pgUrl, name);
  const profileDir = path.join(config.root, config.distDir, 'profiles');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  try {
    await migrate(url);
    const { dataset: ds } = await loadDataset(url, { today, pastShare: 1 });
    const agentKey = newAgentKey();
    await storeAgentKey(url, ds.clinicId, agentKey);
    const { authSecret, cookie } = await benchSession(ds);
    const server = await startServer('profile', serverEnv(url, authSecret), path.join(profileDir, 'server.log'), [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
    ]);
    const agent = { authorization: `Bearer ${agentKey}` };
    const session = { cookie };
    const paths = readPaths(ds, today);
    const get = (headers: Record<string, string>, list: string[]) => readScenario(scenarioKey, 'big', headers, list);
    let scenario: Scenario;
    switch (scenarioKey) {
      case 'ceiling':
        scenario = get({}, ['/api/health']);
        break;
      case 'clinic':
      case 'range':
        scenario = get(agent, paths[scenarioKey]);
        break;
      case 'day':
      case 'month':
      case 'page':
        scenario = get(session, paths[scenarioKey]);
        break;
      case 'booking': {
        // Distinct free slots, as the bench books them.
        scenario = bookingScenario(await freeSlots(server.origin, agent, ds, today), ds, agent);
        break;
      }
      default:
        throw new Error(`unknown scenario "${scenarioKey}" (ceiling, clinic, range, day, month, booking, page)`);
    }
    await loadRun(server.origin, scenario, 2);
    if (scenario.method === 'GET') {
      const body = await (await fetch(`${server.origin}${scenario.next().path}`, { headers: scenario.headers })).text();
      const flight = [...body.matchAll(/<script>self\.__next_f\.push\((.*?)\)<\/script>/gs)].reduce((n, m) => n + m[1]!.length, 0);
      if (process.env.PROFILE_SAVE) writeFileSync(process.env.PROFILE_SAVE, body);
      console.log(
        `one answer: ${body.length.toLocaleString('en-US')} characters${flight ? `, ${flight.toLocaleString('en-US')} of them the RSC payload's scripts` : ''}`,
      );
    }
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const from = micros();
    const stats = await loadRun(server.origin, scenario, seconds);
    const to = micros();
    console.log(
      `${scenarioKey}: ${stats.rps.toFixed(0)} req/s, p50 ${stats.p50} ms, ${stats.completed} responses ${JSON.stringify(stats.statuses)} (under the profiler)`,
    );
    // Next.js exits on SIGINT, which writes the profile.
    process.kill(server.pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 3000));
    await server.stop();
    const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    const biggest = files
      .map((f) => ({ f, profile: JSON.parse(readFileSync(path.join(profileDir, f), 'utf8')) as CpuProfile }))
      .sort((a, b) => b.profile.samples.length - a.profile.samples.length)[0];
    if (!biggest) throw new Error(`no .cpuprofile in ${profileDir}`);
    console.log(`profile: ${path.relative(config.root, path.join(profileDir, biggest.f))}\n`);
    console.log(summarize(biggest.profile, stats.completed, { from, to }).join('\n'));
  } finally {
    await dropDatabase(config.pgUrl, name);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
