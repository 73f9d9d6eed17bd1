import { findUserAccess, type PrismaClient } from "@parley/db";
import { denied, unauthenticated } from "../errors.ts";
import { spreadExpiry } from "../expiry.ts";
import type { Principal } from "./tokens.ts";

interface Entry {
  role: "user" | "admin";
  bannedAt: number | null;
  /** Tokens issued before this instant are refused (sign-out everywhere, ban). */
  revokedBefore: number;
  expiresAt: number;
}

// A safety net only: changes arrive at once through the control channel (invalidate()).
const TTL_MS = 60_000;

/**
 * Decides whether a verified token may still be used: the user exists, is not banned and has
 * not been signed out everywhere since the token was issued (users.sessions_revoked_at).
 * Cached per user, invalidated across instances by control messages.
 */
export class AccessGuard {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly db: PrismaClient) {}

  async assertAllowed(principal: Principal): Promise<void> {
    const entry = await this.entry(principal.userId);
    if (entry.bannedAt !== null) throw denied("account banned");
    if (principal.issuedAt < entry.revokedBefore) throw unauthenticated("session ended");
  }

  /**
   * Admin calls: the role comes from the database (cached like the ban state and dropped by the
   * same control messages), not from the token, so a demotion takes effect at once.
   */
  async assertAdmin(principal: Principal): Promise<void> {
    await this.assertAllowed(principal);
    if ((await this.entry(principal.userId)).role !== "admin") throw denied("admins only");
  }

  /** Drops cached state for a user, e.g. after a ban, so the next check reads the database. */
  invalidate(userId: string): void {
    this.cache.delete(userId);
  }

  private async entry(userId: string): Promise<Entry> {
    const cached = this.cache.get(userId);
    if (cached && Date.now() < cached.expiresAt) return cached;
    let row: Awaited<ReturnType<typeof findUserAccess>>;
    try {
      row = await findUserAccess(this.db, userId);
    } catch (error) {
      // The database is down: keep serving known users from the last answer.
      if (cached) return cached;
      throw error;
    }
    if (!row) throw unauthenticated("account no longer exists");
    const entry: Entry = {
      role: row.role,
      bannedAt: row.bannedAt?.getTime() ?? null,
      revokedBefore: row.sessionsRevokedAt?.getTime() ?? 0,
      expiresAt: spreadExpiry(TTL_MS),
    };
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(userId, entry);
    return entry;
  }
}
