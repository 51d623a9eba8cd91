import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * PGlite allows one process per data folder; a second opener (say `npm run db:seed` while
 * `npm run dev` runs) can corrupt it. A pid file next to the folder turns that into a clear error.
 */
export function acquirePgliteLock(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  try {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database ${dataDir} is in use by process ${holder} (is \`npm run dev\` running?). ` +
          'Stop that process first, or set DATABASE_URL to a PostgreSQL database.',
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(lockFile, String(process.pid));
  const release = () => {
    try {
      if (Number(readFileSync(lockFile, 'utf8')) === process.pid) rmSync(lockFile);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
