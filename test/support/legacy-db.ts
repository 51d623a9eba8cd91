import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { BOOKKEEPING, fingerprintSql, TABLES_SQL, toFingerprint } from './fingerprint-sql';
import { adminQuery, databaseUrl } from './pg';

/** The old system's tables (CONTRACT.md, "The old schema"), as its database has them: no CHECK on times, line_user_id not unique. */
export const OLD_SCHEMA = `
CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, full_name VARCHAR(255), role VARCHAR(20),
  created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE patients (id SERIAL PRIMARY KEY, full_name VARCHAR(255), phone_number VARCHAR(50), line_user_id VARCHAR(64),
  created_at TIMESTAMPTZ DEFAULT now());
CREATE TABLE appointment_types (id SERIAL PRIMARY KEY, name VARCHAR(255), duration_minutes INTEGER);
CREATE TABLE appointments (id SERIAL PRIMARY KEY, user_id INTEGER REFERENCES users(id), patient_id INTEGER REFERENCES patients(id),
  appointment_type_id INTEGER REFERENCES appointment_types(id), start_time TIMESTAMPTZ, end_time TIMESTAMPTZ, status VARCHAR(50),
  gcal_event_id VARCHAR(255), created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
CREATE INDEX idx_user_schedule ON appointments (user_id, start_time);
CREATE INDEX idx_gcal_sync ON appointments (gcal_event_id);
CREATE TABLE practitioner_availability (id SERIAL PRIMARY KEY, user_id INTEGER REFERENCES users(id), day_of_week INTEGER,
  start_time TIME, end_time TIME, is_available BOOLEAN DEFAULT true, created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now(),
  CONSTRAINT uq_user_day_availability UNIQUE (user_id, day_of_week));
`;

/** A fresh old database built from the old schema; `query` runs SQL on it as the old system would. */
export function useOldDatabase(data: string) {
  const name = `cbc_t_${inject('dbRunId')}_legacy${randomBytes(3).toString('hex')}`;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      return (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    } finally {
      await client.end();
    }
  };
  /** Every row of every old table, hashed. */
  const checksum = async () => {
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      const tables = (await client.query<{ name: string }>(TABLES_SQL)).rows.map((r) => r.name);
      return toFingerprint((await client.query<{ t: string; n: number; h: string }>(fingerprintSql(tables, BOOKKEEPING))).rows);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    await query(OLD_SCHEMA + data);
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return { url: () => databaseUrl(name), query, checksum };
}
