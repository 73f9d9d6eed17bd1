/** Delays for reconnecting and retrying: exponential, capped, with full jitter. */

export interface BackoffOptions {
  /** The first delay before jitter, in milliseconds. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 10_000 };
export const SEND_BACKOFF: BackoffOptions = { baseMs: 300, maxMs: 5_000 };

/**
 * The delay before retry number `attempt` (0 for the first retry). `random` is a number in
 * [0, 1); full jitter spreads reconnecting clients so a restarted server is not hit at once,
 * while the lower half-bound keeps the delay from collapsing to zero.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
