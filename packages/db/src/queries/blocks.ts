import type { Prisma } from "../gen/prisma/client.ts";
import { placeholders } from "./errors.ts";
import { messageSelect } from "./messages.ts";
import { publicUserSelect } from "./users.ts";

/** A client or an open transaction: the queries here work with both. */
type Db = Prisma.TransactionClient;

/** Whether each of two users blocks the other. */
export async function findBlocksBetween(db: Db, a: string, b: string) {
  const rows = await db.block.findMany({
    where: {
      OR: [
        { blockerId: a, blockedId: b },
        { blockerId: b, blockedId: a },
      ],
    },
    select: { blockerId: true },
  });
  return {
    aBlocksB: rows.some((r) => r.blockerId === a),
    bBlocksA: rows.some((r) => r.blockerId === b),
  };
}

/** Blocks a user; false when the block already existed. */
export async function createBlock(db: Db, blockerId: string, blockedId: string) {
  const inserted = await db.$executeRawUnsafe(
    "INSERT IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)",
    blockerId,
    blockedId,
  );
  return inserted > 0;
}

/** Lifts a block; false when there was none. */
export async function deleteBlock(db: Db, blockerId: string, blockedId: string) {
  const result = await db.block.deleteMany({ where: { blockerId, blockedId } });
  return result.count > 0;
}

/** The users someone blocks, newest block first. */
export async function listBlockedUsers(db: Db, blockerId: string) {
  const rows = await db.block.findMany({
    where: { blockerId },
    orderBy: { createdAt: "desc" },
    select: { blocked: { select: publicUserSelect } },
  });
  return rows.map((r) => r.blocked);
}

export async function findBlockedIds(db: Db, blockerId: string): Promise<string[]> {
  const rows = await db.block.findMany({ where: { blockerId }, select: { blockedId: true } });
  return rows.map((r) => r.blockedId);
}

/** The users who block this one: they must not hear from them. */
export async function findBlockerIds(db: Db, blockedId: string): Promise<string[]> {
  const rows = await db.block.findMany({ where: { blockedId }, select: { blockerId: true } });
  return rows.map((r) => r.blockerId);
}

/** A reader's unread range in one conversation: seq > afterSeq and seq <= upToSeq. */
export interface SeqRange {
  conversationId: string;
  afterSeq: number;
  upToSeq: number;
}

/** How many messages (not system ones) in each range come from the given senders. */
export async function countMessagesFrom(db: Db, senderIds: string[], ranges: SeqRange[]) {
  const counts = new Map<string, number>();
  const wanted = ranges.filter((r) => r.upToSeq > r.afterSeq);
  if (senderIds.length === 0 || wanted.length === 0) return counts;
  const where = wanted.map(() => "(conversation_id = ? AND seq > ? AND seq <= ?)").join(" OR ");
  const rows = await db.$queryRawUnsafe<Array<{ conversation_id: string; n: bigint | number }>>(
    `SELECT conversation_id, COUNT(*) AS n FROM messages
      WHERE sender_id IN (${placeholders(senderIds.length)}) AND kind <> 'system' AND (${where})
      GROUP BY conversation_id`,
    ...senderIds,
    ...wanted.flatMap((r) => [r.conversationId, r.afterSeq, r.upToSeq]),
  );
  for (const row of rows) counts.set(row.conversation_id, Number(row.n));
  return counts;
}

/** The newest message in a range not from the given senders (system ones count), for a preview. */
export function findLatestMessageExcept(db: Db, senderIds: string[], range: SeqRange) {
  return db.message.findFirst({
    where: {
      conversationId: range.conversationId,
      seq: { gt: range.afterSeq, lte: range.upToSeq },
      OR: [{ senderId: { notIn: senderIds } }, { kind: "system" }],
    },
    orderBy: { seq: "desc" },
    select: messageSelect,
  });
}
