import {
  deleteFriendship,
  type FriendRequestRow,
  type FriendRow,
  findBlockedIds,
  findBlockerIds,
  findUsersByIds,
  listFriends,
} from "@parley/db";
import { type Friend, FriendEventKind, type Presence } from "@parley/proto";
import { invalid, notFound } from "../errors.ts";
import { toUser } from "../messages/convert.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";
import { toFriend, toFriendRequest } from "./convert.ts";
import { conversationChanged, publishFriendEvent } from "./events.ts";
import { withPairLocked } from "./pair.ts";

/** The caller's friends, each with the direct conversation and presence (none across a block). */
export async function listFriendsOf(rt: Runtime, userId: string) {
  const [rows, blocked, blockers] = await Promise.all([
    listFriends(rt.db, userId),
    findBlockedIds(rt.db, userId),
    findBlockerIds(rt.db, userId),
  ]);
  const hidden = new Set([...blocked, ...blockers]);
  const visible = rows.map((r) => r.user.id).filter((id) => !hidden.has(id));
  const presences = await rt.presence.describe(visible);
  const byUser = new Map(presences.map((p) => [p.userId, p]));
  return { friends: rows.map((row) => toFriend(row, byUser.get(row.user.id))) };
}

/**
 * Tells both users of an accepted request that they are friends now, each with the other as
 * the friend; returns those Friend views by user. `silent` only builds them (a repeated accept).
 */
export async function announceFriendship(
  rt: Runtime,
  request: FriendRequestRow,
  conversationId: string,
  options: { since: Date; silent?: boolean },
): Promise<Map<string, Friend>> {
  const presences = await rt.presence.describe([request.fromId, request.toId]);
  const presenceOf = (id: string): Presence | undefined => presences.find((p) => p.userId === id);
  const view = (other: FriendRequestRow["from"]): FriendRow => ({
    user: other,
    conversationId,
    since: options.since,
  });
  const friends = new Map([
    [request.fromId, toFriend(view(request.to), presenceOf(request.toId))],
    [request.toId, toFriend(view(request.from), presenceOf(request.fromId))],
  ]);
  if (options.silent) return friends;
  const accepted = toFriendRequest(request, "accepted");
  await Promise.all(
    [...friends].map(([userId, friend]) =>
      publishFriendEvent(rt, [userId], {
        kind: FriendEventKind.REQUEST_ACCEPTED,
        request: accepted,
        friend,
      }),
    ),
  );
  return friends;
}

/** Ends a friendship. The direct conversation closes for new messages and keeps its history. */
export async function removeFriend(rt: Runtime, userId: string, other: string) {
  const otherId = requireId("user_id", other);
  if (otherId === userId) throw invalid("user_id", "cannot be yourself");

  const conversationId = await withPairLocked(rt, userId, otherId, async (tx, id) => {
    if (!(await deleteFriendship(tx, userId, otherId))) throw notFound("friend");
    return id;
  });

  await conversationChanged(rt, conversationId);
  // Each side hears about the other user.
  const users = await findUsersByIds(rt.db, [userId, otherId]);
  await Promise.all(
    users.map((user) =>
      publishFriendEvent(rt, [user.id === userId ? otherId : userId], {
        kind: FriendEventKind.FRIEND_REMOVED,
        user: toUser(user),
      }),
    ),
  );
  return {};
}
