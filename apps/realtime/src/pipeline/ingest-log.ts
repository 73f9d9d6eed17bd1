import type { IngestRecord } from "./record.ts";

/** Persists a batch of records; resolves after they are committed to the database. */
export type BatchHandler = (records: IngestRecord[]) => Promise<void>;

/**
 * The durable ingest log: Kafka in production, an in-process queue on a single instance.
 * `append` resolves once the log has the record durably (Kafka: acks from all in-sync replicas).
 */
export interface IngestLog {
  readonly name: string;
  start(handler: BatchHandler): Promise<void>;
  append(record: IngestRecord): Promise<void>;
  /** Stops consuming after the batch in flight commits, and flushes pending appends. */
  close(): Promise<void>;
  /** Messages accepted but not yet persisted, as far as this instance can tell. */
  lag(): Promise<number>;
  healthy(): Promise<boolean>;
}
