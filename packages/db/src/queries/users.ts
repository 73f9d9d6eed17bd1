import type { PrismaClient } from "../gen/prisma/client.ts";
import { ConflictError, NotFoundError, uniqueViolation } from "./errors.ts";

export const publicUserSelect = {
  id: true,
  username: true,
  displayName: true,
  avatarUrl: true,
  createdAt: true,
} as const;

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: Date;
}

const accountSelect = { ...publicUserSelect, email: true, role: true } as const;

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  email: string;
  passwordHash: string;
}

/** Inserts a user; a taken username or email is a ConflictError naming the field. */
export async function createUser(db: PrismaClient, user: NewUser) {
  try {
    return await db.user.create({ data: user, select: accountSelect });
  } catch (error) {
    const field = uniqueViolation(error, ["username", "email"]);
    if (field) throw new ConflictError(field);
    throw error;
  }
}

/** The account behind a username or email, with what a login needs to decide. */
export function findUserForLogin(db: PrismaClient, login: string) {
  const where = login.includes("@") ? { email: login } : { username: login };
  return db.user.findUnique({
    where,
    select: { ...accountSelect, passwordHash: true, bannedAt: true },
  });
}

/** The signed-in user's own account; throws when missing. */
export async function getAccount(db: PrismaClient, userId: string) {
  const account = await db.user.findUnique({
    where: { id: userId },
    select: { ...accountSelect, bannedAt: true },
  });
  if (!account) throw new NotFoundError("user");
  return account;
}

export function findUsersByIds(db: PrismaClient, ids: string[]): Promise<PublicUser[]> {
  return db.user.findMany({ where: { id: { in: ids } }, select: publicUserSelect });
}

/** Users whose username or display name starts with the query, by username. */
export function searchUsers(db: PrismaClient, query: string, limit: number) {
  return db.user.findMany({
    where: {
      bannedAt: null,
      OR: [{ username: { startsWith: query } }, { displayName: { startsWith: query } }],
    },
    orderBy: { username: "asc" },
    take: limit,
    select: publicUserSelect,
  });
}

export function updateProfile(
  db: PrismaClient,
  userId: string,
  changes: { displayName?: string; avatarUrl?: string | null },
) {
  return db.user.update({ where: { id: userId }, data: changes, select: accountSelect });
}

/** Role and ban state, checked on every call (cached by the caller). */
export function findUserAccess(db: PrismaClient, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { role: true, bannedAt: true, sessionsRevokedAt: true },
  });
}

export function touchLastSeen(db: PrismaClient, userId: string, at: Date) {
  return db.user.update({ where: { id: userId }, data: { lastSeenAt: at }, select: { id: true } });
}
