import type { SubscribeResponse } from "@parley/proto";
import type { Bus } from "../bus/bus.ts";
import type { Logger } from "../logger.ts";
import { decodeEnvelope, encodeEvent } from "./envelope.ts";
import type { StreamHub } from "./hub.ts";

/**
 * Events for every connected user (an admin broadcast to everyone) travel once per instance on
 * the deployment's broadcast channel, instead of once per user on the users' channels.
 */
export function broadcastChannel(deployment: string): string {
  return `parley:broadcast:${deployment}`;
}

export async function publishToEveryone(
  bus: Bus,
  deployment: string,
  event: SubscribeResponse,
): Promise<void> {
  await bus.publish([[broadcastChannel(deployment), encodeEvent(event)]]);
}

/** Writes every event from the broadcast channel to every stream this instance holds. */
export async function listenForBroadcasts(
  bus: Bus,
  hub: StreamHub,
  log: Logger,
  deployment: string,
): Promise<void> {
  const wanted = broadcastChannel(deployment);
  bus.onMessage((channel, payload) => {
    if (channel !== wanted) return;
    try {
      const envelope = decodeEnvelope(payload);
      if (envelope?.type !== "event") return;
      for (const sink of hub.allSinks()) sink.deliver(envelope.event);
    } catch (error) {
      log.warn({ channel, err: (error as Error).message }, "undecodable broadcast");
    }
  });
  await bus.subscribe(wanted);
}
