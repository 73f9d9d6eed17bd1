import { type AddressInfo, createServer as createNetServer } from "node:net";
import { create } from "@bufbuild/protobuf";
import { createMessageStore, createPrisma, type MessageStore } from "@parley/db";
import { GoAwaySchema, SubscribeResponseSchema } from "@parley/proto";
import { deploymentName } from "./admin/deployment.ts";
import { LocalStatsBoard, RedisStatsBoard } from "./admin/stats-board.ts";
import { StatsReporter } from "./admin/stats-reporter.ts";
import { AccessGuard } from "./auth/access-guard.ts";
import { AttemptLimiter, TokenBuckets } from "./auth/rate-limit.ts";
import { TokenSigner } from "./auth/tokens.ts";
import { type Bus, CONTROL_CHANNEL } from "./bus/bus.ts";
import { MemoryBus } from "./bus/memory-bus.ts";
import { RedisBus } from "./bus/redis-bus.ts";
import type { Config } from "./config.ts";
import { blobStoreFor } from "./files/blob-store.ts";
import { startUploadSweeper } from "./files/sweeper.ts";
import { createServer } from "./http/server.ts";
import type { Logger } from "./logger.ts";
import { AccessCache } from "./messages/access-cache.ts";
import { createMetrics } from "./metrics.ts";
import { SendAdmission } from "./pipeline/admission.ts";
import { IdempotencyStore } from "./pipeline/idempotency.ts";
import type { IngestLog } from "./pipeline/ingest-log.ts";
import { KafkaLog } from "./pipeline/kafka-log.ts";
import { MemoryLog } from "./pipeline/memory-log.ts";
import { createPersister } from "./pipeline/persister.ts";
import type { Runtime } from "./runtime.ts";
import { listenForBroadcasts } from "./streams/broadcast.ts";
import { StreamHub } from "./streams/hub.ts";
import { PresenceTracker } from "./streams/presence.ts";
import { type ControlMessage, Publisher } from "./streams/publisher.ts";

export interface App {
  rt: Runtime;
  server: ReturnType<typeof createServer>;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  reporter: StatsReporter;
  /** The persister's own connections, so it never queues behind request traffic. */
  store: MessageStore;
}

// The log hands the persister one group of batches at a time (see kafka-log.ts); a second
// connection covers a group retried batch by batch.
const PERSISTER_POOL_SIZE = 2;

/** Wires the runtime from configuration; nothing connects until startRuntime. */
export function createRuntime(config: Config, log: Logger): App {
  const db = createPrisma(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  const redisBus = config.REDIS_URL ? new RedisBus(config.REDIS_URL, log) : undefined;
  const bus: Bus = redisBus ?? new MemoryBus();
  const redis = redisBus?.client;
  const metrics = createMetrics();
  const publisher = new Publisher(bus);
  const ingest: IngestLog = config.KAFKA_BROKERS?.length
    ? new KafkaLog(
        {
          brokers: config.KAFKA_BROKERS,
          topic: config.KAFKA_TOPIC,
          partitions: config.KAFKA_PARTITIONS,
          groupId: config.KAFKA_GROUP_ID,
          clientId: config.INSTANCE_ID,
          sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        },
        log,
      )
    : new MemoryLog(log);
  const rt: Runtime = {
    config,
    log,
    db,
    redis,
    bus,
    hub: new StreamHub(bus, log),
    publisher,
    presence: new PresenceTracker(config.INSTANCE_ID, db, publisher, log, redis),
    ingest,
    signer: new TokenSigner(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS),
    guard: new AccessGuard(db),
    access: new AccessCache(db),
    idempotency: new IdempotencyStore(redis),
    sendLimiter: new TokenBuckets(config.SEND_RATE_PER_SECOND, config.SEND_BURST),
    admission: new SendAdmission(
      {
        maxInFlight: config.SEND_MAX_IN_FLIGHT,
        maxWaitMs: config.SEND_MAX_WAIT_MS,
        maxLoopDelayMs: config.SEND_MAX_LOOP_DELAY_MS,
        shedFromBusy: config.SEND_SHED_FROM_BUSY,
      },
      (reason) => metrics.sendsRefused.inc({ reason }),
    ),
    loginLimiter: new AttemptLimiter(config.LOGIN_ATTEMPTS_PER_MINUTE, 60, redis),
    addressLimiter: new AttemptLimiter(config.LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE, 60, redis),
    metrics,
    stats: redis
      ? new RedisStatsBoard(redis, deploymentName(config.DATABASE_URL))
      : new LocalStatsBoard(),
    draining: false,
  };
  // Sends, streams and sync frames fill the main pool in bursts; the persister, which every
  // delivery waits for, has connections of its own (bench: "Unable to start a transaction in
  // the given time" while 2,000 users connected and sent to 1,000 new conversations).
  const store = createMessageStore(config.DATABASE_URL, { poolSize: PERSISTER_POOL_SIZE });
  return {
    rt,
    server: createServer(rt),
    port: 0,
    reporter: new StatsReporter(rt),
    store,
  };
}

function onControl(rt: Runtime, payload: Buffer) {
  const message = JSON.parse(payload.toString()) as ControlMessage;
  if (message.type === "conversation-changed") rt.access.invalidate(message.conversationId);
  if (message.type === "user-changed") rt.guard.invalidate(message.userId);
}

/** Connects the dependencies, starts the persister and listens. */
/**
 * Fails fast, before joining the Kafka consumer group, when the port is taken: a second copy
 * would otherwise take partitions from the running instance and only then crash on listen.
 */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} on ${host} is already in use (another instance running?)`)
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export async function startRuntime(app: App): Promise<void> {
  const { rt } = app;
  await assertPortFree(rt.config.PORT, rt.config.HOST);
  const single = !rt.config.KAFKA_BROKERS?.length || !rt.config.REDIS_URL;
  if (single) {
    rt.log.warn(
      { kafka: rt.ingest.name, bus: rt.redis ? "redis" : "memory" },
      "single-instance mode: without Kafka and Redis this instance must be the only one",
    );
  }
  rt.bus.onMessage((channel, payload) => {
    if (channel === CONTROL_CHANNEL) onControl(rt, payload);
  });
  await rt.bus.subscribe(CONTROL_CHANNEL);
  await listenForBroadcasts(rt.bus, rt.hub, rt.log, deploymentName(rt.config.DATABASE_URL));
  await rt.ingest.start(createPersister({ ...rt, store: app.store }));
  rt.presence.start();
  rt.admission.start();
  app.reporter.start();
  startUploadSweeper(rt, blobStoreFor(rt.config));
  await new Promise<void>((resolve) => {
    app.server.server.listen(rt.config.PORT, rt.config.HOST, resolve);
  });
  app.port = (app.server.server.address() as AddressInfo).port;
  rt.log.info({ port: app.port, host: rt.config.HOST, log: rt.ingest.name }, "realtime ready");
}

/**
 * Graceful stop: refuse new streams, tell clients to reconnect elsewhere, let the persister
 * finish its batch and commit, flush the producer, then close connections.
 */
export async function shutdown(app: App): Promise<void> {
  const { rt } = app;
  rt.draining = true;
  app.server.server.close();
  for (const sink of rt.hub.allSinks()) {
    const goAway = create(GoAwaySchema, { reason: "instance shutting down" });
    sink.deliver(create(SubscribeResponseSchema, { event: { case: "goAway", value: goAway } }));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const sink of rt.hub.allSinks())
    sink.control({ type: "end", code: "unauthenticated", reason: "shutdown" });
  await rt.ingest.close();
  await app.store.close();
  rt.presence.stop();
  rt.admission.stop();
  await app.reporter.stop();
  await rt.bus.close();
  app.server.h1.closeAllConnections();
  app.server.h2.close();
  await rt.db.$disconnect();
  rt.log.info("stopped");
}
