import type { SubscribeResponse } from "@parley/proto";
import { type Bus, CONTROL_CHANNEL, userChannel } from "../bus/bus.ts";
import { type Envelope, encodeControl, encodeEvent } from "./envelope.ts";

/** Instance-wide news: caches to drop, users whose access changed. */
export type ControlMessage =
  | { type: "conversation-changed"; conversationId: string }
  | { type: "user-changed"; userId: string };

/** Sends events to users' channels and control messages to every instance. */
export class Publisher {
  constructor(private readonly bus: Bus) {}

  /** One event to many users: encoded once, published in one pipeline. */
  async toUsers(userIds: Iterable<string>, event: SubscribeResponse): Promise<void> {
    const payload = encodeEvent(event);
    const items = [...new Set(userIds)].map((id) => [userChannel(id), payload] as const);
    await this.bus.publish(items);
  }

  /** Many (users, event) pairs in one round trip. */
  async many(deliveries: Array<{ userIds: string[]; event: SubscribeResponse }>): Promise<void> {
    const items: Array<readonly [string, Buffer]> = [];
    for (const { userIds, event } of deliveries) {
      const payload = encodeEvent(event);
      for (const id of userIds) items.push([userChannel(id), payload]);
    }
    await this.bus.publish(items);
  }

  /** Ends or resyncs every stream of a user, on whichever instance holds them. */
  async controlUser(userId: string, envelope: Exclude<Envelope, { type: "event" }>) {
    await this.bus.publish([[userChannel(userId), encodeControl(envelope)]]);
  }

  async control(message: ControlMessage): Promise<void> {
    await this.bus.publish([[CONTROL_CHANNEL, Buffer.from(JSON.stringify(message))]]);
  }
}
