import {
  createBlock,
  deleteBlock,
  type FriendRequestRow,
  findPendingRequest,
  findUsersByIds,
  listBlockedUsers,
  type Prisma,
  settleFriendRequest,
} from "@parley/db";
import { FriendEventKind } from "@parley/proto";
import { invalid, notFound } from "../errors.ts";
import { toUser } from "../messages/convert.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";
import { toFriendRequest } from "./convert.ts";
import { conversationChanged, publishFriendEvent } from "./events.ts";
import { withPairLocked } from "./pair.ts";

async function requireOtherUser(rt: Runtime, userId: string, other: string) {
  const otherId = requireId("user_id", other);
  if (otherId === userId) throw invalid("user_id", "cannot be yourself");
  const [user] = await findUsersByIds(rt.db, [otherId]);
  if (!user) throw notFound("user");
  return user;
}

/** Ends the pending requests between two users: the blocker's cancelled, the other declined. */
async function endPendingRequests(
  tx: Prisma.TransactionClient,
  blockerId: string,
  blockedId: string,
) {
  const ended: Array<{ request: FriendRequestRow; status: "cancelled" | "declined" }> = [];
  const outgoing = await findPendingRequest(tx, blockerId, blockedId);
  if (outgoing && (await settleFriendRequest(tx, outgoing.id, "cancelled"))) {
    ended.push({ request: outgoing, status: "cancelled" });
  }
  const incoming = await findPendingRequest(tx, blockedId, blockerId);
  if (incoming && (await settleFriendRequest(tx, incoming.id, "declined"))) {
    ended.push({ request: incoming, status: "declined" });
  }
  return ended;
}

/**
 * Blocks a user: their direct messages and friend requests are refused from now on, pending
 * requests between the two end (the blocker's as cancelled, the blocked user's as declined),
 * and the persister stops delivering their messages to the blocker. Blocking twice is harmless.
 */
export async function blockUser(rt: Runtime, blockerId: string, other: string) {
  const blocked = await requireOtherUser(rt, blockerId, other);

  const outcome = await withPairLocked(rt, blockerId, blocked.id, async (tx, conversationId) => ({
    created: await createBlock(tx, blockerId, blocked.id),
    ended: await endPendingRequests(tx, blockerId, blocked.id),
    conversationId,
  }));

  await conversationChanged(rt, outcome.conversationId);
  for (const { request, status } of outcome.ended) {
    const kind =
      status === "cancelled" ? FriendEventKind.REQUEST_CANCELLED : FriendEventKind.REQUEST_DECLINED;
    await publishFriendEvent(rt, [blockerId, blocked.id], {
      kind,
      request: toFriendRequest(request, status),
    });
  }
  // The blocked state is news for the blocker's own devices only.
  if (outcome.created) {
    await publishFriendEvent(rt, [blockerId], {
      kind: FriendEventKind.BLOCKED,
      user: toUser(blocked),
    });
  }
  return {};
}

/** Lifts a block; unblocking someone not blocked is harmless. */
export async function unblockUser(rt: Runtime, blockerId: string, other: string) {
  const blocked = await requireOtherUser(rt, blockerId, other);
  const outcome = await withPairLocked(rt, blockerId, blocked.id, async (tx, conversationId) => ({
    removed: await deleteBlock(tx, blockerId, blocked.id),
    conversationId,
  }));
  if (!outcome.removed) return {};
  await conversationChanged(rt, outcome.conversationId);
  await publishFriendEvent(rt, [blockerId], {
    kind: FriendEventKind.UNBLOCKED,
    user: toUser(blocked),
  });
  return {};
}

export async function listBlocked(rt: Runtime, blockerId: string) {
  return { users: (await listBlockedUsers(rt.db, blockerId)).map(toUser) };
}
