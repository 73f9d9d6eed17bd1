import type { Message, Producer } from "kafkajs";

interface Pending {
  message: Message;
  resolve: () => void;
  reject: (error: Error) => void;
}

// Large enough to carry a burst in one request, small enough to stay well under 1 MB.
const MAX_BATCH = 1000;

/**
 * Micro-batching: while one produce request is in flight, new sends queue up and leave
 * together in the next request, so thousands of concurrent sends share a few round trips.
 * Each send resolves when the broker acknowledged its batch (acks = all).
 */
export class ProducerBatcher {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  send(key: string, value: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { key, value }, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once everything queued so far was acknowledged or failed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush() {
    // Let the sends of this tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: batch.map((pending) => pending.message),
        });
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error as Error);
      }
    }
    this.flushing = undefined;
  }
}
