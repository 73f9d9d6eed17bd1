import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { HeartbeatSchema, type SubscribeResponse, SubscribeResponseSchema } from "@parley/proto";
import { principalOf } from "../auth/context.ts";
import { denied, unauthenticated, unavailable } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { EventQueue } from "../streams/event-queue.ts";
import type { StreamSink } from "../streams/hub.ts";
import { buildSyncFrame } from "../streams/sync.ts";

// A slow client may lag this many events before its stream is ended (it then resyncs).
const QUEUE_LIMIT = 5_000;

function event(value: SubscribeResponse["event"]): SubscribeResponse {
  return create(SubscribeResponseSchema, { event: value });
}

/**
 * One Subscribe stream: a sync frame, then live events from the user's channel, with
 * heartbeats. Ends with UNAUTHENTICATED when the token expires, PERMISSION_DENIED on a ban.
 */
export async function* subscribe(
  rt: Runtime,
  ctx: HandlerContext,
): AsyncGenerator<SubscribeResponse> {
  const principal = principalOf(ctx);
  if (rt.draining) throw unavailable("instance shutting down; reconnect");
  const queue = new EventQueue(QUEUE_LIMIT);
  const sink = createSink(rt, principal.userId, queue);
  const timers = startTimers(rt, queue, principal.expiresAt);
  const abort = () => queue.close();
  ctx.signal.addEventListener("abort", abort);
  try {
    // Register before the sync frame, so nothing published meanwhile is missed.
    const { first } = await rt.hub.add(sink);
    rt.metrics.streamsOpen.set(rt.hub.streams);
    rt.metrics.usersOnline.set(rt.hub.users);
    if (first) void rt.presence.connected(principal.userId).catch(() => undefined);
    yield event({ case: "sync", value: await buildSyncFrame(rt, principal.userId) });
    for (;;) {
      const next = await queue.next();
      if (!next) return;
      if (next.event.case === "message" && next.event.value.createdAt) {
        const ms = Date.now() - timestampDate(next.event.value.createdAt).getTime();
        rt.metrics.deliveryLatency.observe(ms / 1000);
      }
      rt.metrics.eventsOut.inc({ kind: next.event.case ?? "none" });
      yield next;
    }
  } finally {
    for (const timer of timers) clearTimeout(timer);
    ctx.signal.removeEventListener("abort", abort);
    const { last } = rt.hub.remove(sink);
    rt.metrics.streamsOpen.set(rt.hub.streams);
    rt.metrics.usersOnline.set(rt.hub.users);
    if (last) void rt.presence.disconnected(principal.userId).catch(() => undefined);
  }
}

function createSink(rt: Runtime, userId: string, queue: EventQueue): StreamSink {
  return {
    id: randomUUID(),
    userId,
    deliver: (e) => queue.push(e),
    control(envelope) {
      if (envelope.type === "resync") {
        void buildSyncFrame(rt, userId)
          .then((frame) => queue.push(event({ case: "sync", value: frame })))
          .catch(() => queue.fail(unavailable("resync failed; reconnect")));
      } else if (envelope.code === "permission_denied") {
        queue.fail(denied(envelope.reason));
      } else {
        queue.fail(unauthenticated(envelope.reason));
      }
    },
  };
}

function startTimers(rt: Runtime, queue: EventQueue, expiresAt: number) {
  const beat = () =>
    queue.push(
      event({ case: "heartbeat", value: create(HeartbeatSchema, { serverTime: timestampNow() }) }),
    );
  const heartbeat = setInterval(beat, rt.config.HEARTBEAT_SECONDS * 1000);
  // setTimeout holds at most ~24.8 days; access tokens live minutes.
  const expiry = setTimeout(
    () => queue.fail(new ConnectError("access token: expired", Code.Unauthenticated)),
    Math.max(expiresAt - Date.now(), 0),
  );
  return [heartbeat, expiry];
}
