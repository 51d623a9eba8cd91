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

/** Sequential requests on one connection: p50 and p99 in ms, and how many did not answer 2xx. */
export async function unloaded(
  origin: string,
  paths: string[],
  headers: Record<string, string>,
  count: number,
): Promise<{ p50: number; p99: number; non2xx: number }> {
  // A few unmeasured requests first: the connection, and each path's first compile of the route.
  for (const p of paths.slice(0, 5)) await request(origin + p, { headers });
  const times: number[] = [];
  let non2xx = 0;
  for (let i = 0; i < count; i++) {
    const res = await request(origin + paths[i % paths.length]!, { headers });
    if (res.status < 200 || res.status > 299) non2xx++;
    times.push(res.ms);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), non2xx };
}
