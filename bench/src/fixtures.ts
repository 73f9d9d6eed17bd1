import { randomBytes } from "node:crypto";
import { createFriendship, createGroup, newId, type PrismaClient } from "@parley/db";
import { SignJWT } from "jose";
import { runId } from "./stack.ts";

/** A simulated user: made directly in the database, with a token the bench signs itself. */
export interface BenchUser {
  index: number;
  id: string;
  token: string;
}

export interface Pair {
  a: BenchUser;
  b: BenchUser;
  conversationId: string;
}

// Tokens outlive any run; the service ends a stream when its token expires.
const TOKEN_TTL_SECONDS = 4 * 3600;

/** Signs an access token the way the realtime service's TokenSigner does (HS256). */
export async function signAccessToken(secret: string, userId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "user", fam: `bench-${runId}` })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer("parley")
    .setAudience("parley-realtime")
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Inserts `count` users in bulk. Registering through the API would hash a password with
 * argon2id per user (tens of ms each): minutes for 10,000 users, and not what is measured.
 */
export async function createUsers(
  db: PrismaClient,
  secret: string,
  count: number,
): Promise<BenchUser[]> {
  const tag = randomBytes(3).toString("hex");
  const rows = Array.from({ length: count }, (_, index) => {
    const username = `b${tag}_${index}`;
    return {
      id: newId(),
      username,
      displayName: `Bench ${index}`,
      email: `${username}@bench.test`,
      passwordHash: "!bench-user-cannot-log-in",
    };
  });
  for (let start = 0; start < rows.length; start += 1000) {
    await db.user.createMany({ data: rows.slice(start, start + 1000) });
  }
  return Promise.all(
    rows.map(async (row, index) => ({
      index,
      id: row.id,
      token: await signAccessToken(secret, row.id),
    })),
  );
}

/** Makes users[2i] and users[2i+1] friends, each pair with its direct conversation. */
export async function createPairs(db: PrismaClient, users: BenchUser[]): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i + 1 < users.length; i += 2) {
    pairs.push({ a: users[i]!, b: users[i + 1]!, conversationId: "" });
  }
  await inParallel(pairs, 8, async (pair) => {
    const { conversationId } = await createFriendship(db, pair.a.id, pair.b.id);
    pair.conversationId = conversationId;
  });
  return pairs;
}

/** One group with every user a member, the first user its owner. */
export async function createBenchGroup(db: PrismaClient, users: BenchUser[]) {
  const [owner, ...others] = users;
  const group = await createGroup(db, {
    name: `bench ${runId}`,
    ownerId: owner!.id,
    memberIds: others.map((u) => u.id),
    memberCap: Math.max(users.length, 500),
  });
  return group.conversationId;
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}
