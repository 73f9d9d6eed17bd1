import type { Logger } from "../logger.ts";
import type { BatchHandler, IngestLog } from "./ingest-log.ts";
import type { IngestRecord } from "./record.ts";

/**
 * The ingest log of a single instance without Kafka: records wait in memory and are persisted
 * in order, in batches. Not durable across a crash; the start-up log says so.
 */
export class MemoryLog implements IngestLog {
  readonly name = "memory";
  private queue: IngestRecord[] = [];
  private waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private handler: BatchHandler | undefined;
  private draining: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
  }

  append(record: IngestRecord): Promise<void> {
    this.queue.push(record);
    const accepted = new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
    this.draining ??= this.drain();
    return accepted;
  }

  private async drain() {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      const waiters = this.waiting.splice(0, batch.length);
      // In memory the record is only safe once stored, so Send waits for the database.
      await this.persistWithRetry(batch);
      for (const waiter of waiters) waiter.resolve();
    }
    this.draining = undefined;
  }

  private async persistWithRetry(batch: IngestRecord[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler?.(batch);
        return;
      } catch (error) {
        this.log.warn({ attempt, err: (error as Error).message }, "persist failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 200, 5000)));
      }
    }
  }

  async close(): Promise<void> {
    await this.draining;
  }

  async lag(): Promise<number> {
    return this.queue.length;
  }

  async healthy(): Promise<boolean> {
    return true;
  }
}
