import type { Redis } from "ioredis";
import { addBuckets, type CumulativeBuckets, parseBound } from "./percentiles.ts";

/** What one instance says about itself every few seconds. */
export interface InstanceReport {
  instanceId: string;
  onlineUsers: number;
  openStreams: number;
  reportedAt: number;
}

/** One report: the instance's gauges, its users, and its counters since the last report. */
export interface Report {
  instance: InstanceReport;
  userIds: string[];
  /** Minutes since the epoch. */
  minute: number;
  sent: number;
  /** Delivery latency, cumulative by bucket bound, since the last report. */
  latency: CumulativeBuckets;
}

/**
 * Where every instance leaves its numbers for the dashboard, whichever instance answers it.
 * Redis when there are several instances; the instance's own memory when there is one.
 */
export interface StatsBoard {
  write(report: Report): Promise<void>;
  /** Removes a stopping instance at once, instead of letting its report expire. */
  retire(instanceId: string): Promise<void>;
  instances(now: number): Promise<InstanceReport[]>;
  /** Users with a stream on any instance (counted once), as of the last reports. */
  onlineUsers(now: number): Promise<number>;
  /** Messages accepted in each minute of [from, to]. */
  sentPerMinute(from: number, to: number): Promise<number[]>;
  /** Delivery latency over the minutes [from, to], all instances together. */
  latency(from: number, to: number): Promise<CumulativeBuckets>;
}

// An instance reports every few seconds; a report older than this means it is gone.
export const REPORT_MS = 5_000;
const STALE_MS = 3 * REPORT_MS;
// Minute counters outlive the hour the dashboard shows.
const KEEP_SECONDS = 2 * 3600;

function keysOf(deployment: string) {
  const prefix = `parley:stats:${deployment}`;
  return {
    instances: `${prefix}:instances`,
    instance: (id: string) => `${prefix}:instance:${id}`,
    online: `${prefix}:online`,
    sent: (minute: number) => `${prefix}:sent:${minute}`,
    latency: (minute: number) => `${prefix}:latency:${minute}`,
  };
}

function minutes(from: number, to: number): number[] {
  return Array.from({ length: Math.max(to - from + 1, 0) }, (_, i) => from + i);
}

/**
 * Keys: a sorted set of instances by last report, a hash per instance that expires, a sorted
 * set of online users by when their claim expires, and per-minute counters that expire.
 * A report is one pipelined round trip.
 */
export class RedisStatsBoard implements StatsBoard {
  private readonly key: ReturnType<typeof keysOf>;

  constructor(
    private readonly redis: Redis,
    deployment: string,
  ) {
    this.key = keysOf(deployment);
  }

  async write(report: Report): Promise<void> {
    const { instance, minute } = report;
    const p = this.redis.pipeline();
    p.zadd(this.key.instances, instance.reportedAt, instance.instanceId);
    p.zremrangebyscore(this.key.instances, "-inf", instance.reportedAt - KEEP_SECONDS * 1000);
    p.hset(this.key.instance(instance.instanceId), { ...instance });
    p.pexpire(this.key.instance(instance.instanceId), STALE_MS);
    if (report.userIds.length > 0) {
      const expires = instance.reportedAt + STALE_MS;
      p.zadd(this.key.online, ...report.userIds.flatMap((id) => [expires, id]));
    }
    p.zremrangebyscore(this.key.online, "-inf", instance.reportedAt);
    // A deployment that stops reporting (a finished test run) leaves nothing behind for long.
    p.expire(this.key.instances, KEEP_SECONDS);
    p.expire(this.key.online, KEEP_SECONDS);
    if (report.sent > 0) {
      p.incrby(this.key.sent(minute), report.sent);
      p.expire(this.key.sent(minute), KEEP_SECONDS);
    }
    const latency = [...report.latency].filter(([, count]) => count > 0);
    if (latency.length > 0) {
      for (const [bound, count] of latency)
        p.hincrby(this.key.latency(minute), String(bound), count);
      p.expire(this.key.latency(minute), KEEP_SECONDS);
    }
    const results = (await p.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async retire(instanceId: string): Promise<void> {
    await this.redis
      .pipeline()
      .zrem(this.key.instances, instanceId)
      .del(this.key.instance(instanceId))
      .exec();
  }

  async instances(now: number): Promise<InstanceReport[]> {
    const ids = await this.redis.zrangebyscore(this.key.instances, now - STALE_MS, "+inf");
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.key.instance(id));
    const rows = (await p.exec()) ?? [];
    return rows.flatMap(([, value]) => {
      const row = value as Record<string, string> | null;
      if (!row?.instanceId) return [];
      return [
        {
          instanceId: row.instanceId,
          onlineUsers: Number(row.onlineUsers),
          openStreams: Number(row.openStreams),
          reportedAt: Number(row.reportedAt),
        },
      ];
    });
  }

  onlineUsers(now: number): Promise<number> {
    return this.redis.zcount(this.key.online, now, "+inf");
  }

  async sentPerMinute(from: number, to: number): Promise<number[]> {
    const keys = minutes(from, to).map(this.key.sent);
    if (keys.length === 0) return [];
    return (await this.redis.mget(...keys)).map((value) => Number(value ?? 0));
  }

  async latency(from: number, to: number): Promise<CumulativeBuckets> {
    const p = this.redis.pipeline();
    for (const minute of minutes(from, to)) p.hgetall(this.key.latency(minute));
    const total = new Map<number, number>();
    for (const [, value] of (await p.exec()) ?? []) {
      const row = (value ?? {}) as Record<string, string>;
      addBuckets(total, new Map(Object.entries(row).map(([k, v]) => [parseBound(k), Number(v)])));
    }
    return total;
  }
}

/** The board of a single instance without Redis: the same numbers, kept in memory. */
export class LocalStatsBoard implements StatsBoard {
  private last: InstanceReport | undefined;
  private users = 0;
  private readonly sent = new Map<number, number>();
  private readonly latencies = new Map<number, Map<number, number>>();

  async write(report: Report): Promise<void> {
    this.last = report.instance;
    this.users = new Set(report.userIds).size;
    this.sent.set(report.minute, (this.sent.get(report.minute) ?? 0) + report.sent);
    const bucket = this.latencies.get(report.minute) ?? new Map<number, number>();
    addBuckets(bucket, report.latency);
    this.latencies.set(report.minute, bucket);
    const oldest = report.minute - KEEP_SECONDS / 60;
    for (const minute of this.sent.keys()) if (minute < oldest) this.sent.delete(minute);
    for (const minute of this.latencies.keys()) if (minute < oldest) this.latencies.delete(minute);
  }

  async retire(): Promise<void> {
    this.last = undefined;
  }

  async instances(now: number): Promise<InstanceReport[]> {
    return this.last && this.last.reportedAt >= now - STALE_MS ? [this.last] : [];
  }

  async onlineUsers(): Promise<number> {
    return this.users;
  }

  async sentPerMinute(from: number, to: number): Promise<number[]> {
    return minutes(from, to).map((minute) => this.sent.get(minute) ?? 0);
  }

  async latency(from: number, to: number): Promise<CumulativeBuckets> {
    const total = new Map<number, number>();
    for (const minute of minutes(from, to))
      addBuckets(total, this.latencies.get(minute) ?? new Map());
    return total;
  }
}
