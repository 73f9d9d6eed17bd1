interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Natural batching: while one call of `handle` is in flight, new items queue up and go
 * together in the next call, so thousands of concurrent callers share a few round trips and
 * the batches grow with the load instead of a fixed wait. Each `add` resolves when its batch
 * was handled, or rejects with the batch's error.
 */
export class Batcher<T> {
  private queue: Pending<T>[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly handle: (items: T[]) => Promise<void>,
    private readonly maxBatch = Number.POSITIVE_INFINITY,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once everything queued so far was handled or failed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush() {
    // Let the items of this tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.handle(batch.map((pending) => pending.item));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error as Error);
      }
    }
    this.flushing = undefined;
  }
}
