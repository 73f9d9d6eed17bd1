import type { SubscribeResponse } from "@parley/proto";

/**
 * The events waiting for one stream. The stream's generator awaits `next()`; producers push.
 * A stream that falls too far behind is ended rather than buffered without bound: its client
 * reconnects and catches up from history.
 */
export class EventQueue {
  private readonly items: SubscribeResponse[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly limit: number) {}

  push(event: SubscribeResponse): void {
    if (this.closed) return;
    if (this.items.length >= this.limit) {
      this.fail(new Error("stream fell behind"));
      return;
    }
    this.items.push(event);
    this.wake();
  }

  /** Ends the stream with an error after what is already queued is dropped. */
  fail(error: Error): void {
    if (this.closed) return;
    this.failure = error;
    this.closed = true;
    this.items.length = 0;
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** The next event, or undefined once closed; throws the failure that ended the queue. */
  async next(): Promise<SubscribeResponse | undefined> {
    while (this.items.length === 0) {
      if (this.failure) throw this.failure;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    return this.items.shift();
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
