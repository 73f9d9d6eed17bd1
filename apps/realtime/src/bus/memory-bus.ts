import type { Bus } from "./bus.ts";

/** The bus of a single instance without Redis: delivery is a function call. */
export class MemoryBus implements Bus {
  private readonly channels = new Set<string>();
  private readonly handlers: Array<(channel: string, payload: Buffer) => void> = [];

  async publish(items: ReadonlyArray<readonly [string, Buffer]>): Promise<void> {
    for (const [channel, payload] of items) {
      if (!this.channels.has(channel)) continue;
      for (const handler of this.handlers) handler(channel, payload);
    }
  }

  async subscribe(channel: string): Promise<void> {
    this.channels.add(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.channels.delete(channel);
  }

  onMessage(handler: (channel: string, payload: Buffer) => void): void {
    this.handlers.push(handler);
  }

  onReconnect(): void {}

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
