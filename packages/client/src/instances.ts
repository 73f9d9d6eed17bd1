/**
 * Spreading signed-in users over several realtime instances without a load balancer: each
 * user always goes to the same instance (a stable hash of the user id), and different users
 * land on different instances. Any instance serves any user, so this only spreads the load;
 * it is not failover. Put a load balancer in front and list one URL for that.
 */

/** FNV-1a, 32 bits: tiny, stable across browsers and Node, and spreads short ids well. */
export function hashUserId(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The realtime URL this user's browser talks to; `urls` must not be empty. */
export function pickRealtimeUrl(userId: string, urls: readonly string[]): string {
  if (urls.length === 0) throw new Error("pickRealtimeUrl: no realtime URL configured");
  return urls[hashUserId(userId) % urls.length] as string;
}

/** Parses a comma-separated list of URLs, dropping blanks and trailing slashes. */
export function parseRealtimeUrls(value: string): string[] {
  return value
    .split(",")
    .map((url) => url.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}
