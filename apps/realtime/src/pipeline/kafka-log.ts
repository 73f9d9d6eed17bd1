import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { Logger } from "../logger.ts";
import { Batcher } from "./batcher.ts";
import type { BatchHandler, IngestLog } from "./ingest-log.ts";
import { decodeRecord, encodeRecord, type IngestRecord } from "./record.ts";

interface PendingBatch {
  payload: EachBatchPayload;
  records: IngestRecord[];
}

// Produce requests carry at most this many records: a burst in one request, well under 1 MB.
const MAX_PRODUCE_BATCH = 1000;

export interface KafkaLogOptions {
  brokers: string[];
  topic: string;
  partitions: number;
  groupId: string;
  clientId: string;
  sessionTimeoutMs: number;
}

/**
 * Kafka as the ingest log. Records are keyed by conversation, so one partition holds a
 * conversation's order. The persister is a consumer group: partitions spread over instances.
 */
export class KafkaLog implements IngestLog {
  readonly name = "kafka";
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  /** Sends waiting for the next produce request (acks = all), one request in flight. */
  private readonly produced: Batcher<Message>;

  constructor(
    private readonly options: KafkaLogOptions,
    private readonly log: Logger,
  ) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...fields } = entry.log;
        log.warn({ kafka: entry.namespace, ...fields }, String(message));
      },
      retry: { initialRetryTime: 200, retries: 5 },
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, options.sessionTimeoutMs / 3),
    });
    this.produced = new Batcher(async (messages) => {
      await this.producer.send({ topic: options.topic, acks: -1, messages });
    }, MAX_PRODUCE_BATCH);
  }

  async start(handler: BatchHandler): Promise<void> {
    await this.admin.connect();
    await this.ensureTopic();
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    const groups = new Batcher<PendingBatch>((group) => this.storeGroup(group, handler));
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.log.info({ assignment: event.payload.memberAssignment }, "persister partitions");
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitions,
      eachBatch: (payload) => this.consume(payload, groups),
    });
  }

  /** Topics are created here with an explicit partition count; the broker never auto-creates. */
  private async ensureTopic() {
    if ((await this.admin.listTopics()).includes(this.options.topic)) return;
    const created = await this.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: this.options.topic, numPartitions: this.options.partitions }],
    });
    if (created) this.log.info({ topic: this.options.topic }, "created topic");
  }

  append(record: IngestRecord): Promise<void> {
    return this.produced.add({ key: record.conversationId, value: encodeRecord(record) });
  }

  /**
   * Group commit: kafkajs hands over one batch per partition, all partitions of a fetch at
   * once. Batches that arrive while a group is being stored wait and leave together in the
   * next group: one transaction and one offset commit for all of them, instead of one of each
   * per partition (at low rates most batches hold one or two records).
   */
  private consume(payload: EachBatchPayload, groups: Batcher<PendingBatch>): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return Promise.resolve();
    const records = batch.messages.flatMap((message) => {
      if (!message.value) return [];
      try {
        return [decodeRecord(message.value)];
      } catch {
        this.log.error({ offset: message.offset, partition: batch.partition }, "bad record");
        return [];
      }
    });
    return groups.add({ payload, records });
  }

  private async storeGroup(group: PendingBatch[], handler: BatchHandler) {
    try {
      await handler(group.flatMap((pending) => pending.records));
    } catch (error) {
      this.log.warn({ batches: group.length, err: (error as Error).message }, "persist failed");
      // Batch by batch now, each committing its offset once stored: the batches that can be
      // stored are, even while one keeps failing. (kafkajs fetches again only after every
      // batch of a fetch is done, so a failing batch still delays the next fetch.)
      await Promise.all(
        group.map(async (pending) => {
          await this.retry(pending, handler);
          await this.commit([pending]);
        }),
      );
      return;
    }
    await this.commit(group);
  }

  /** Marks the batches consumed and commits their offsets, skipping any that went stale. */
  private async commit(batches: PendingBatch[]) {
    const done = batches.filter(({ payload }) => payload.isRunning() && !payload.isStale());
    if (done.length === 0) return;
    for (const { payload } of done) payload.resolveOffset(payload.batch.lastOffset());
    await this.consumer.commitOffsets(
      done.map(({ payload: { batch } }) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: (BigInt(batch.lastOffset()) + 1n).toString(),
      })),
    );
  }

  /**
   * The database may be down: keep the batch and retry, heartbeating so we keep the
   * partition. Offsets move only after the transaction committed.
   */
  private async retry(pending: PendingBatch, handler: BatchHandler) {
    const { payload, records } = pending;
    for (let attempt = 1; ; attempt++) {
      if (!payload.isRunning() || payload.isStale()) return;
      try {
        await handler(records);
        return;
      } catch (error) {
        const { partition } = payload.batch;
        this.log.warn({ attempt, partition, err: (error as Error).message }, "persist failed");
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 250, 5000)));
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    await this.produced.drain();
    await this.consumer.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  async lag(): Promise<number> {
    const { topic, groupId } = this.options;
    const [latest, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]));
    return latest.reduce((sum, p) => {
      const at = Math.max(done.get(p.partition) ?? 0, 0);
      return sum + Math.max(Number(p.high) - at, 0);
    }, 0);
  }

  async healthy(): Promise<boolean> {
    try {
      await this.admin.describeCluster();
      return true;
    } catch {
      return false;
    }
  }
}
