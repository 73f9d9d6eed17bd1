import type { Prisma, PrismaClient } from "../gen/prisma/client.ts";
import { newId } from "../ids.ts";
import { placeholders } from "./errors.ts";
import { pairOf } from "./relations.ts";
import { type PublicUser, publicUserSelect } from "./users.ts";

/** A client or an open transaction: the queries here work with both. */
type Db = Prisma.TransactionClient;

export const friendRequestSelect = {
  id: true,
  fromId: true,
  toId: true,
  note: true,
  status: true,
  createdAt: true,
  from: { select: publicUserSelect },
  to: { select: publicUserSelect },
} as const;

export type FriendRequestRow = Prisma.FriendRequestGetPayload<{
  select: typeof friendRequestSelect;
}>;

function directKeyOf(a: string, b: string): string {
  const [low, high] = pairOf(a, b);
  return `${low}:${high}`;
}

/**
 * Makes sure the pair's direct conversation row exists. Run it outside a transaction: the
 * insert commits at once, so the row can be locked later without a lock upgrade.
 * The row may stay without members (a request never accepted); nothing lists such a row.
 */
export async function ensureDirectConversation(db: PrismaClient, a: string, b: string) {
  await db.$executeRawUnsafe(
    "INSERT IGNORE INTO conversations (id, kind, direct_key) VALUES (?, 'direct', ?)",
    newId(),
    directKeyOf(a, b),
  );
}

/**
 * Locks the pair's direct conversation row for the rest of the transaction and returns its
 * id. Every change between two users takes this lock first, and so does the persister
 * before it stores a direct message, so requests, friendships, blocks and messages of one
 * pair are serialised.
 */
export async function lockDirectConversation(tx: Db, a: string, b: string): Promise<string> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    "SELECT id FROM conversations WHERE direct_key = ? FOR UPDATE",
    directKeyOf(a, b),
  );
  const id = rows[0]?.id;
  if (!id) throw new Error("direct conversation missing: call ensureDirectConversation first");
  return id;
}

export function findFriendship(db: Db, a: string, b: string) {
  const [userLowId, userHighId] = pairOf(a, b);
  return db.friendship.findUnique({
    where: { userLowId_userHighId: { userLowId, userHighId } },
    select: { conversationId: true, createdAt: true },
  });
}

/** Inserts the friendship and makes both users members of the direct conversation. */
export async function insertFriendship(db: Db, a: string, b: string, conversationId: string) {
  const [userLowId, userHighId] = pairOf(a, b);
  await db.$executeRawUnsafe(
    "INSERT IGNORE INTO conversation_members (conversation_id, user_id) VALUES (?, ?), (?, ?)",
    conversationId,
    userLowId,
    conversationId,
    userHighId,
  );
  return db.friendship.create({
    data: { userLowId, userHighId, conversationId },
    select: { conversationId: true, createdAt: true },
  });
}

/** Ends a friendship; the direct conversation and its history stay. False when none. */
export async function deleteFriendship(db: Db, a: string, b: string): Promise<boolean> {
  const [userLowId, userHighId] = pairOf(a, b);
  const result = await db.friendship.deleteMany({ where: { userLowId, userHighId } });
  return result.count > 0;
}

export function findFriendRequest(db: Db, id: string) {
  return db.friendRequest.findUnique({ where: { id }, select: friendRequestSelect });
}

/** The pending request from one user to another, if any. */
export function findPendingRequest(db: Db, fromId: string, toId: string) {
  return db.friendRequest.findUnique({
    where: { pendingKey: `${fromId}:${toId}` },
    select: friendRequestSelect,
  });
}

export function createFriendRequest(
  db: Db,
  request: { fromId: string; toId: string; note: string | null },
) {
  return db.friendRequest.create({
    data: {
      id: newId(),
      ...request,
      status: "pending",
      pendingKey: `${request.fromId}:${request.toId}`,
    },
    select: friendRequestSelect,
  });
}

/** Ends a pending request with an outcome; false when it was no longer pending. */
export async function settleFriendRequest(
  db: Db,
  id: string,
  status: "accepted" | "declined" | "cancelled",
): Promise<boolean> {
  const result = await db.friendRequest.updateMany({
    where: { id, status: "pending" },
    data: { status, pendingKey: null, respondedAt: new Date() },
  });
  return result.count === 1;
}

/** Pending requests to a user (incoming) or from a user (outgoing), newest first. */
export function listPendingRequests(db: Db, userId: string, direction: "incoming" | "outgoing") {
  return db.friendRequest.findMany({
    where:
      direction === "incoming"
        ? { toId: userId, status: "pending" }
        : { fromId: userId, status: "pending" },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: friendRequestSelect,
  });
}

export interface FriendRow {
  user: PublicUser;
  conversationId: string;
  since: Date;
}

/** A user's friends with their direct conversations, by display name. */
export async function listFriends(db: Db, userId: string): Promise<FriendRow[]> {
  const rows = await db.friendship.findMany({
    where: { OR: [{ userLowId: userId }, { userHighId: userId }] },
    select: {
      conversationId: true,
      createdAt: true,
      userLow: { select: publicUserSelect },
      userHigh: { select: publicUserSelect },
    },
  });
  return rows
    .map((row) => ({
      user: row.userLow.id === userId ? row.userHigh : row.userLow,
      conversationId: row.conversationId,
      since: row.createdAt,
    }))
    .sort((a, b) => a.user.displayName.localeCompare(b.user.displayName));
}

/** Which of the candidates are friends of the user. */
export async function findFriendIds(db: Db, userId: string, candidates: string[]) {
  if (candidates.length === 0) return new Set<string>();
  const list = placeholders(candidates.length);
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT user_high_id AS id FROM friendships WHERE user_low_id = ? AND user_high_id IN (${list})
     UNION SELECT user_low_id FROM friendships WHERE user_high_id = ? AND user_low_id IN (${list})`,
    userId,
    ...candidates,
    userId,
    ...candidates,
  );
  return new Set(rows.map((r) => r.id));
}
