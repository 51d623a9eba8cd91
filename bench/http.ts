// Plain HTTP for the bench's own requests (setup, checks, unloaded latency): node:http with one
// kept-alive connection, so a sequential measurement times the server and not connection setup.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, ms: performance.now() - t0 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** GET that must answer `expect`; returns the parsed JSON body. */
export async function getJson<T>(url: string, headers: Record<string, string>, expect = 200): Promise<T> {
  const res = await request(url, { headers });
  if (res.status !== expect) throw new Error(`GET ${url} answered ${res.status}, expected ${expect}: ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body) as T;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Sequential requests on one connection, for several reads at once: passes over the reads in turn
 * (a slice of each read per pass), so that a burst of other work on the machine falls on all of
 * them alike. Per read: p50 and p99 in ms, and how many did not answer 2xx.
 */
export async function unloaded(
  origin: string,
  reads: Array<{ paths: string[] }>,
  headers: Record<string, string>,
  count: number,
  passes = 4,
): Promise<Array<{ p50: number; p99: number; non2xx: number }>> {
  const times: number[][] = reads.map(() => []);
  const non2xx = reads.map(() => 0);
  // A few unmeasured requests first: the connection, and each path's first run.
  for (const read of reads) for (const p of read.paths.slice(0, 5)) await request(origin + p, { headers });
  for (let pass = 0; pass < passes; pass++) {
    for (const [r, read] of reads.entries()) {
      const share = Math.ceil(count / passes);
      for (let i = pass * share; i < Math.min(count, (pass + 1) * share); i++) {
        const res = await request(origin + read.paths[i % read.paths.length]!, { headers });
        if (res.status < 200 || res.status > 299) non2xx[r]!++;
        times[r]!.push(res.ms);
      }
    }
  }
  return times.map((t, r) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), non2xx: non2xx[r]! };
  });
}
