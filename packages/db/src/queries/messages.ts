import type { PrismaClient } from "../gen/prisma/client.ts";
import { findAllowedSenders, findBlockersOf } from "./blocks.ts";
import { placeholders } from "./errors.ts";

export interface IncomingMessage {
  id: string;
  conversationId: string;
  senderId: string;
  clientMessageId: string;
  kind: "text" | "file" | "system";
  body: string;
  fileId?: string | undefined;
  createdAt: Date;
}

export interface StoredMessage extends IncomingMessage {
  seq: number;
}

export interface PersistResult {
  stored: StoredMessage[];
  /** Active members of each conversation that got messages: who to deliver to. */
  recipients: Map<string, string[]>;
  /** For each sender of a stored message, the users who block them. */
  blockedBy: Map<string, Set<string>>;
}

type Existing = { sender_id: string; client_message_id: string };

/**
 * Stores a batch in one transaction: locks the conversations, gives each new message the
 * next seq, and skips any (sender, clientMessageId) already stored, so a redelivered batch
 * changes nothing. Messages for a conversation that does not exist are dropped, and so are
 * those whose sender may no longer post there (removed, unfriended, blocked since Send).
 */
export function persistMessages(
  db: PrismaClient,
  batch: IncomingMessage[],
): Promise<PersistResult> {
  return db.$transaction(
    async (tx) => {
      const conversationIds = [...new Set(batch.map((m) => m.conversationId))].sort();
      const locked = await tx.$queryRawUnsafe<Array<{ id: string; last_seq: number }>>(
        `SELECT id, last_seq FROM conversations WHERE id IN (${placeholders(conversationIds.length)})
          ORDER BY id FOR UPDATE`,
        ...conversationIds,
      );
      const lastSeq = new Map(locked.map((row) => [row.id, row.last_seq]));
      const seen = await findStoredKeys(tx as unknown as PrismaClient, batch);
      const allowed = await findAllowedSenders(tx, batch);
      const stored: StoredMessage[] = [];
      for (const message of batch) {
        const key = `${message.senderId}\u0000${message.clientMessageId}`;
        const last = lastSeq.get(message.conversationId);
        if (last === undefined || seen.has(key)) continue;
        const rights = `${message.conversationId}:${message.senderId}`;
        if (message.kind !== "system" && !allowed.has(rights)) continue;
        seen.add(key);
        lastSeq.set(message.conversationId, last + 1);
        stored.push({ ...message, seq: last + 1 });
      }
      if (stored.length > 0) await writeMessages(tx as unknown as PrismaClient, stored);
      const recipients = await findRecipients(tx as unknown as PrismaClient, stored);
      const blockedBy = await findBlockersOf(tx, [...new Set(stored.map((m) => m.senderId))]);
      return { stored, recipients, blockedBy };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function findStoredKeys(db: PrismaClient, batch: IncomingMessage[]) {
  const senders = [...new Set(batch.map((m) => m.senderId))];
  const keys = [...new Set(batch.map((m) => m.clientMessageId))];
  const rows = await db.$queryRawUnsafe<Existing[]>(
    `SELECT sender_id, client_message_id FROM messages
      WHERE sender_id IN (${placeholders(senders.length)})
        AND client_message_id IN (${placeholders(keys.length)})`,
    ...senders,
    ...keys,
  );
  return new Set(rows.map((r) => `${r.sender_id}\u0000${r.client_message_id}`));
}

async function writeMessages(db: PrismaClient, stored: StoredMessage[]) {
  const values = stored.flatMap((m) => [
    m.id,
    m.conversationId,
    m.seq,
    m.senderId,
    m.clientMessageId,
    m.kind,
    m.body,
    m.fileId ?? null,
    m.createdAt,
  ]);
  const rows = stored.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
  await db.$executeRawUnsafe(
    `INSERT INTO messages
       (id, conversation_id, seq, sender_id, client_message_id, kind, body, file_id, created_at)
     VALUES ${rows}`,
    ...values,
  );
  // One statement each, whatever the number of conversations: a loop of single-row UPDATEs
  // made a batch's cost grow by two round trips per conversation.
  const latest = new Map<string, StoredMessage>();
  for (const m of stored) latest.set(m.conversationId, m);
  const last = [...latest.values()];
  await db.$executeRawUnsafe(
    `UPDATE conversations c JOIN (${derivedRows(last.length, ["id", "seq", "at"])}) v
        ON c.id = v.id
        SET c.last_seq = v.seq, c.last_message_at = v.at`,
    ...last.flatMap((m) => [m.conversationId, m.seq, m.createdAt]),
  );
  // Sending a message means having read everything before it.
  const senderSeq = new Map<string, StoredMessage>();
  for (const m of stored) senderSeq.set(`${m.conversationId}:${m.senderId}`, m);
  const read = [...senderSeq.values()];
  await db.$executeRawUnsafe(
    `UPDATE conversation_members cm JOIN (${derivedRows(read.length, ["cid", "uid", "seq"])}) v
        ON cm.conversation_id = v.cid AND cm.user_id = v.uid
        SET cm.read_seq = GREATEST(cm.read_seq, v.seq)`,
    ...read.flatMap((m) => [m.conversationId, m.senderId, m.seq]),
  );
}

/** `SELECT ? AS a, ? AS b UNION ALL SELECT ?, ? ...`: n rows of placeholders to join against. */
function derivedRows(n: number, columns: string[]): string {
  const first = `SELECT ${columns.map((c) => `? AS ${c}`).join(", ")}`;
  const rest = `SELECT ${placeholders(columns.length)}`;
  return [first, ...Array.from({ length: n - 1 }, () => rest)].join(" UNION ALL ");
}

async function findRecipients(db: PrismaClient, stored: StoredMessage[]) {
  const ids = [...new Set(stored.map((m) => m.conversationId))];
  const recipients = new Map<string, string[]>();
  if (ids.length === 0) return recipients;
  const rows = await db.$queryRawUnsafe<Array<{ conversation_id: string; user_id: string }>>(
    `SELECT conversation_id, user_id FROM conversation_members
      WHERE conversation_id IN (${placeholders(ids.length)}) AND left_seq IS NULL`,
    ...ids,
  );
  for (const row of rows) {
    const list = recipients.get(row.conversation_id) ?? [];
    list.push(row.user_id);
    recipients.set(row.conversation_id, list);
  }
  return recipients;
}

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
