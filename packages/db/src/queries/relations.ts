import type { PrismaClient } from "../gen/prisma/client.ts";
import { newId } from "../ids.ts";

/** The ordered pair key of two users: friendships and direct conversations use it. */
export function pairOf(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * Makes two users friends with a direct conversation, in one transaction. Idempotent: an
 * existing friendship is returned as it is; an earlier direct conversation is reused.
 */
export function createFriendship(db: PrismaClient, a: string, b: string) {
  const [low, high] = pairOf(a, b);
  return db.$transaction(async (tx) => {
    const existing = await tx.friendship.findUnique({
      where: { userLowId_userHighId: { userLowId: low, userHighId: high } },
      select: { conversationId: true, createdAt: true },
    });
    if (existing) return { ...existing, created: false };
    const directKey = `${low}:${high}`;
    const conversation =
      (await tx.conversation.findUnique({ where: { directKey }, select: { id: true } })) ??
      (await tx.conversation.create({
        data: {
          id: newId(),
          kind: "direct",
          directKey,
          members: { create: [{ userId: low }, { userId: high }] },
        },
        select: { id: true },
      }));
    const friendship = await tx.friendship.create({
      data: { userLowId: low, userHighId: high, conversationId: conversation.id },
      select: { conversationId: true, createdAt: true },
    });
    return { ...friendship, created: true };
  });
}

/** Creates a group, its conversation and its members (the owner first). */
export function createGroup(
  db: PrismaClient,
  group: {
    name: string;
    ownerId: string;
    memberIds: string[];
    avatarUrl?: string | null;
    memberCap?: number;
  },
) {
  const members = [...new Set([group.ownerId, ...group.memberIds])];
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.create({
      data: {
        id: newId(),
        kind: "group",
        members: { create: members.map((userId) => ({ userId })) },
      },
      select: { id: true },
    });
    return tx.group.create({
      data: {
        id: newId(),
        name: group.name,
        avatarUrl: group.avatarUrl ?? null,
        ownerId: group.ownerId,
        conversationId: conversation.id,
        memberCount: members.length,
        memberCap: group.memberCap,
        members: {
          create: members.map((userId) => ({
            userId,
            role: userId === group.ownerId ? ("owner" as const) : ("member" as const),
          })),
        },
      },
      select: { id: true, conversationId: true, name: true },
    });
  });
}
