import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDb, getDb, queryRows, type DbOrTx } from '@/lib/db/client';
import { lockPractitionerCalendar } from '@/lib/db/locks';
import { namedRows, prepared, rawRows } from '@/lib/db/prepared';
import { inTransaction } from '@/lib/db/transaction';
import { loadAvailabilityInputs } from '@/lib/queries/calendar-data';
import { useDriver } from '../support/drivers';

// Why plans matter: lib/db/client.ts statementHandle. PostgreSQL would plan the hot reads' named
// statements afresh on every run; they keep one plan, and nothing else changes how it is planned.
const MODE = "SELECT current_setting('plan_cache_mode') AS mode";
/** How an ordinary (unnamed) statement on this handle is planned. */
const modeIn = async (handle: DbOrTx) => (await queryRows<{ mode: string }>(handle, sql.raw(MODE)))[0]!.mode;
const planMode = async () => modeIn(await getDb());

describe.each(['postgres', 'pglite'] as const)('query plans on %s', (driver) => {
  useDriver(driver);

  it('a transaction that locks a calendar to read its slots keeps one plan per named statement until it ends; other transactions and ordinary statements keep PostgreSQL’s choice', async () => {
    expect(await planMode()).toBe('auto');
    const inside = await inTransaction(await getDb(), async (tx) => {
      const before = await modeIn(tx);
      await lockPractitionerCalendar(tx, 987_654, { readsSlots: true });
      return { before, after: await modeIn(tx) };
    });
    expect(inside).toEqual({ before: 'auto', after: 'force_generic_plan' });
    // Hours, exceptions, Google sync, the legacy import: locked, planned as PostgreSQL chooses.
    const other = await inTransaction(await getDb(), async (tx) => {
      await lockPractitionerCalendar(tx, 987_655);
      return modeIn(tx);
    });
    expect(other).toBe('auto');
    // Ended with the transaction: the connection goes back to the pool as it came.
    for (let i = 0; i < 3; i++) expect(await planMode()).toBe('auto');
  });

  it('named statements on the database handle run where their plan is kept (node-postgres: a pool of their own)', async () => {
    const db = await getDb();
    const named = await namedRows<{ mode: string }>(db, 'plans_test_mode', MODE, []);
    const built = await rawRows<{ mode: string }>(
      prepared(db, 'plans_test_built', (handle, name) =>
        handle
          .select({ mode: sql<string>`current_setting('plan_cache_mode')`.as('mode') })
          .from(sql`(SELECT 1) AS one`)
          .prepare(name),
      ),
      {},
    );
    // PGlite has one connection, and Neon's pooler takes no per-connection settings: there they run
    // where they are, planned as PostgreSQL chooses.
    const expected = driver === 'postgres' ? 'force_generic_plan' : 'auto';
    expect(named[0]!.mode).toBe(expected);
    expect(built[0]!.mode).toBe(expected);
    expect(await planMode()).toBe('auto');
  });
});

describe('query plans of the slot read on PostgreSQL', () => {
  useDriver('postgres');

  it('a slot read is planned once per connection, not once per request', async () => {
    const db = await getDb();
    const read = (from: string, to: string) =>
      loadAvailabilityInputs(db, { practitionerIds: [1, 2, 3], from, to, now: new Date('2031-05-01T00:00:00Z') });
    // One after another, the pool hands back the same connection; its prepared statements say how
    // each was planned.
    for (let i = 0; i < 8; i++) await read(`2031-05-0${i + 1}`, `2031-06-0${i + 1}`);
    const [row] = await namedRows<{ generic: string; custom: string }>(
      db,
      'plans_test_counts',
      "SELECT generic_plans::text AS generic, custom_plans::text AS custom FROM pg_prepared_statements WHERE name = 'calendar_intervals'",
      [],
    );
    expect(row).toEqual({ generic: '8', custom: '0' });
  });

  it('the startup options of the database URL apply to the named statements’ connections too', async () => {
    const url = process.env.DATABASE_URL!;
    await closeDb();
    process.env.DATABASE_URL = `${url}?options=${encodeURIComponent('-c work_mem=5MB')}`;
    const settings = `${MODE}, current_setting('work_mem') AS mem`;
    try {
      const db = await getDb();
      const [named] = await namedRows<{ mode: string; mem: string }>(db, 'plans_test_options', settings, []);
      expect(named).toEqual({ mode: 'force_generic_plan', mem: '5MB' });
      const [plain] = await queryRows<{ mode: string; mem: string }>(db, sql.raw(settings));
      expect(plain).toEqual({ mode: 'auto', mem: '5MB' });
    } finally {
      await closeDb();
      process.env.DATABASE_URL = url;
    }
  });
});
