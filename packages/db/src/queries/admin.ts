import type { Prisma, PrismaClient } from "../gen/prisma/client.ts";
import { newId } from "../ids.ts";
import { NotFoundError } from "./errors.ts";
import { publicUserSelect } from "./users.ts";

/** What an operator sees of an account. */
export const adminUserSelect = {
  ...publicUserSelect,
  email: true,
  role: true,
  lastSeenAt: true,
  bannedAt: true,
  banReason: true,
} as const;

export type AdminUserRow = Prisma.UserGetPayload<{ select: typeof adminUserSelect }>;

/**
 * One page of users, newest registration first (ids are time-sortable), optionally those whose
 * username, display name or email starts with `query`. `beforeId` is the last id of the page
 * before; one extra row tells whether another page follows.
 */
export async function listUsersForAdmin(
  db: PrismaClient,
  options: { query: string; beforeId?: string; limit: number },
) {
  const { query, beforeId, limit } = options;
  const match = query
    ? {
        OR: [
          { username: { startsWith: query } },
          { displayName: { startsWith: query } },
          { email: { startsWith: query } },
        ],
      }
    : {};
  const rows = await db.user.findMany({
    where: { ...match, ...(beforeId ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: adminUserSelect,
  });
  return { users: rows.slice(0, limit), hasMore: rows.length > limit };
}

export function findUserByUsername(db: PrismaClient, username: string) {
  return db.user.findUnique({ where: { username }, select: adminUserSelect });
}

export interface AuditInput {
  actorId: string;
  action: string;
  targetType?: string;
  targetId?: string;
  reason?: string;
  details?: Prisma.InputJsonValue;
}

/** The audit row for an action, to be written in the same transaction as the action. */
function auditRow(entry: AuditInput) {
  return { id: newId(), ...entry };
}

export function createAuditEntry(db: PrismaClient, entry: AuditInput) {
  return db.auditLog.create({ data: auditRow(entry), select: { id: true } });
}

/**
 * Bans a user: records when and why, revokes every refresh token, and writes the audit entry,
 * all in one transaction. Returns false when the user was already banned (nothing changes).
 */
export function banUser(
  db: PrismaClient,
  ban: { userId: string; actorId: string; reason: string; at: Date },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.user.updateMany({
      where: { id: ban.userId, bannedAt: null },
      // Tokens from before the ban stay refused after an unban too.
      data: { bannedAt: ban.at, banReason: ban.reason, sessionsRevokedAt: ban.at },
    });
    if (changed.count === 0) return false;
    await tx.refreshToken.updateMany({
      where: { userId: ban.userId, revokedAt: null },
      data: { revokedAt: ban.at },
    });
    await tx.auditLog.create({
      data: auditRow({
        actorId: ban.actorId,
        action: "user.ban",
        targetType: "user",
        targetId: ban.userId,
        reason: ban.reason,
      }),
    });
    return true;
  });
}

/** Lifts a ban and writes the audit entry; false when the user was not banned. */
export function unbanUser(
  db: PrismaClient,
  unban: { userId: string; actorId: string; reason: string },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.user.updateMany({
      where: { id: unban.userId, bannedAt: { not: null } },
      data: { bannedAt: null, banReason: null },
    });
    if (changed.count === 0) return false;
    await tx.auditLog.create({
      data: auditRow({
        actorId: unban.actorId,
        action: "user.unban",
        targetType: "user",
        targetId: unban.userId,
        reason: unban.reason,
      }),
    });
    return true;
  });
}

/** Revokes every refresh token of a user (sign-out everywhere) and writes the audit entry. */
export function forceSignOut(
  db: PrismaClient,
  signOut: { userId: string; actorId: string; reason: string; at: Date },
) {
  return db.$transaction(async (tx) => {
    const revoked = await tx.refreshToken.updateMany({
      where: { userId: signOut.userId, revokedAt: null },
      data: { revokedAt: signOut.at },
    });
    await tx.user.update({
      where: { id: signOut.userId },
      data: { sessionsRevokedAt: signOut.at },
      select: { id: true },
    });
    await tx.auditLog.create({
      data: auditRow({
        actorId: signOut.actorId,
        action: "user.sign_out",
        targetType: "user",
        targetId: signOut.userId,
        reason: signOut.reason,
        details: { revokedRefreshTokens: revoked.count },
      }),
    });
    return revoked.count;
  });
}

/**
 * Sets a user's role and writes the audit entry. Operators change roles from the command line,
 * where there is no signed-in actor, so the entry names the account itself as the actor and
 * says where the change came from in `details`.
 */
export function setUserRole(
  db: PrismaClient,
  change: { username: string; role: "user" | "admin"; details: Prisma.InputJsonValue },
) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { username: change.username },
      select: { id: true, role: true },
    });
    if (!user) throw new NotFoundError("user");
    if (user.role === change.role) return { id: user.id, changed: false };
    await tx.user.update({ where: { id: user.id }, data: { role: change.role } });
    await tx.auditLog.create({
      data: auditRow({
        actorId: user.id,
        action: change.role === "admin" ? "user.promote" : "user.demote",
        targetType: "user",
        targetId: user.id,
        details: change.details,
      }),
    });
    return { id: user.id, changed: true };
  });
}

export function listAdmins(db: PrismaClient) {
  return db.user.findMany({
    where: { role: "admin" },
    orderBy: { username: "asc" },
    select: { id: true, username: true, bannedAt: true },
  });
}

/** One page of the audit log, newest first, with each actor's public profile. */
export async function listAuditEntries(
  db: PrismaClient,
  options: { beforeId?: string; limit: number },
) {
  const rows = await db.auditLog.findMany({
    where: options.beforeId ? { id: { lt: options.beforeId } } : {},
    orderBy: { id: "desc" },
    take: options.limit + 1,
    select: {
      id: true,
      action: true,
      targetType: true,
      targetId: true,
      reason: true,
      createdAt: true,
      actor: { select: publicUserSelect },
    },
  });
  return { entries: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/** A group's conversation and current members, for a group broadcast; undefined if missing. */
export async function findGroupAudience(db: PrismaClient, groupId: string) {
  const group = await db.group.findUnique({
    where: { id: groupId },
    select: { id: true, dissolvedAt: true, members: { select: { userId: true } } },
  });
  if (!group) return undefined;
  return { dissolved: group.dissolvedAt !== null, memberIds: group.members.map((m) => m.userId) };
}

/** Stores a system notification and its audit entry in one transaction. */
export async function createSystemNotification(
  db: PrismaClient,
  notification: { id: string; body: string; groupId: string | null; createdById: string },
) {
  const [row] = await db.$transaction([
    db.systemNotification.create({
      data: notification,
      select: { id: true, body: true, groupId: true, createdAt: true },
    }),
    db.auditLog.create({
      data: auditRow({
        actorId: notification.createdById,
        action: "broadcast",
        targetType: notification.groupId ? "group" : "everyone",
        ...(notification.groupId ? { targetId: notification.groupId } : {}),
        // What was said is the broadcast's "why"; the column holds 500 characters.
        reason: [...notification.body].slice(0, 500).join(""),
        details: { notificationId: notification.id },
      }),
    }),
  ]);
  return row;
}

export interface NotificationRow {
  id: string;
  body: string;
  groupId: string | null;
  createdAt: Date;
}

/**
 * Notifications a user should see: to everyone, or to a group they belong to now, created
 * after `since`, newest first.
 */
export function findNotificationsForUser(
  db: PrismaClient,
  userId: string,
  options: { since: Date; limit: number },
): Promise<NotificationRow[]> {
  return db.systemNotification.findMany({
    where: {
      createdAt: { gt: options.since },
      OR: [{ groupId: null }, { group: { members: { some: { userId } } } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit,
    select: { id: true, body: true, groupId: true, createdAt: true },
  });
}

/**
 * Totals for the dashboard. Messages are counted from each conversation's last seq (seqs have
 * no gaps), which reads the small conversations table instead of the messages table.
 */
export async function countTotals(db: PrismaClient) {
  const [users, messages] = await Promise.all([
    db.user.count(),
    db.conversation.aggregate({ _sum: { lastSeq: true } }),
  ]);
  return { users, messages: messages._sum.lastSeq ?? 0 };
}
