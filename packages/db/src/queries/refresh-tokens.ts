import type { PrismaClient } from "../gen/prisma/client.ts";

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export function createRefreshToken(db: PrismaClient, token: NewRefreshToken) {
  return db.refreshToken.create({ data: token, select: { id: true } });
}

export type Rotation =
  | { outcome: "rotated"; userId: string; familyId: string }
  | { outcome: "reused"; userId: string; familyId: string }
  | { outcome: "invalid" };

/**
 * Uses a refresh token once: marks it used and stores its successor in one transaction.
 * A token used a second time means it leaked, so the whole family is revoked.
 */
export function rotateRefreshToken(
  db: PrismaClient,
  oldHash: string,
  next: Omit<NewRefreshToken, "userId" | "familyId">,
): Promise<Rotation> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<
      Array<{
        user_id: string;
        family_id: string;
        used_at: Date | null;
        revoked_at: Date | null;
        expires_at: Date;
      }>
    >(
      "SELECT user_id, family_id, used_at, revoked_at, expires_at FROM refresh_tokens WHERE token_hash = ? FOR UPDATE",
      oldHash,
    );
    const row = rows[0];
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) {
      return { outcome: "invalid" } as const;
    }
    const ids = { userId: row.user_id, familyId: row.family_id };
    if (row.used_at) {
      await tx.refreshToken.updateMany({
        where: { familyId: row.family_id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      return { outcome: "reused", ...ids } as const;
    }
    await tx.refreshToken.update({ where: { tokenHash: oldHash }, data: { usedAt: new Date() } });
    await tx.refreshToken.create({ data: { ...next, ...ids } });
    return { outcome: "rotated", ...ids } as const;
  });
}

/** Revokes the family a token belongs to (logout of one device). */
export async function revokeFamilyOf(db: PrismaClient, tokenHash: string) {
  const token = await db.refreshToken.findUnique({
    where: { tokenHash },
    select: { familyId: true, userId: true },
  });
  if (!token) return undefined;
  await db.refreshToken.updateMany({
    where: { familyId: token.familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return token;
}

/**
 * Signs a user out everywhere: revokes every refresh token and refuses every access token
 * issued before `at`. Returns how many refresh tokens were live.
 */
export async function endAllSessions(db: PrismaClient, userId: string, at: Date) {
  const [revoked] = await db.$transaction([
    db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } }),
    db.user.update({
      where: { id: userId },
      data: { sessionsRevokedAt: at },
      select: { id: true },
    }),
  ]);
  return revoked.count;
}
