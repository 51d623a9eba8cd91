// npm run agent-key -- --clinic <slug> [--name <label>]
// Creates an AI-agent key and prints the plain key alone on the last line (it is not stored).
import { parseArgs } from 'node:util';
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { createAgentKey } from '../lib/services/agent-keys';
import { AppError } from '../lib/errors';

const { values } = parseArgs({ options: { clinic: { type: 'string' }, name: { type: 'string', default: 'AI agent' } } });
if (!values.clinic) {
  console.error('Usage: npm run agent-key -- --clinic <slug> [--name <label>]');
  process.exit(2);
}
const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
try {
  const key = await createAgentKey(db, { clinicSlug: values.clinic, name: values.name! });
  console.log(`Agent key #${key.id} "${key.name}" for clinic ${values.clinic} (prefix ${key.prefix}). Store it now; it is shown once:`);
  console.log(key.key);
} catch (err) {
  console.error(err instanceof AppError ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
