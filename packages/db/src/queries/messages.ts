import type { PrismaClient } from "../gen/prisma/client.ts";

export const messageSelect = {
  id: true,
  conversationId: true,
  seq: true,
  senderId: true,
  clientMessageId: true,
  kind: true,
  body: true,
  createdAt: true,
  recalledAt: true,
  deletedAt: true,
  file: { select: { id: true, name: true, size: true, mediaType: true, sha256: true } },
} as const;

export interface HistoryPage {
  conversationId: string;
  direction: "before" | "after";
  /** Exclusive bound in the direction of travel; 0 with "before" means from the newest. */
  anchorSeq: number;
  limit: number;
  /** Visible range for this reader: seq > afterSeq and seq <= upToSeq (null = no bound). */
  afterSeq: number;
  upToSeq: number | null;
}

/** One page of history by seq (no OFFSET), always returned in ascending seq order. */
export async function findMessages(db: PrismaClient, page: HistoryPage) {
  const range: { gt?: number; lt?: number; lte?: number } = { gt: page.afterSeq };
  if (page.direction === "after") range.gt = Math.max(page.afterSeq, page.anchorSeq);
  if (page.upToSeq !== null) range.lte = page.upToSeq;
  if (page.direction === "before" && page.anchorSeq > 0) range.lt = page.anchorSeq;
  const rows = await db.message.findMany({
    where: { conversationId: page.conversationId, seq: range },
    orderBy: { seq: page.direction === "before" ? "desc" : "asc" },
    take: page.limit + 1,
    select: messageSelect,
  });
  const hasMore = rows.length > page.limit;
  const messages = rows.slice(0, page.limit);
  if (page.direction === "before") messages.reverse();
  return { messages, hasMore };
}

/** The message a sender stored under a client message id, if any. */
export function findMessageByClientId(db: PrismaClient, senderId: string, clientMessageId: string) {
  return db.message.findUnique({
    where: { senderId_clientMessageId: { senderId, clientMessageId } },
    select: { id: true, seq: true, conversationId: true, createdAt: true },
  });
}

/** The newest message of each (conversation, seq) pair given, for previews. */
export async function findMessagesAt(db: PrismaClient, keys: Array<{ id: string; seq: number }>) {
  const wanted = keys.filter((k) => k.seq > 0);
  if (wanted.length === 0) return [];
  return db.message.findMany({
    where: { OR: wanted.map((k) => ({ conversationId: k.id, seq: k.seq })) },
    select: messageSelect,
  });
}

export function findMessageById(db: PrismaClient, id: string) {
  return db.message.findUnique({ where: { id }, select: messageSelect });
}

/** Blanks a message's body and marks it recalled; false when it was already gone. */
export async function recallMessage(db: PrismaClient, id: string, at: Date) {
  const result = await db.message.updateMany({
    where: { id, recalledAt: null, deletedAt: null },
    data: { recalledAt: at, body: "" },
  });
  return result.count === 1;
}
