// Load runs with autocannon: N connections on loopback, each request taken from a scenario's rotation.
import autocannon from 'autocannon';
import { config } from './config';

export interface Scenario {
  key: string;
  /** the server (database) it runs against */
  server: 'big' | 'small';
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** the next request: rotates through dates and practitioners, or hands out free slots */
  next: () => { path: string; body?: string };
}

export interface RunStats {
  /** responses received, whatever their status */
  completed: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

export async function loadRun(origin: string, scenario: Scenario, seconds: number): Promise<RunStats> {
  const { method, headers } = scenario;
  const result = await autocannon({
    url: origin,
    connections: config.connections,
    duration: seconds,
    timeout: 20,
    requests: [
      {
        method,
        headers,
        setupRequest: (req) => {
          const next = scenario.next();
          return { ...req, method, headers, path: next.path, body: next.body };
        },
      },
    ],
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  const completed = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    completed,
    rps: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
  };
}

/** Cycles through a list, forever. */
export function rotation<T>(items: T[]): () => T {
  if (items.length === 0) throw new Error('empty rotation');
  let i = 0;
  return () => items[i++ % items.length]!;
}
