import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { type SubscribeResponse, SubscribeResponseSchema } from "@parley/proto";

/** What travels on a user's channel: an event for their streams, or an order to end them. */
export type Envelope =
  | { type: "event"; event: SubscribeResponse }
  | { type: "end"; code: "unauthenticated" | "permission_denied"; reason: string }
  | { type: "resync" };

const EVENT = 1;
const CONTROL = 2;

export function encodeEvent(event: SubscribeResponse): Buffer {
  const body = toBinary(SubscribeResponseSchema, event);
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = EVENT;
  out.set(body, 1);
  return out;
}

export function encodeControl(envelope: Exclude<Envelope, { type: "event" }>): Buffer {
  return Buffer.concat([Buffer.from([CONTROL]), Buffer.from(JSON.stringify(envelope))]);
}

/** Decodes a channel payload; undefined for anything this version does not understand. */
export function decodeEnvelope(payload: Buffer): Envelope | undefined {
  if (payload[0] === EVENT) {
    return { type: "event", event: fromBinary(SubscribeResponseSchema, payload.subarray(1)) };
  }
  if (payload[0] === CONTROL) {
    return JSON.parse(payload.subarray(1).toString()) as Envelope;
  }
  return undefined;
}
