import { banUser, forceSignOut, unbanUser } from "@parley/db";
import { notFound, precondition } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { Envelope } from "../streams/envelope.ts";

interface Sanction {
  actorId: string;
  userId: string;
  reason: string;
}

type EndCode = Extract<Envelope, { type: "end" }>["code"];

/**
 * Bans a user: the database refuses their refresh tokens from now on, every instance drops its
 * cached view of them (so access tokens are refused) and ends their streams.
 */
export async function banAccount(rt: Runtime, ban: Sanction): Promise<void> {
  if (ban.userId === ban.actorId) throw precondition("you cannot ban yourself");
  const target = await findTarget(rt, ban.userId);
  if (target.role === "admin") throw precondition("demote this admin before banning them");
  const at = new Date();
  if (!(await banUser(rt.db, { ...ban, at }))) throw precondition("user is already banned");
  rt.log.info({ userId: ban.userId, actorId: ban.actorId }, "user banned");
  await endSessions(rt, ban.userId, "permission_denied", "account banned");
}

export async function unbanAccount(rt: Runtime, unban: Sanction): Promise<void> {
  await findTarget(rt, unban.userId);
  if (!(await unbanUser(rt.db, unban))) throw precondition("user is not banned");
  rt.log.info({ userId: unban.userId, actorId: unban.actorId }, "user unbanned");
  await rt.publisher.control({ type: "user-changed", userId: unban.userId });
}

/** Signs a user out everywhere without banning them: their streams end UNAUTHENTICATED. */
export async function signOutAccount(rt: Runtime, signOut: Sanction): Promise<void> {
  await findTarget(rt, signOut.userId);
  const at = new Date();
  await forceSignOut(rt.db, { ...signOut, at });
  rt.log.info({ userId: signOut.userId, actorId: signOut.actorId }, "user signed out by admin");
  await endSessions(rt, signOut.userId, "unauthenticated", "signed out by an admin");
}

async function findTarget(rt: Runtime, userId: string) {
  const user = await rt.db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user) throw notFound("user");
  return user;
}

/**
 * The control message goes first: once a stream ends, its client reconnects at once, and the
 * new stream must already be refused on whichever instance it reaches.
 */
async function endSessions(rt: Runtime, userId: string, code: EndCode, reason: string) {
  await rt.publisher.control({ type: "user-changed", userId });
  await rt.publisher.controlUser(userId, { type: "end", code, reason });
}
