import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { acquirePgliteLock } from './pglite-lock';
import * as schema from './schema';

/**
 * The one database module. Drivers:
 * - `DATABASE_URL` unset → embedded PGlite persisted under `.data/` (migrated on first use);
 * - a Neon URL (host `*.neon.tech`, or `DATABASE_DRIVER=neon`) → `@neondatabase/serverless` Pool,
 *   which keeps interactive transactions (neon-http has none);
 * - any other `postgres://` URL → node-postgres Pool.
 *
 * Opened lazily: `next build` imports route modules, and a database opened at import time would
 * run during the build.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: services accept either so they compose. */
export type DbOrTx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;
export type DriverName = 'pglite' | 'postgres' | 'neon';

interface Handle {
  db: Db;
  driver: DriverName;
  close: () => Promise<void>;
}

// Next bundles route handlers, server components and actions separately, so a module-level
// variable can exist more than once per process; PGlite allows only one opener per data folder.
const globalKey = Symbol.for('clinic-bot-calendar.db');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Handle> };
const g = globalThis as GlobalWithDb;

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');

// Query listeners: how tests and benchmarks prove a request costs a fixed number of queries.
type QueryListener = (query: string) => void;
const queryListeners = new Set<QueryListener>();
const logger = {
  logQuery: (query: string) => {
    for (const listener of queryListeners) listener(query);
  },
};

/** Tells the listeners about a query sent past Drizzle (lib/db/prepared.ts namedRows). */
export function noteQuery(query: string): void {
  logger.logQuery(query);
}

export function onQuery(listener: QueryListener): () => void {
  queryListeners.add(listener);
  return () => queryListeners.delete(listener);
}

export function resolveDriver(env: NodeJS.ProcessEnv = process.env): DriverName {
  const forced = env.DATABASE_DRIVER;
  if (forced === 'pglite' || forced === 'postgres' || forced === 'neon') return forced;
  const url = env.DATABASE_URL;
  if (!url) return 'pglite';
  try {
    if (new URL(url).hostname.endsWith('.neon.tech')) return 'neon';
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  return 'postgres';
}

async function openPglite(): Promise<Handle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dataDir = process.env.PGLITE_DATA_DIR ?? path.join(process.cwd(), '.data', 'pglite');
  // PGlite does not create parent folders.
  const inMemory = dataDir === 'memory://';
  let release = () => {};
  if (!inMemory) {
    mkdirSync(path.dirname(dataDir), { recursive: true });
    release = acquirePgliteLock(dataDir);
  }
  // btree_gist backs the exclusion constraint against double bookings (drizzle/0003).
  const client = new PGlite({ ...(inMemory ? {} : { dataDir }), extensions: { btree_gist } });
  const db = drizzle({ client, schema, casing: 'snake_case', logger }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    driver: 'pglite',
    close: async () => {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string): Promise<Handle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const settings = {
    connectionString: url,
    ...poolLimits(),
    // A statement that runs away, or a transaction left open by a stuck request, must not hold
    // rows and locks forever: the server ends them.
    statement_timeout: envMs('DATABASE_STATEMENT_TIMEOUT_MS', 15_000),
    idle_in_transaction_session_timeout: envMs('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 30_000),
  };
  // The named statements get a pool of their own (see statementHandle), whose connections plan a
  // statement once; the two share DATABASE_POOL_MAX (at least one connection each), so a server opens
  // no more connections than it says.
  const namedMax = Math.max(1, Math.ceil(settings.max / 2));
  const pool = new Pool({ ...settings, max: Math.max(1, settings.max - namedMax) });
  pool.on('error', onIdleClientError);
  // Startup options go in the URL (node-postgres reads the URL's over its config), after any it has.
  const namedUrl = new URL(url);
  namedUrl.searchParams.set('options', `${namedUrl.searchParams.get('options') ?? ''} -c plan_cache_mode=force_generic_plan`.trim());
  const namedPool = new Pool({ ...settings, max: namedMax, connectionString: namedUrl.toString() });
  namedPool.on('error', onIdleClientError);
  const db = drizzle({ client: pool, schema, casing: 'snake_case', logger }) as unknown as Db;
  namedStatementHandles.set(db, drizzle({ client: namedPool, schema, casing: 'snake_case', logger }) as unknown as Db);
  return { db, driver: 'postgres', close: async () => void (await Promise.all([pool.end(), namedPool.end()])) };
}

const namedStatementHandles = new WeakMap<object, Db>();

/**
 * Where a named prepared statement (lib/db/prepared.ts) runs. PostgreSQL plans a named statement
 * afresh on every run (a custom plan) while it guesses that a plan made for the values beats one
 * made for any values; for the hot reads' unions it always guesses so, and planning costs them
 * several times their execution (EXPLAIN: 1.2 ms of planning for 0.3 ms of execution). Their one
 * plan for any values is as good: each arm walks an index by practitioner and date. So on
 * node-postgres the database handle's named statements run on a second pool (half of
 * DATABASE_POOL_MAX) whose connections keep one generic plan per statement (`plan_cache_mode =
 * force_generic_plan`), while every other statement keeps PostgreSQL's choice. In a transaction a
 * statement stays on the transaction's connection (lib/db/locks.ts `readsSlots` asks for generic
 * plans for the rest of a booking's, hold's or move's transaction). Neon's pooler takes no
 * per-connection settings, and PGlite has one connection: both run them where they are.
 */
export function statementHandle(db: DbOrTx): DbOrTx {
  return namedStatementHandles.get(db) ?? db;
}

async function openNeon(url: string): Promise<Handle> {
  const { Pool, neonConfig } = await import('@neondatabase/serverless');
  const { drizzle } = await import('drizzle-orm/neon-serverless');
  const { default: ws } = await import('ws');
  // Node 20 has no global WebSocket.
  neonConfig.webSocketConstructor = ws;
  const proxy = process.env.NEON_WS_PROXY;
  if (proxy) {
    // A local WebSocket-to-TCP proxy in front of a plain PostgreSQL (tests, local runs).
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  // Neon's pooler does not take per-connection startup settings; its own timeouts apply there.
  const pool = new Pool({ connectionString: url, ...poolLimits() });
  pool.on('error', onIdleClientError);
  const db = drizzle({ client: pool, schema, casing: 'snake_case', logger }) as unknown as Db;
  return { db, driver: 'neon', close: () => pool.end() };
}

function envMs(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * Pool size, and how long a request may wait for a free connection: past it the request answers
 * 503 busy (lib/errors.ts) rather than queueing without end behind a stuck one.
 */
function poolLimits(): { max: number; connectionTimeoutMillis: number } {
  return { max: envMs('DATABASE_POOL_MAX', 10) || 10, connectionTimeoutMillis: envMs('DATABASE_ACQUIRE_TIMEOUT_MS', 5_000) };
}

/**
 * An idle pooled connection that the server closes (restart, failover, Neon scaling to zero)
 * emits 'error' on the pool; unhandled, that would crash the process. The pool replaces it.
 */
function onIdleClientError(err: Error): void {
  console.warn(`Idle database connection closed: ${err.message}`);
}

function open(): Promise<Handle> {
  const driver = resolveDriver();
  const url = process.env.DATABASE_URL ?? '';
  if (driver === 'pglite') return openPglite();
  return driver === 'neon' ? openNeon(url) : openPostgres(url);
}

export function getDbHandle(): Promise<Handle> {
  if (!g[globalKey]) {
    g[globalKey] = open().catch((err) => {
      g[globalKey] = undefined;
      throw err;
    });
  }
  return g[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = g[globalKey];
  g[globalKey] = undefined;
  if (handle) await (await handle).close();
}

/** Rows of a raw SQL query; every driver here (pg, Neon Pool, PGlite) answers with `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
