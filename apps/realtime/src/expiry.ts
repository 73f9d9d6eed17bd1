/**
 * When a cache entry loaded now should expire: somewhere in the second half of `ttlMs`.
 * Entries loaded together (a reconnect storm, a burst of new conversations) would otherwise
 * all expire and reload in the same second.
 */
export function spreadExpiry(ttlMs: number, now = Date.now()): number {
  return now + ttlMs * (0.5 + Math.random() / 2);
}
