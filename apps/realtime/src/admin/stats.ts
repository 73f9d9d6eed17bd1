import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { countTotals } from "@parley/db";
import {
  type DependencyHealth,
  DependencyHealthSchema,
  type GetStatsResponse,
  GetStatsResponseSchema,
} from "@parley/proto";
import type { Runtime } from "../runtime.ts";
import { checkDependencies } from "../services/health-service.ts";
import { quantile } from "./percentiles.ts";

// The message-rate series covers the last hour, one point a minute.
const RATE_MINUTES = 60;
// Latency percentiles cover the last few minutes, so the dashboard shows the present.
const LATENCY_MINUTES = 5;
const LAG_TIMEOUT_MS = 2_000;
// Totals count whole tables; dashboards ask every few seconds, the totals need not be fresher.
const TOTALS_TTL_MS = 10_000;

let totalsCache: { at: number; value: Promise<{ users: number; messages: number }> } | undefined;

function cachedTotals(rt: Runtime, now: number) {
  if (!totalsCache || now - totalsCache.at > TOTALS_TTL_MS) {
    const value = countTotals(rt.db);
    totalsCache = { at: now, value };
    // A failed count is not kept: the next call tries again.
    value.catch(() => {
      if (totalsCache?.value === value) totalsCache = undefined;
    });
  }
  return totalsCache.value;
}

/** Everything the dashboard's overview shows, gathered from the stats board and the database. */
export async function collectStats(rt: Runtime): Promise<GetStatsResponse> {
  const now = Date.now();
  const minute = Math.floor(now / 60_000);
  const [instances, onlineUsers, sent, latency, lag, dependencies, totals] = await Promise.all([
    rt.stats.instances(now),
    rt.stats.onlineUsers(now),
    rt.stats.sentPerMinute(minute - RATE_MINUTES + 1, minute),
    rt.stats.latency(minute - LATENCY_MINUTES + 1, minute),
    consumerLag(rt),
    dependencyHealth(rt),
    cachedTotals(rt, now),
  ]);
  // The current minute has only run for part of its 60 seconds.
  const elapsed = Math.max((now - minute * 60_000) / 1000, 1);
  const ms = (q: number) => (quantile(latency, q) ?? 0) * 1000;
  return create(GetStatsResponseSchema, {
    onlineUsers,
    instances: instances
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId))
      .map((i) => ({ ...i, reportedAt: timestampFromDate(new Date(i.reportedAt)) })),
    messageRate: sent.map((count, i) => {
      const at = minute - RATE_MINUTES + 1 + i;
      const seconds = at === minute ? elapsed : 60;
      return { at: timestampFromDate(new Date(at * 60_000)), messagesPerSecond: count / seconds };
    }),
    latencyP50Ms: ms(0.5),
    latencyP90Ms: ms(0.9),
    latencyP99Ms: ms(0.99),
    consumerLag: BigInt(lag),
    dependencies,
    totalUsers: BigInt(totals.users),
    totalMessages: BigInt(totals.messages),
  });
}

/** Accepted messages not yet stored; -1 when the log cannot tell right now. */
async function consumerLag(rt: Runtime): Promise<number> {
  const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), LAG_TIMEOUT_MS));
  return Promise.race([rt.ingest.lag().catch(() => -1), timeout]);
}

async function dependencyHealth(rt: Runtime): Promise<DependencyHealth[]> {
  const checks = await checkDependencies(rt);
  const inProcess = "in process (single instance)";
  const entry = (name: string, healthy: boolean | undefined, local: boolean) =>
    create(DependencyHealthSchema, {
      name,
      healthy: healthy === true,
      detail: local ? inProcess : healthy ? "reachable" : "no answer within 2 s",
    });
  return [
    entry("MariaDB", checks.database, false),
    entry("Redis", checks.redis, !rt.redis),
    entry("Kafka", checks.kafka ?? checks.memory, rt.ingest.name !== "kafka"),
  ];
}
