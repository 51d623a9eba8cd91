import 'server-only';
import { after } from 'next/server';

const running = new Set<Promise<void>>();

/**
 * Runs work after the response is sent (Next.js after()), so the caller gets its answer at once.
 * Outside a request (a script, or a test calling a handler directly) there is no response to wait
 * for: the work starts now, and `settleAfterResponseWork()` waits for it.
 */
export function runAfterResponse(label: string, work: () => Promise<void>): void {
  const guarded = async () => {
    try {
      await work();
    } catch (err) {
      console.warn(`${label} failed after the response: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  try {
    after(guarded);
  } catch {
    const p = guarded().finally(() => running.delete(p));
    running.add(p);
  }
}

/** Waits for work started outside a request by runAfterResponse. */
export async function settleAfterResponseWork(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
