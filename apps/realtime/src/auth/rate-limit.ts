import type { Redis } from "ioredis";

/** A token bucket per key, in this process: cheap enough for every Send. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one token; false when the key is over its rate. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 200_000) this.prune(now);
    return true;
  }

  private prune(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at > (this.burst / this.perSecond) * 1000) this.buckets.delete(key);
    }
  }
}

/** Counts attempts per key in fixed windows: in Redis when shared, else in this process. */
export class AttemptLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly redis?: Redis,
  ) {}

  /** Records an attempt; false when the key has used up its window. */
  async hit(key: string): Promise<boolean> {
    if (this.redis) {
      const shared = await this.hitShared(key).catch(() => undefined);
      if (shared !== undefined) return shared;
    }
    return this.hitLocal(key);
  }

  private async hitShared(key: string): Promise<boolean | undefined> {
    if (!this.redis) return undefined;
    const redisKey = `parley:attempts:${key}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(redisKey)
      .expire(redisKey, this.windowSeconds, "NX")
      .exec()) as [[unknown, number]];
    return count <= this.limit;
  }

  /** In this process: without Redis, or while Redis is down. */
  private hitLocal(key: string): boolean {
    const now = Date.now();
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      this.local.set(key, { count: 1, resetAt: now + this.windowSeconds * 1000 });
      return true;
    }
    entry.count++;
    return entry.count <= this.limit;
  }
}
