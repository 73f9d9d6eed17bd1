import { createPool, type Pool, type PoolConnection, type UpsertResult } from "mariadb";
import { placeholders } from "../queries/errors.ts";
import type { FileRefRow } from "../queries/uploads.ts";
import { parseDatabaseUrl } from "../url.ts";

/**
 * The persister's write path, on the MariaDB driver without Prisma.
 *
 * Storing a batch is the hottest database work in Parley: every delivery waits for it. Through
 * Prisma's interactive transaction it cost ten statements, each prepared, executed and closed
 * (three socket writes and a round trip), plus Prisma's own request handling, and it was most
 * of the instance's CPU in the benchmark. Here the same transaction is two round trips: each is
 * one multi-statement text query with client-side escaped placeholders.
 */

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
  /** What the message shows of its file, for a file message whose file exists. */
  file?: FileRefRow | undefined;
}

export interface PersistResult {
  stored: StoredMessage[];
  /** Active members of each conversation that got messages: who to deliver to. */
  recipients: Map<string, string[]>;
  /** For each sender of a stored message, the users who block them. */
  blockedBy: Map<string, Set<string>>;
}

export interface MessageStore {
  /**
   * Stores a batch in one transaction: locks the conversations, gives each new message the next
   * seq, and skips any (sender, clientMessageId) already stored, so a redelivered batch changes
   * nothing. Messages for a conversation that does not exist are dropped, and so are those
   * whose sender may no longer post there (removed, unfriended, blocked since Send).
   */
  persist(batch: IncomingMessage[]): Promise<PersistResult>;
  close(): Promise<void>;
}

export function createMessageStore(url: string, options: { poolSize: number }): MessageStore {
  const { host, port, user, password, database } = parseDatabaseUrl(url);
  const pool = createPool({
    host,
    port,
    user,
    password,
    database,
    connectionLimit: options.poolSize,
    multipleStatements: true,
    timezone: "Z",
    charset: "utf8mb4",
    acquireTimeout: 10_000,
  });
  return {
    persist: (batch) =>
      batch.length === 0 ? Promise.resolve(emptyResult()) : persist(pool, batch),
    close: () => pool.end(),
  };
}

function emptyResult(): PersistResult {
  return { stored: [], recipients: new Map(), blockedBy: new Map() };
}

type Row = Record<string, unknown>;
interface Statement {
  sql: string;
  values: unknown[];
}

async function persist(pool: Pool, batch: IncomingMessage[]): Promise<PersistResult> {
  const conn = await pool.getConnection();
  try {
    const result = await transaction(conn, batch);
    conn.release();
    return result;
  } catch (error) {
    // A failed statement leaves the transaction open: roll it back before the connection goes
    // back to the pool, or drop the connection when even that fails.
    try {
      await conn.query("ROLLBACK");
      conn.release();
    } catch {
      conn.destroy();
    }
    throw error;
  }
}

async function transaction(conn: PoolConnection, batch: IncomingMessage[]) {
  const conversationIds = unique(batch.map((m) => m.conversationId)).sort();
  const senderIds = unique(batch.map((m) => m.senderId));
  const clientIds = unique(batch.map((m) => m.clientMessageId));
  // Round trip 1: lock the conversations (in id order, as every other writer does), then read
  // what is already stored and who may still post, under those locks.
  const [, locked, existing, allowedRows] = (await conn.query(
    `START TRANSACTION;
     SELECT id, last_seq FROM conversations WHERE id IN (?) ORDER BY id FOR UPDATE;
     SELECT sender_id, client_message_id FROM messages
      WHERE sender_id IN (?) AND client_message_id IN (?);
     ${ALLOWED_SENDERS}`,
    [conversationIds, senderIds, clientIds, conversationIds, senderIds],
  )) as [UpsertResult, Row[], Row[], Row[]];

  const lastSeq = new Map(locked.map((r) => [r.id as string, Number(r.last_seq)]));
  const seen = new Set(existing.map((r) => `${r.sender_id}\u0000${r.client_message_id}`));
  const allowed = new Set(allowedRows.map((r) => `${r.conversation_id}:${r.user_id}`));
  const stored: StoredMessage[] = [];
  for (const message of batch) {
    const key = `${message.senderId}\u0000${message.clientMessageId}`;
    const last = lastSeq.get(message.conversationId);
    if (last === undefined || seen.has(key)) continue;
    if (message.kind !== "system" && !allowed.has(`${message.conversationId}:${message.senderId}`))
      continue;
    seen.add(key);
    lastSeq.set(message.conversationId, last + 1);
    stored.push({ ...message, seq: last + 1 });
  }
  if (stored.length === 0) {
    await conn.query("COMMIT");
    return emptyResult();
  }
  // Round trip 2: write, then read who gets the messages, then commit.
  const write = writeStatements(stored);
  const fileIds = unique(stored.flatMap((m) => (m.fileId ? [m.fileId] : [])));
  const reads: Statement[] = [
    {
      sql: `SELECT conversation_id, user_id FROM conversation_members
             WHERE conversation_id IN (?) AND left_seq IS NULL`,
      values: [unique(stored.map((m) => m.conversationId))],
    },
    {
      sql: "SELECT blocker_id, blocked_id FROM blocks WHERE blocked_id IN (?)",
      values: [unique(stored.map((m) => m.senderId))],
    },
    ...(fileIds.length > 0
      ? [
          {
            sql: "SELECT id, name, size, media_type, sha256 FROM files WHERE id IN (?)",
            values: [fileIds],
          },
        ]
      : []),
  ];
  const statements: Statement[] = [...write, ...reads, { sql: "COMMIT", values: [] }];
  const results = (await conn.query(
    statements.map((s) => s.sql).join(";\n"),
    statements.flatMap((s) => s.values),
  )) as unknown[];
  const [memberRows = [], blockRows = [], fileRows = []] = results.slice(
    write.length,
    write.length + reads.length,
  ) as Row[][];

  const recipients = new Map<string, string[]>();
  for (const row of memberRows) {
    const id = row.conversation_id as string;
    const list = recipients.get(id) ?? [];
    list.push(row.user_id as string);
    recipients.set(id, list);
  }
  const blockedBy = new Map<string, Set<string>>();
  for (const row of blockRows) {
    const id = row.blocked_id as string;
    const set = blockedBy.get(id) ?? new Set<string>();
    set.add(row.blocker_id as string);
    blockedBy.set(id, set);
  }
  const files = new Map(
    fileRows.map((r) => [
      r.id as string,
      {
        id: r.id as string,
        name: r.name as string,
        size: BigInt(r.size as bigint | number),
        mediaType: r.media_type as string,
        sha256: r.sha256 as string,
      },
    ]),
  );
  for (const message of stored) if (message.fileId) message.file = files.get(message.fileId);
  return { stored, recipients, blockedBy };
}

/** The INSERT and the two UPDATEs that record a batch of stored messages. */
function writeStatements(stored: StoredMessage[]): Statement[] {
  const insert = {
    sql: `INSERT INTO messages
            (id, conversation_id, seq, sender_id, client_message_id, kind, body, file_id, created_at)
          VALUES ${stored.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
    values: stored.flatMap((m) => [
      m.id,
      m.conversationId,
      m.seq,
      m.senderId,
      m.clientMessageId,
      m.kind,
      m.body,
      m.fileId ?? null,
      utcDateTime(m.createdAt),
    ]),
  };
  // One statement each, whatever the number of conversations: a single-row UPDATE per
  // conversation made a batch's cost grow by a round trip per conversation.
  const latest = new Map<string, StoredMessage>();
  for (const m of stored) latest.set(m.conversationId, m);
  const last = [...latest.values()];
  const conversations = {
    sql: `UPDATE conversations c JOIN (${derivedRows(last.length, ["id", "seq", "at"])}) v
             ON c.id = v.id
            SET c.last_seq = v.seq, c.last_message_at = v.at`,
    values: last.flatMap((m) => [m.conversationId, m.seq, utcDateTime(m.createdAt)]),
  };
  // Sending a message means having read everything before it.
  const bySender = new Map<string, StoredMessage>();
  for (const m of stored) bySender.set(`${m.conversationId}:${m.senderId}`, m);
  const read = [...bySender.values()];
  const readSeq = {
    sql: `UPDATE conversation_members cm
            JOIN (${derivedRows(read.length, ["cid", "uid", "seq"])}) v
              ON cm.conversation_id = v.cid AND cm.user_id = v.uid
             SET cm.read_seq = GREATEST(cm.read_seq, v.seq)`,
    values: read.flatMap((m) => [m.conversationId, m.senderId, m.seq]),
  };
  return [insert, conversations, readSeq];
}

/**
 * Which (conversation, sender) pairs may still post, decided at storage time: the sender is an
 * active member; a group is not dissolved; a direct pair are friends and neither blocks the
 * other. Parameters: conversation ids, sender ids. Every membership, friendship and block change
 * takes the conversation's row lock too, so the answer cannot change before the commit.
 */
const ALLOWED_SENDERS = `SELECT m.conversation_id, m.user_id
   FROM conversation_members m
   JOIN conversations c ON c.id = m.conversation_id
   LEFT JOIN \`groups\` g ON g.conversation_id = c.id
  WHERE m.conversation_id IN (?) AND m.user_id IN (?) AND m.left_seq IS NULL
    AND ((c.kind = 'group' AND g.dissolved_at IS NULL)
      OR (c.kind = 'direct'
          AND EXISTS (SELECT 1 FROM friendships f WHERE f.conversation_id = c.id)
          AND NOT EXISTS (
            SELECT 1 FROM conversation_members o JOIN blocks b
                ON (b.blocker_id = o.user_id AND b.blocked_id = m.user_id)
                OR (b.blocker_id = m.user_id AND b.blocked_id = o.user_id)
             WHERE o.conversation_id = c.id AND o.user_id <> m.user_id)))`;

/** `SELECT ? AS a, ? AS b UNION ALL SELECT ?, ? ...`: n rows of placeholders to join against. */
function derivedRows(n: number, columns: string[]): string {
  const first = `SELECT ${columns.map((c) => `? AS ${c}`).join(", ")}`;
  const rest = `SELECT ${placeholders(columns.length)}`;
  return [first, ...Array.from({ length: n - 1 }, () => rest)].join(" UNION ALL ");
}

/**
 * A DATETIME literal in UTC. The driver writes a Date in the process's local time whatever the
 * session time zone, and Prisma reads these columns as UTC.
 */
function utcDateTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
