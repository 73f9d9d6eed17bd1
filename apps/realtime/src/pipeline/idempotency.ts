import type { Redis } from "ioredis";

/** The id a clientMessageId was first accepted under, and when. */
export interface Claim {
  id: string;
  createdAt: number;
  /** False when this call made the claim; true when an earlier send did. */
  existing: boolean;
}

// Long enough for any client retry; the database's unique key covers the rest.
const TTL_SECONDS = 24 * 3600;

/**
 * Remembers (sender, clientMessageId) -> message id from the moment Send accepts it, so a retry
 * while the first send is still in flight is produced under the same id and stored once.
 */
export class IdempotencyStore {
  private readonly local = new Map<string, string>();

  constructor(private readonly redis?: Redis) {}

  async claim(senderId: string, clientMessageId: string, fresh: Omit<Claim, "existing">) {
    const key = `parley:cmid:${senderId}:${clientMessageId}`;
    const value = `${fresh.id}:${fresh.createdAt}`;
    let stored = this.redis ? await this.claimShared(key, value) : undefined;
    if (stored === undefined) {
      // In process: without Redis, or while Redis is down. The database's unique key on
      // (sender, clientMessageId) still stores the message once; only the reply's id may differ.
      stored = this.local.get(key) ?? null;
      if (stored === null) this.remember(key, value);
    }
    if (stored === null) return { ...fresh, existing: false };
    const [id = fresh.id, at] = stored.split(":");
    return { id, createdAt: Number(at) || fresh.createdAt, existing: true };
  }

  /** The earlier claim's value, null when this call claimed it, undefined when Redis failed. */
  private async claimShared(key: string, value: string): Promise<string | null | undefined> {
    try {
      const set = await this.redis?.set(key, value, "EX", TTL_SECONDS, "NX");
      return set === "OK" ? null : ((await this.redis?.get(key)) ?? null);
    } catch {
      return undefined;
    }
  }

  private remember(key: string, value: string) {
    // Bounded: a single instance keeps the most recent keys only.
    if (this.local.size >= 200_000) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.set(key, value);
  }
}
