/**
 * "Now", passed in one way wherever it matters (slots, warnings, the outbox's retries, the demo
 * month): a function that answers the current instant. Code takes a `Clock` instead of reading the
 * system time, so tests pin or move time instead of passing only at some hours of the day.
 */
export type Clock = () => Date;

/** The real time. */
export const systemClock: Clock = () => new Date();

/** A clock stopped at one instant. */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return () => new Date(instant);
}
