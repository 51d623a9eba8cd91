import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and are the only way a database gets its tables,
// in development, tests and production alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
