import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  logLevel,
  Partitioners,
  type Producer,
} from "kafkajs";
import type { Logger } from "../logger.ts";
import type { BatchHandler, IngestLog } from "./ingest-log.ts";
import { ProducerBatcher } from "./producer-batcher.ts";
import { decodeRecord, encodeRecord, type IngestRecord } from "./record.ts";

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
  private readonly batcher: ProducerBatcher;

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
    this.batcher = new ProducerBatcher(this.producer, options.topic);
  }

  async start(handler: BatchHandler): Promise<void> {
    await this.admin.connect();
    await this.ensureTopic();
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.log.info({ assignment: event.payload.memberAssignment }, "persister partitions");
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.options.partitions, 4),
      eachBatch: (payload) => this.consume(payload, handler),
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
    return this.batcher.send(record.conversationId, encodeRecord(record));
  }

  private async consume(payload: EachBatchPayload, handler: BatchHandler) {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    const records = batch.messages.flatMap((message) => {
      if (!message.value) return [];
      try {
        return [decodeRecord(message.value)];
      } catch {
        this.log.error({ offset: message.offset, partition: batch.partition }, "bad record");
        return [];
      }
    });
    // The database may be down: keep the batch and retry, heartbeating so we keep the
    // partition. Offsets move only after the transaction committed.
    for (let attempt = 1; ; attempt++) {
      if (!isRunning() || isStale()) return;
      try {
        await handler(records);
        break;
      } catch (error) {
        this.log.warn({ attempt, err: (error as Error).message }, "persist failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 250, 5000)));
        await heartbeat().catch(() => undefined);
      }
    }
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    payload.resolveOffset(batch.lastOffset());
    await this.consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: next },
    ]);
  }

  async close(): Promise<void> {
    await this.batcher.drain();
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
