import 'server-only';
import { noteQuery, statementHandle, type DbOrTx } from './client';

// Named prepared statements for the hot reads. A query is built by Drizzle once per database handle
// (or transaction) instead of once per request, and its name lets PostgreSQL parse it once per
// connection and, where generic plans are asked for (lib/db/client.ts statementHandle, lib/db/locks.ts),
// plan it once too. Lists go in as one array parameter (`= ANY($1::int[])`), so one statement, and one
// plan, serves every list length; an `IN ($1, $2, …)` list would be a new statement per length.
//
// node-postgres and Neon's Pool send the name (a per-connection named statement); PGlite ignores it
// and still gains the Drizzle build. A name must always stand for the same SQL text: PostgreSQL
// refuses a second text under a name already prepared on a connection.

interface Preparable {
  execute(placeholders?: Record<string, unknown>): Promise<unknown>;
}

const byHandle = new WeakMap<object, Map<string, Preparable>>();

/** The statement `name` of this handle, built by `build` on first use. */
export function prepared<P extends Preparable>(db: DbOrTx, name: string, build: (db: DbOrTx, name: string) => P): P {
  const handle = statementHandle(db);
  let statements = byHandle.get(handle);
  if (!statements) {
    statements = new Map();
    byHandle.set(handle, statements);
  }
  let statement = statements.get(name) as P | undefined;
  if (!statement) {
    statement = build(handle, name);
    statements.set(name, statement);
  }
  return statement;
}

/**
 * Runs a prepared statement (still by name) and returns the driver's rows as they come, keyed by the
 * SQL's column names, without Drizzle's per-cell result mapping: for hot reads of many rows of plain
 * numbers and text. Every driver here (node-postgres, Neon's Pool, PGlite) has this `all`.
 */
export async function rawRows<T>(statement: Preparable, placeholders: Record<string, unknown>): Promise<T[]> {
  return (await (statement as unknown as { all(placeholders: Record<string, unknown>): Promise<T[]> }).all(placeholders)) as T[];
}

/**
 * Rows of a hand-written statement run as the named prepared statement `name` on the database
 * handle (not a transaction): for the few statements Drizzle cannot build (a CTE that inserts and
 * counts). node-postgres and Neon's Pool take `{ name, text, values }`; PGlite, the text and values.
 * Values go by position ($1, $2…); the driver's own type parsing applies (bigint comes as text).
 */
export async function namedRows<T>(db: DbOrTx, name: string, text: string, values: unknown[]): Promise<T[]> {
  noteQuery(text);
  const client = (statementHandle(db) as unknown as { $client: { query: (...args: unknown[]) => Promise<{ rows: T[] }>; totalCount?: number } })
    .$client;
  const result = typeof client.totalCount === 'number' ? await client.query({ name, text, values }) : await client.query(text, values);
  return result.rows;
}
