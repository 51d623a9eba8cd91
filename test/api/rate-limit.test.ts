import { NextRequest } from 'next/server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as listPractitioners } from '@/app/api/clinic/practitioners/route';
import { enforceAgentRateLimit, RATE_LIMIT_SHARDS } from '@/lib/api/rate-limit';
import { getDb } from '@/lib/db/client';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useDriver } from '../support/drivers';
import { makeClinicWithStaff } from '../support/factories';
import { callRoute } from '../support/http';

/** Starts work early enough in a minute that one window holds it all (the limit is per calendar minute). */
async function withinOneMinute(seconds: number): Promise<void> {
  const left = 60 - new Date().getUTCSeconds() - new Date().getUTCMilliseconds() / 1000;
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`the agent rate limit on ${driver}`, () => {
    const { elsewhere } = useDriver(driver);
    let clinicSlug: string;
    const newKey = async (name = 'agent') => createAgentKey(await getDb(), { clinicSlug, name });
    const call = (key: string) => callRoute(listPractitioners, { path: '/api/clinic/practitioners', agentKey: key });

    beforeAll(async () => {
      clinicSlug = (await makeClinicWithStaff(await getDb())).clinic.slug;
    });
    afterEach(() => {
      delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
    });

    it('keeps its counts in an unlogged table (no WAL flush per request)', async () => {
      expect(await elsewhere(`SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit_buckets'`)).toEqual([{ relpersistence: 'u' }]);
    });

    it('limits requests one after another exactly: the limit passes, the next is 429 with Retry-After', async () => {
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '5';
      const { key } = await newKey();
      await withinOneMinute(10);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(key)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const over = await call(key);
      expect(over).toMatchObject({ status: 429, body: { error: 'rate_limited', details: { limit_per_minute: 5 } } });
      expect(over.body.details.retry_after_seconds).toBeGreaterThanOrEqual(1);
      expect(over.body.details.retry_after_seconds).toBeLessThanOrEqual(60);
    });

    it('counts an agent caller made by key id (not a presented key) in the same minute, by the same rule', async () => {
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '3';
      const { key, id, clinicId } = await newKey();
      await withinOneMinute(10);
      expect((await call(key)).status).toBe(200);
      expect((await call(key)).status).toBe(200);
      const byId = { kind: 'agent' as const, clinicId, agentKeyId: id };
      await expect(enforceAgentRateLimit(byId)).resolves.toBeUndefined();
      await expect(enforceAgentRateLimit(byId)).rejects.toMatchObject({ code: 'rate_limited', details: { limit_per_minute: 3 } });
      expect((await call(key)).status).toBe(429);
    });

    it('answers Retry-After as the header too', async () => {
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '1';
      const { key } = await newKey();
      await withinOneMinute(5);
      await call(key);
      const res = await listPractitioners(
        new NextRequest('http://localhost:3000/api/clinic/practitioners', { headers: { authorization: `Bearer ${key}` } }),
        { params: Promise.resolve({}) },
      );
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it("refreshes the key's last_used_at and drops its hour-old windows on the first request of a window only", async () => {
      const { key, id } = await newKey();
      await elsewhere(
        `INSERT INTO rate_limit_buckets (bucket, window_start, shard, count) VALUES
         ('agent:${id}', date_trunc('minute', now()) - interval '2 hours', 3, 7), ('agent:${id}', date_trunc('minute', now()) - interval '30 minutes', 0, 7)`,
      );
      await withinOneMinute(5);
      expect((await call(key)).status).toBe(200);
      const lastUsed = async () =>
        (await elsewhere<{ at: string | null }>(`SELECT last_used_at::text AS at FROM agent_keys WHERE id = ${id}`))[0]!.at;
      expect(await lastUsed()).not.toBeNull();
      expect(
        await elsewhere(
          `SELECT count(*)::int AS n FROM rate_limit_buckets WHERE bucket = 'agent:${id}' AND window_start < now() - interval '1 hour'`,
        ),
      ).toEqual([{ n: 0 }]);
      await elsewhere(`UPDATE agent_keys SET last_used_at = NULL WHERE id = ${id}`);
      expect((await call(key)).status).toBe(200);
      expect(await lastUsed()).toBeNull();
    });

    it('lets at most (requests in flight at once − 1) through beyond the limit under concurrency, counts every request, and leaves other keys alone', async () => {
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '20';
      const busy = await newKey('busy');
      const calm = await newKey('calm');
      await withinOneMinute(20);
      const [burst, others] = await Promise.all([
        Promise.all(Array.from({ length: 60 }, () => call(busy.key))),
        Promise.all(Array.from({ length: 5 }, () => call(calm.key))),
      ]);
      const ok = burst.filter((r) => r.status === 200).length;
      // Requests run at most DATABASE_POOL_MAX (10) statements at once here; PGlite runs one at a time.
      const inFlight = driver === 'pglite' ? 1 : Number(process.env.DATABASE_POOL_MAX ?? 10);
      expect(ok).toBeGreaterThanOrEqual(20);
      expect(ok).toBeLessThanOrEqual(20 + inFlight - 1);
      expect(burst.filter((r) => r.status === 429 && r.body.error === 'rate_limited')).toHaveLength(60 - ok);
      expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const [row] = await elsewhere<{ n: number; shards: number }>(
        `SELECT sum(count)::int AS n, count(*)::int AS shards FROM rate_limit_buckets WHERE bucket = 'agent:${busy.id}'`,
      );
      expect(row!.n).toBe(60);
      expect(row!.shards).toBeLessThanOrEqual(RATE_LIMIT_SHARDS);
      // Concurrent requests on different connections count in different rows, not queueing on one.
      if (driver === 'postgres') expect(row!.shards).toBeGreaterThan(1);
      // The next request sees every one of them.
      expect((await call(busy.key)).status).toBe(429);
    });
  });
}
