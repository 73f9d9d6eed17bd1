import { create } from "@bufbuild/protobuf";
import {
  type Friend,
  type FriendEventKind,
  FriendEventSchema,
  type FriendRequest,
  SubscribeResponseSchema,
  type User,
} from "@parley/proto";
import type { Runtime } from "../runtime.ts";

export interface FriendNews {
  kind: FriendEventKind;
  request?: FriendRequest;
  friend?: Friend;
  user?: User;
}

/** Puts a FriendEvent on the streams of the given users (all their devices). */
export async function publishFriendEvent(rt: Runtime, userIds: string[], news: FriendNews) {
  const value = create(FriendEventSchema, news);
  const event = create(SubscribeResponseSchema, { event: { case: "friend", value } });
  await rt.publisher.toUsers(userIds, event);
}

/** Drops the cached posting rights of a direct conversation here and on every instance. */
export async function conversationChanged(rt: Runtime, conversationId: string) {
  rt.access.invalidate(conversationId);
  await rt.publisher.control({ type: "conversation-changed", conversationId });
}
