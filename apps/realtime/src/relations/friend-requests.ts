import {
  createFriendRequest,
  type FriendRequestRow,
  findBlocksBetween,
  findFriendRequest,
  findFriendship,
  findPendingRequest,
  findUsersByIds,
  insertFriendship,
  listPendingRequests,
  type Prisma,
  settleFriendRequest,
} from "@parley/db";
import { FriendEventKind, RequestDirection } from "@parley/proto";
import { conflict, denied, invalid, notFound, precondition } from "../errors.ts";
import { checkText, requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";
import { toFriendRequest } from "./convert.ts";
import { conversationChanged, publishFriendEvent } from "./events.ts";
import { announceFriendship } from "./friends.ts";
import { withPairLocked } from "./pair.ts";

const NOTE_MAX_CHARS = 200;

type SendOutcome =
  | { type: "created" | "repeated"; request: FriendRequestRow }
  | { type: "merged"; request: FriendRequestRow; conversationId: string; since: Date };

/** Decides a new request under the pair lock: refuse, merge with a crossing one, or store. */
async function decideRequest(
  tx: Prisma.TransactionClient,
  request: { fromId: string; toId: string; note: string | null },
  conversationId: string,
): Promise<SendOutcome> {
  const { fromId, toId } = request;
  const blocks = await findBlocksBetween(tx, fromId, toId);
  if (blocks.bBlocksA) throw denied("to_user_id: this user does not accept your requests");
  if (blocks.aBlocksB) throw precondition("to_user_id: you block this user; unblock first");
  if (await findFriendship(tx, fromId, toId)) throw conflict("to_user_id: already your friend");
  const crossing = await findPendingRequest(tx, toId, fromId);
  if (crossing) {
    await settleFriendRequest(tx, crossing.id, "accepted");
    const friendship = await insertFriendship(tx, fromId, toId, conversationId);
    return { type: "merged", request: crossing, conversationId, since: friendship.createdAt };
  }
  const pending = await findPendingRequest(tx, fromId, toId);
  if (pending) return { type: "repeated", request: pending };
  return { type: "created", request: await createFriendRequest(tx, request) };
}

/**
 * Asks `toId` for friendship. A pending request the other way is accepted instead, so two
 * requests that cross end as one friendship; repeating a pending request returns it.
 */
export async function sendFriendRequest(rt: Runtime, fromId: string, to: string, note: string) {
  const toId = requireId("to_user_id", to);
  if (toId === fromId) throw invalid("to_user_id", "cannot be yourself");
  const text = note.trim();
  checkText("note", text, NOTE_MAX_CHARS, NOTE_MAX_CHARS * 4);
  const [target] = await findUsersByIds(rt.db, [toId]);
  if (!target) throw notFound("user");

  const request = { fromId, toId, note: text || null };
  const outcome = await withPairLocked(rt, fromId, toId, (tx, conversationId) =>
    decideRequest(tx, request, conversationId),
  );

  if (outcome.type === "merged") {
    await conversationChanged(rt, outcome.conversationId);
    const friends = await announceFriendship(rt, outcome.request, outcome.conversationId, {
      since: outcome.since,
    });
    return { friend: friends.get(fromId) };
  }
  if (outcome.type === "created") {
    // The sender's other devices get it too; `request.from` tells them it is outgoing.
    await publishFriendEvent(rt, [toId, fromId], {
      kind: FriendEventKind.REQUEST_RECEIVED,
      request: toFriendRequest(outcome.request),
    });
  }
  return { request: toFriendRequest(outcome.request) };
}

/** Accepts a request sent to the caller; accepting it again returns the same friend. */
export async function acceptFriendRequest(rt: Runtime, userId: string, id: string) {
  const requestId = requireId("request_id", id);
  const found = await findFriendRequest(rt.db, requestId);
  if (!found || found.toId !== userId) throw notFound("friend request");

  const outcome = await withPairLocked(rt, found.fromId, userId, async (tx, conversationId) => {
    const request = (await findFriendRequest(tx, requestId)) ?? found;
    const existing = await findFriendship(tx, request.fromId, userId);
    if (request.status === "accepted" && existing) {
      return { request, conversationId, since: existing.createdAt, changed: false };
    }
    if (request.status !== "pending") {
      throw precondition(`request_id: the request is ${request.status}, no longer pending`);
    }
    await settleFriendRequest(tx, request.id, "accepted");
    const friendship =
      existing ?? (await insertFriendship(tx, request.fromId, userId, conversationId));
    return { request, conversationId, since: friendship.createdAt, changed: true };
  });

  if (outcome.changed) await conversationChanged(rt, outcome.conversationId);
  const friends = await announceFriendship(rt, outcome.request, outcome.conversationId, {
    since: outcome.since,
    silent: !outcome.changed,
  });
  return { friend: friends.get(userId) };
}

const SETTLE = {
  declined: { party: "toId", kind: FriendEventKind.REQUEST_DECLINED },
  cancelled: { party: "fromId", kind: FriendEventKind.REQUEST_CANCELLED },
} as const;

/**
 * Declines (the recipient) or cancels (the sender) a pending request. Doing it twice is
 * harmless; a request that ended otherwise cannot change.
 */
export async function settleRequest(
  rt: Runtime,
  userId: string,
  id: string,
  status: keyof typeof SETTLE,
) {
  const requestId = requireId("request_id", id);
  const { party, kind } = SETTLE[status];
  const found = await findFriendRequest(rt.db, requestId);
  if (!found || found[party] !== userId) throw notFound("friend request");

  const changed = await withPairLocked(rt, found.fromId, found.toId, async (tx) => {
    const request = (await findFriendRequest(tx, requestId)) ?? found;
    if (request.status === status) return false;
    if (request.status !== "pending") {
      throw precondition(`request_id: the request is ${request.status}, no longer pending`);
    }
    return settleFriendRequest(tx, request.id, status);
  });

  if (changed) {
    const request = toFriendRequest(found, status);
    await publishFriendEvent(rt, [found.fromId, found.toId], { kind, request });
  }
  return {};
}

const DIRECTIONS = {
  [RequestDirection.UNSPECIFIED]: ["incoming", "outgoing"],
  [RequestDirection.INCOMING]: ["incoming"],
  [RequestDirection.OUTGOING]: ["outgoing"],
} as const;

/** Pending requests to the caller, from the caller, or both when no direction is given. */
export async function listFriendRequests(rt: Runtime, userId: string, direction: number) {
  const wanted = DIRECTIONS[direction as RequestDirection];
  if (!wanted) throw invalid("direction", "incoming, outgoing or unspecified");
  const lists = await Promise.all(wanted.map((d) => listPendingRequests(rt.db, userId, d)));
  const requests = lists.flat().sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { requests: requests.map((r) => toFriendRequest(r)) };
}
