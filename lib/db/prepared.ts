import 'server-only';
import { PgTransaction } from 'drizzle-orm/pg-core';
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

// A transaction is a new handle every time: building a statement per transaction (a booking reads
// the calendar's six-arm union in one) costs more Node time than the rest of the booking's queries.
// So a transaction's statement is the one built for an earlier transaction of the same driver, bound
// to this transaction's connection: Drizzle's prepared queries of every driver here (node-postgres,
// Neon, PGlite) keep their SQL, parameters and fields and send through `client`, which is the
// transaction session's client (drizzle-orm 0.45, pinned; the booking, hold and move suites run it
// on every driver).
interface TransactionSession {
  client: unknown;
  constructor: object;
}
const builtInTransactions = new WeakMap<object, Map<string, Preparable>>();

function statementsOf(built: WeakMap<object, Map<string, Preparable>>, key: object): Map<string, Preparable> {
  let statements = built.get(key);
  if (!statements) built.set(key, (statements = new Map()));
  return statements;
}

function inTransactionStatement<P extends Preparable>(tx: DbOrTx, name: string, build: (db: DbOrTx, name: string) => P): P {
  const session = (tx as unknown as { session?: TransactionSession }).session;
  // Should a Drizzle release keep its connection elsewhere, each transaction builds its own again.
  if (!session?.client) return build(tx, name);
  const statements = statementsOf(builtInTransactions, session.constructor);
  const built = statements.get(name) as P | undefined;
  if (!built) {
    const statement = build(tx, name);
    if ((statement as unknown as { client?: unknown }).client === session.client) statements.set(name, statement);
    return statement;
  }
  return Object.create(built, { client: { value: session.client } }) as P;
}

/** The statement `name` of this handle, built by `build` on first use. */
export function prepared<P extends Preparable>(db: DbOrTx, name: string, build: (db: DbOrTx, name: string) => P): P {
  if (db instanceof PgTransaction) return inTransactionStatement(db, name, build);
  const handle = statementHandle(db);
  const statements = statementsOf(byHandle, handle);
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
