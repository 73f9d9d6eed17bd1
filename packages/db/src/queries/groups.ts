import type { GroupRole, Prisma } from "../gen/prisma/client.ts";
import { publicUserSelect } from "./users.ts";

/** A client or an open transaction: the queries here work with both. */
type Db = Prisma.TransactionClient;

export const groupSelect = {
  id: true,
  name: true,
  avatarUrl: true,
  ownerId: true,
  conversationId: true,
  memberCount: true,
  memberCap: true,
  createdAt: true,
  dissolvedAt: true,
} as const;

export type GroupRow = Prisma.GroupGetPayload<{ select: typeof groupSelect }>;

/** A group locked for a membership change, with its conversation's newest seq. */
export interface LockedGroup extends GroupRow {
  lastSeq: number;
}

/**
 * Locks a group row, then its conversation row, until the transaction ends. Every change to
 * members, roles and mutes takes these locks in this order; the persister takes the
 * conversation lock before it stores a message, so membership and seq order agree.
 */
export async function lockGroup(tx: Db, groupId: string): Promise<LockedGroup | undefined> {
  const groups = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    "SELECT id FROM `groups` WHERE id = ? FOR UPDATE",
    groupId,
  );
  if (groups.length === 0) return undefined;
  const group = await tx.group.findUniqueOrThrow({ where: { id: groupId }, select: groupSelect });
  const conversations = await tx.$queryRawUnsafe<Array<{ last_seq: number }>>(
    "SELECT last_seq FROM conversations WHERE id = ? FOR UPDATE",
    group.conversationId,
  );
  return { ...group, lastSeq: conversations[0]?.last_seq ?? 0 };
}

/** Roles of the given users who are current members; non-members are absent. */
export async function findGroupRoles(db: Db, groupId: string, userIds: string[]) {
  const rows = await db.groupMember.findMany({
    where: { groupId, userId: { in: userIds } },
    select: { userId: true, role: true, mutedUntil: true },
  });
  return new Map(rows.map((r) => [r.userId, { role: r.role, mutedUntil: r.mutedUntil }]));
}

async function recountMembers(tx: Db, groupId: string) {
  await tx.$executeRawUnsafe(
    `UPDATE \`groups\` SET member_count =
       (SELECT COUNT(*) FROM group_members WHERE group_id = ?), updated_at = ?
      WHERE id = ?`,
    groupId,
    new Date(),
    groupId,
  );
}

/**
 * Adds members who see the conversation from `afterSeq` on (a returning member starts
 * afresh: their earlier range is not restored). Call with the group locked.
 */
export async function insertGroupMembers(
  tx: Db,
  group: { id: string; conversationId: string },
  userIds: string[],
  afterSeq: number,
) {
  if (userIds.length === 0) return;
  await tx.groupMember.createMany({
    data: userIds.map((userId) => ({ groupId: group.id, userId, role: "member" as const })),
  });
  const rows = userIds.map(() => "(?, ?, ?, ?)").join(", ");
  await tx.$executeRawUnsafe(
    `INSERT INTO conversation_members (conversation_id, user_id, joined_seq, read_seq)
     VALUES ${rows}
     ON DUPLICATE KEY UPDATE joined_seq = VALUES(joined_seq), read_seq = VALUES(read_seq),
                             left_seq = NULL`,
    ...userIds.flatMap((userId) => [group.conversationId, userId, afterSeq, afterSeq]),
  );
  await recountMembers(tx, group.id);
}

/**
 * Removes a member, who keeps reading up to `upToSeq` (the conversation's last seq at the
 * removal). Call with the group locked.
 */
export async function deleteGroupMember(
  tx: Db,
  group: { id: string; conversationId: string },
  userId: string,
  upToSeq: number,
) {
  await tx.groupMember.deleteMany({ where: { groupId: group.id, userId } });
  await tx.$executeRawUnsafe(
    `UPDATE conversation_members SET left_seq = ?, read_seq = LEAST(read_seq, ?)
      WHERE conversation_id = ? AND user_id = ? AND left_seq IS NULL`,
    upToSeq,
    upToSeq,
    group.conversationId,
    userId,
  );
  await recountMembers(tx, group.id);
}

export function updateGroupMember(
  db: Db,
  groupId: string,
  userId: string,
  changes: { role?: GroupRole; mutedUntil?: Date | null },
) {
  return db.groupMember.update({
    where: { groupId_userId: { groupId, userId } },
    data: changes,
    select: groupMemberSelect,
  });
}

export function updateGroup(
  db: Db,
  groupId: string,
  changes: { name?: string; ownerId?: string; dissolvedAt?: Date },
) {
  return db.group.update({ where: { id: groupId }, data: changes, select: groupSelect });
}

export const groupMemberSelect = {
  userId: true,
  role: true,
  mutedUntil: true,
  joinedAt: true,
  user: { select: publicUserSelect },
} as const;

export type GroupMemberRow = Prisma.GroupMemberGetPayload<{ select: typeof groupMemberSelect }>;

/** Current members, owner first, then admins, then by join time. */
export async function findGroupMembers(db: Db, groupId: string): Promise<GroupMemberRow[]> {
  const rank = { owner: 0, admin: 1, member: 2 };
  const rows = await db.groupMember.findMany({
    where: { groupId },
    orderBy: { joinedAt: "asc" },
    select: groupMemberSelect,
  });
  return rows.sort((a, b) => rank[a.role] - rank[b.role]);
}

/** A group with the user's role in it (undefined role: not a current member). */
export async function findGroupForUser(db: Db, groupId: string, userId: string) {
  const group = await db.group.findUnique({
    where: { id: groupId },
    select: { ...groupSelect, members: { where: { userId }, select: { role: true } } },
  });
  if (!group) return undefined;
  const { members, ...row } = group;
  return { group: row, role: members[0]?.role };
}

/** The groups a user currently belongs to, not dissolved, newest first. */
export async function listUserGroups(db: Db, userId: string) {
  const rows = await db.groupMember.findMany({
    where: { userId, group: { dissolvedAt: null } },
    orderBy: { joinedAt: "desc" },
    select: { role: true, group: { select: groupSelect } },
  });
  return rows.map((r) => ({ group: r.group, role: r.role }));
}
