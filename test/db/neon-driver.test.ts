import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDb, getDbHandle } from '@/lib/db/client';
import { runMigrations } from '@/lib/db/migrate';
import { clinics } from '@/lib/db/schema';
import { startNeonWsProxy } from '../fakes/neon-ws-proxy';
import { adminQuery, databaseUrl } from '../support/pg';

// The production driver (@neondatabase/serverless Pool over WebSockets) against the local
// PostgreSQL through a WebSocket-to-TCP proxy, as Neon's own proxy does.
describe('Neon serverless driver', () => {
  const name = `cbc_t_${inject('dbRunId')}_neon${randomBytes(3).toString('hex')}`;
  let proxy: Awaited<ReturnType<typeof startNeonWsProxy>>;

  beforeAll(async () => {
    proxy = await startNeonWsProxy();
    await adminQuery(`CREATE DATABASE ${name}`);
    await closeDb();
    process.env.DATABASE_URL = databaseUrl(name);
    process.env.DATABASE_DRIVER = 'neon';
    process.env.NEON_WS_PROXY = proxy.url;
  });
  afterAll(async () => {
    await closeDb();
    await proxy.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('migrates an empty database and runs interactive transactions', async () => {
    const { db, driver } = await getDbHandle();
    expect(driver).toBe('neon');
    await runMigrations(db, driver);
    await runMigrations(db, driver); // idempotent
    expect(proxy.connections()).toBeGreaterThan(0);

    // A rolled-back interactive transaction leaves nothing behind…
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(clinics).values({ name: 'Rolled back', slug: 'rolled-back' });
        const [seen] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, 'rolled-back'));
        expect(seen).toBeDefined();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // …and a committed one is there.
    await db.transaction(async (tx) => {
      await tx.insert(clinics).values({ name: 'Committed', slug: 'committed' });
    });
    const rows = await db.select({ slug: clinics.slug }).from(clinics);
    expect(rows.map((r) => r.slug)).toEqual(['committed']);

    // CHECK constraints answer through this driver too, with the SQLSTATE on the cause.
    const err = await db.execute(sql`INSERT INTO clinics (name, slug, min_notice_minutes) VALUES ('x', 'x', -1)`).catch((e: unknown) => e);
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('23514');
  });
});
