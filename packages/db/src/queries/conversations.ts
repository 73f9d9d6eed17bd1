import type { PrismaClient } from "../gen/prisma/client.ts";
import { placeholders } from "./errors.ts";

export interface MemberAccess {
  joinedSeq: number;
  leftSeq: number | null;
  role: "owner" | "admin" | "member" | null;
  mutedUntil: Date | null;
}

/** Everything Send and GetHistory check about one conversation, loaded in a few queries. */
export interface ConversationAccess {
  id: string;
  kind: "direct" | "group";
  members: Map<string, MemberAccess>;
  /** Group conversations: the group, and when it was dissolved. */
  group: { id: string; dissolvedAt: Date | null } | null;
  /** Direct conversations: whether the two are friends, and whether either blocks the other. */
  friends: boolean;
  blocked: boolean;
}

type MemberRow = { user_id: string; joined_seq: number; left_seq: number | null };

/**
 * Access for many conversations at once, in at most four queries whatever their number:
 * a burst of sends to conversations not yet cached loads them together (bench: 1,000 new
 * conversations at once queued 4,000 single-conversation queries in the pool). Unknown ids
 * are absent from the result.
 */
export async function findConversationsAccess(
  db: PrismaClient,
  ids: string[],
): Promise<Map<string, ConversationAccess>> {
  const result = new Map<string, ConversationAccess>();
  if (ids.length === 0) return result;
  const conversations = await db.$queryRawUnsafe<
    Array<{
      id: string;
      kind: "direct" | "group";
      group_id: string | null;
      dissolved_at: Date | null;
      friends: number | bigint;
    }>
  >(
    `SELECT c.id, c.kind, g.id AS group_id, g.dissolved_at,
            (f.conversation_id IS NOT NULL) AS friends
       FROM conversations c
       LEFT JOIN \`groups\` g ON g.conversation_id = c.id
       LEFT JOIN friendships f ON f.conversation_id = c.id
      WHERE c.id IN (${placeholders(ids.length)})`,
    ...ids,
  );
  if (conversations.length === 0) return result;
  const found = conversations.map((c) => c.id);
  const members = await db.$queryRawUnsafe<Array<MemberRow & { conversation_id: string }>>(
    `SELECT conversation_id, user_id, joined_seq, left_seq FROM conversation_members
      WHERE conversation_id IN (${placeholders(found.length)})`,
    ...found,
  );
  for (const c of conversations) {
    result.set(c.id, {
      id: c.id,
      kind: c.kind,
      members: new Map(),
      group: c.group_id ? { id: c.group_id, dissolvedAt: c.dissolved_at } : null,
      friends: Number(c.friends) > 0,
      blocked: false,
    });
  }
  for (const row of members) {
    result.get(row.conversation_id)?.members.set(row.user_id, {
      joinedSeq: row.joined_seq,
      leftSeq: row.left_seq,
      role: null,
      mutedUntil: null,
    });
  }
  const groups = conversations.filter((c) => c.group_id);
  const direct = conversations.filter((c) => c.kind === "direct").map((c) => c.id);
  if (groups.length > 0) await addGroupRoles(db, groups, result);
  if (direct.length > 0) await addBlocks(db, direct, result);
  return result;
}

async function addGroupRoles(
  db: PrismaClient,
  groups: Array<{ id: string; group_id: string | null }>,
  result: Map<string, ConversationAccess>,
) {
  const conversationOf = new Map(groups.map((g) => [g.group_id, g.id]));
  const ids = [...conversationOf.keys()];
  const rows = await db.$queryRawUnsafe<
    Array<{
      group_id: string;
      user_id: string;
      role: MemberAccess["role"];
      muted_until: Date | null;
    }>
  >(
    `SELECT group_id, user_id, role, muted_until FROM group_members
      WHERE group_id IN (${placeholders(ids.length)})`,
    ...ids,
  );
  for (const row of rows) {
    const access = result.get(conversationOf.get(row.group_id) ?? "");
    const member = access?.members.get(row.user_id);
    if (member) Object.assign(member, { role: row.role, mutedUntil: row.muted_until });
  }
}

/** Marks the direct conversations whose two members block each other, either way. */
async function addBlocks(db: PrismaClient, ids: string[], result: Map<string, ConversationAccess>) {
  const rows = await db.$queryRawUnsafe<Array<{ conversation_id: string }>>(
    `SELECT DISTINCT a.conversation_id
       FROM conversation_members a
       JOIN conversation_members b
         ON b.conversation_id = a.conversation_id AND b.user_id <> a.user_id
       JOIN blocks k ON k.blocker_id = a.user_id AND k.blocked_id = b.user_id
      WHERE a.conversation_id IN (${placeholders(ids.length)})`,
    ...ids,
  );
  for (const row of rows) {
    const access = result.get(row.conversation_id);
    if (access) access.blocked = true;
  }
}

export interface ConversationSummary {
  id: string;
  kind: "direct" | "group";
  lastSeq: number;
  lastMessageAt: Date | null;
  createdAt: Date;
  readSeq: number;
  joinedSeq: number;
  leftSeq: number | null;
}

/** Every conversation a user belongs or belonged to, for the sync frame. */
export async function listUserConversations(db: PrismaClient, userId: string) {
  const rows = await db.$queryRawUnsafe<
    Array<{
      id: string;
      kind: "direct" | "group";
      last_seq: number;
      last_message_at: Date | null;
      created_at: Date;
      read_seq: number;
      joined_seq: number;
      left_seq: number | null;
    }>
  >(
    `SELECT c.id, c.kind, c.last_seq, c.last_message_at, c.created_at,
            m.read_seq, m.joined_seq, m.left_seq
       FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.user_id = ?`,
    userId,
  );
  return rows.map(
    (r): ConversationSummary => ({
      id: r.id,
      kind: r.kind,
      lastSeq: r.last_seq,
      lastMessageAt: r.last_message_at,
      createdAt: r.created_at,
      readSeq: r.read_seq,
      joinedSeq: r.joined_seq,
      leftSeq: r.left_seq,
    }),
  );
}

/**
 * For direct conversations: the other member, their read position, whether the two are
 * friends, and whether either blocks the other (then nobody can post).
 */
export async function findDirectPeers(db: PrismaClient, userId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.$queryRawUnsafe<
    Array<{
      conversation_id: string;
      user_id: string;
      read_seq: number;
      friends: number;
      blocks: number;
    }>
  >(
    `SELECT m.conversation_id, m.user_id, m.read_seq,
            (SELECT COUNT(*) FROM friendships f WHERE f.conversation_id = m.conversation_id) AS friends,
            (SELECT COUNT(*) FROM blocks b
              WHERE (b.blocker_id = ? AND b.blocked_id = m.user_id)
                 OR (b.blocker_id = m.user_id AND b.blocked_id = ?)) AS blocks
       FROM conversation_members m
      WHERE m.conversation_id IN (${placeholders(ids.length)}) AND m.user_id <> ?`,
    userId,
    userId,
    ...ids,
    userId,
  );
}

/** Moves a read position forward, never back and never past the last seq. */
export async function markRead(
  db: PrismaClient,
  conversationId: string,
  userId: string,
  seq: number,
) {
  await db.$executeRawUnsafe(
    `UPDATE conversation_members m JOIN conversations c ON c.id = m.conversation_id
        SET m.read_seq = GREATEST(m.read_seq, LEAST(?, c.last_seq, COALESCE(m.left_seq, c.last_seq)))
      WHERE m.conversation_id = ? AND m.user_id = ?`,
    seq,
    conversationId,
    userId,
  );
  const rows = await db.$queryRawUnsafe<Array<{ read_seq: number; last_seq: number }>>(
    `SELECT m.read_seq, COALESCE(m.left_seq, c.last_seq) AS last_seq
       FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.user_id = ?`,
    conversationId,
    userId,
  );
  const row = rows[0];
  return row ? { readSeq: row.read_seq, lastSeq: Number(row.last_seq) } : undefined;
}

/** User ids that currently belong to a conversation. */
export async function findActiveMemberIds(db: PrismaClient, conversationId: string) {
  const rows = await db.$queryRawUnsafe<Array<{ user_id: string }>>(
    "SELECT user_id FROM conversation_members WHERE conversation_id = ? AND left_seq IS NULL",
    conversationId,
  );
  return rows.map((r) => r.user_id);
}

/**
 * Friends and fellow group members: the users allowed to see this user's presence. A block
 * either way hides it both ways.
 */
export async function findPresenceWatchers(db: PrismaClient, userId: string) {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT w.id FROM (
       SELECT user_high_id AS id FROM friendships WHERE user_low_id = ?
       UNION SELECT user_low_id FROM friendships WHERE user_high_id = ?
       UNION SELECT o.user_id FROM group_members mine
              JOIN group_members o ON o.group_id = mine.group_id AND o.user_id <> mine.user_id
             WHERE mine.user_id = ?) w
     WHERE NOT EXISTS (SELECT 1 FROM blocks b
                        WHERE (b.blocker_id = ? AND b.blocked_id = w.id)
                           OR (b.blocker_id = w.id AND b.blocked_id = ?))`,
    userId,
    userId,
    userId,
    userId,
    userId,
  );
  return rows.map((r) => r.id);
}
