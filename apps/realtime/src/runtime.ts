import type { PrismaClient } from "@parley/db";
import type { Redis } from "ioredis";
import type { StatsBoard } from "./admin/stats-board.ts";
import type { AccessGuard } from "./auth/access-guard.ts";
import type { AttemptLimiter, TokenBuckets } from "./auth/rate-limit.ts";
import type { TokenSigner } from "./auth/tokens.ts";
import type { Bus } from "./bus/bus.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { AccessCache } from "./messages/access-cache.ts";
import type { Metrics } from "./metrics.ts";
import type { SendAdmission } from "./pipeline/admission.ts";
import type { IdempotencyStore } from "./pipeline/idempotency.ts";
import type { IngestLog } from "./pipeline/ingest-log.ts";
import type { StreamHub } from "./streams/hub.ts";
import type { PresenceTracker } from "./streams/presence.ts";
import type { Publisher } from "./streams/publisher.ts";

/** Everything the services share, built once in main.ts. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: PrismaClient;
  redis: Redis | undefined;
  bus: Bus;
  hub: StreamHub;
  publisher: Publisher;
  presence: PresenceTracker;
  ingest: IngestLog;
  signer: TokenSigner;
  guard: AccessGuard;
  access: AccessCache;
  idempotency: IdempotencyStore;
  sendLimiter: TokenBuckets;
  /** Refuses sends the instance has no room for (overload), before any work is done. */
  admission: SendAdmission;
  loginLimiter: AttemptLimiter;
  addressLimiter: AttemptLimiter;
  metrics: Metrics;
  /** Where every instance reports its numbers for the admin dashboard. */
  stats: StatsBoard;
  /** Set when the instance is shutting down: new streams are refused. */
  draining: boolean;
}
