import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { findPresenceWatchers, type PrismaClient, touchLastSeen } from "@parley/db";
import { type Presence, PresenceSchema, SubscribeResponseSchema } from "@parley/proto";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { Publisher } from "./publisher.ts";

// Each instance re-announces its users this often; an entry older than the TTL is dead.
const REFRESH_MS = 20_000;
const TTL_MS = 60_000;

/**
 * Online while any stream of the user is open on any instance. Redis keeps one sorted set per
 * user: member = instance id, score = when that instance's claim expires, so a crashed
 * instance's users go offline by themselves.
 */
export class PresenceTracker {
  private readonly local = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly instanceId: string,
    private readonly db: PrismaClient,
    private readonly publisher: Publisher,
    private readonly log: Logger,
    private readonly redis?: Redis,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** The user's first stream on this instance opened. */
  connected(userId: string): Promise<void> {
    this.local.add(userId);
    return this.serialize(userId, async () => {
      if (this.redis) await this.redis.zadd(this.key(userId), Date.now() + TTL_MS, this.instanceId);
      // Announced on every first stream here: a repeated "online" is harmless, a missed one not.
      await this.announce(userId, true, undefined);
    });
  }

  /** The user's last stream on this instance closed. */
  disconnected(userId: string): Promise<void> {
    this.local.delete(userId);
    return this.serialize(userId, async () => {
      // A new stream may have opened here while this one closed (a reload): still online.
      if (this.local.has(userId)) return;
      if (this.redis) await this.redis.zrem(this.key(userId), this.instanceId);
      if ((await this.onlineIds([userId])).has(userId)) return;
      const now = new Date();
      await touchLastSeen(this.db, userId, now).catch(() => undefined);
      await this.announce(userId, false, now);
    });
  }

  /** Runs one user's transitions in order, so "offline" never overtakes a later "online". */
  private serialize(userId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(userId) ?? Promise.resolve();
    const next = previous.then(work, work).finally(() => {
      if (this.chains.get(userId) === next) this.chains.delete(userId);
    });
    this.chains.set(userId, next);
    return next;
  }

  /** Which of these users have an open stream anywhere. */
  async onlineIds(userIds: string[]): Promise<Set<string>> {
    if (!this.redis) return new Set(userIds.filter((id) => this.local.has(id)));
    if (userIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of userIds) pipeline.zcount(this.key(id), Date.now(), "+inf");
    const results = (await pipeline.exec()) ?? [];
    return new Set(userIds.filter((_, i) => Number(results[i]?.[1] ?? 0) > 0));
  }

  /** Presence of users as the protocol carries it, with last-seen times from the database. */
  async describe(userIds: string[]): Promise<Presence[]> {
    const online = await this.onlineIds(userIds);
    const rows = await this.db.user.findMany({
      where: { id: { in: userIds } },
      select: { id: true, lastSeenAt: true },
    });
    return rows.map((row) => this.presence(row.id, online.has(row.id), row.lastSeenAt));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private presence(userId: string, online: boolean, lastSeen: Date | null | undefined) {
    return create(PresenceSchema, {
      userId,
      online,
      lastSeenAt: lastSeen ? timestampFromDate(lastSeen) : undefined,
    });
  }

  private async announce(userId: string, online: boolean, at: Date | undefined) {
    const watchers = await findPresenceWatchers(this.db, userId);
    if (watchers.length === 0) return;
    const value = this.presence(userId, online, at);
    const event = create(SubscribeResponseSchema, { event: { case: "presence", value } });
    await this.publisher.toUsers(watchers, event);
  }

  private async refresh() {
    if (!this.redis || this.local.size === 0) return;
    const pipeline = this.redis.pipeline();
    const expires = Date.now() + TTL_MS;
    for (const id of this.local) pipeline.zadd(this.key(id), expires, this.instanceId);
    await pipeline
      .exec()
      .catch((e: Error) => this.log.warn({ err: e.message }, "presence refresh"));
  }

  private key(userId: string) {
    return `parley:presence:${userId}`;
  }
}
