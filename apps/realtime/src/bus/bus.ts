/** Fans events out between realtime instances: one channel per user, plus a control channel. */
export interface Bus {
  /** Publishes many payloads in one round trip; failures are logged, never thrown. */
  publish(items: ReadonlyArray<readonly [channel: string, payload: Buffer]>): Promise<void>;
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** Called for every payload on a channel this instance subscribed to. */
  onMessage(handler: (channel: string, payload: Buffer) => void): void;
  /** Called after the bus lost its connection and subscribed again: events may be missing. */
  onReconnect(handler: () => void): void;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const CONTROL_CHANNEL = "parley:control";

export function userChannel(userId: string): string {
  return `parley:user:${userId}`;
}

/** The channel's user id, or undefined for other channels. */
export function userIdOfChannel(channel: string): string | undefined {
  const prefix = "parley:user:";
  return channel.startsWith(prefix) ? channel.slice(prefix.length) : undefined;
}
