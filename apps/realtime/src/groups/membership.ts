import {
  deleteGroupMember,
  findBlockedIds,
  findBlockerIds,
  findFriendIds,
  findGroupMembers,
  findGroupRoles,
  insertGroupMembers,
} from "@parley/db";
import { denied, exhausted, invalid, notFound, precondition } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import { conversationChanged } from "../relations/events.ts";
import type { Runtime } from "../runtime.ts";
import { toGroupMember } from "./convert.ts";
import { publishGroupNews } from "./events.ts";
import { withGroupLocked } from "./locked.ts";
import { requireOutranks, requireRole } from "./rules.ts";
import { appendGroupChange } from "./system-messages.ts";

const MAX_PER_CALL = 100;

/**
 * Checks a list of users the caller wants in a group: valid ids, no duplicates or self,
 * each a friend of the caller, and no block between them either way.
 */
export async function validateInvitees(rt: Runtime, actorId: string, field: string, ids: string[]) {
  if (ids.length > MAX_PER_CALL) throw invalid(field, `at most ${MAX_PER_CALL} users at once`);
  const userIds = [...new Set(ids.map((id, i) => requireId(`${field}[${i}]`, id)))];
  const index = (id: string) => ids.indexOf(id);
  if (userIds.includes(actorId)) throw invalid(`${field}[${index(actorId)}]`, "cannot be yourself");
  const [friends, blockers, blocked] = await Promise.all([
    findFriendIds(rt.db, actorId, userIds),
    findBlockerIds(rt.db, actorId),
    findBlockedIds(rt.db, actorId),
  ]);
  const stranger = userIds.find((id) => !friends.has(id));
  if (stranger) throw denied(`${field}[${index(stranger)}]: only friends can be added`);
  const refused = userIds.find((id) => blockers.includes(id) || blocked.includes(id));
  if (refused) throw denied(`${field}[${index(refused)}]: this user cannot be added`);
  return userIds;
}

/** Owner and admins add friends of theirs; users already in the group are skipped. */
export async function addMembers(rt: Runtime, actorId: string, groupId: string, ids: string[]) {
  if (ids.length === 0) throw invalid("user_ids", "empty");
  const userIds = await validateInvitees(rt, actorId, "user_ids", ids);

  const { added, group } = await withGroupLocked(rt, groupId, actorId, async (ctx) => {
    requireRole(ctx.actorRole, ["owner", "admin"], "add members");
    const current = await findGroupRoles(ctx.tx, ctx.group.id, userIds);
    const added = userIds.filter((id) => !current.has(id));
    if (ctx.group.memberCount + added.length > ctx.group.memberCap) {
      throw exhausted(`user_ids: the group is limited to ${ctx.group.memberCap} members`);
    }
    await insertGroupMembers(ctx.tx, ctx.group, added, ctx.group.lastSeq);
    return { added };
  });
  if (added.length === 0) return { added: [] };

  await conversationChanged(rt, group.conversationId);
  await appendGroupChange(rt, group.conversationId, {
    type: "member_added",
    actorId,
    userIds: added,
  });
  await publishGroupNews(rt, group.id, { joined: { userIds: added, afterSeq: group.lastSeq } });
  const members = await findGroupMembers(rt.db, group.id);
  return { added: members.filter((m) => added.includes(m.userId)).map(toGroupMember) };
}

/** Owner and admins remove a member (admins only plain members); see removeFromGroup. */
export async function removeMember(rt: Runtime, actorId: string, groupId: string, user: string) {
  const userId = requireId("user_id", user);
  if (userId === actorId) throw invalid("user_id", "use LeaveGroup to leave");
  await removeFromGroup(rt, actorId, groupId, userId);
  return {};
}

/** Any member but the owner leaves; the owner transfers ownership or dissolves first. */
export async function leaveGroup(rt: Runtime, userId: string, groupId: string) {
  await removeFromGroup(rt, userId, groupId, userId);
  return {};
}

/**
 * Takes a user out of a group. They keep the history up to the conversation's last seq at
 * this moment (ConversationMember.leftSeq), which is what GetHistory's visible range uses;
 * the system message announcing it comes after, for the remaining members. Because the
 * conversation row is locked, no message is stored between the check and the change, and
 * the persister refuses whatever the removed user still had in flight.
 */
async function removeFromGroup(rt: Runtime, actorId: string, groupId: string, userId: string) {
  const leaving = actorId === userId;
  const { group } = await withGroupLocked(rt, groupId, actorId, async (ctx) => {
    if (leaving && ctx.actorRole === "owner") {
      throw precondition("group_id: the owner transfers ownership or dissolves the group first");
    }
    if (!leaving) {
      requireRole(ctx.actorRole, ["owner", "admin"], "remove members");
      const target = (await findGroupRoles(ctx.tx, ctx.group.id, [userId])).get(userId);
      if (!target) throw notFound("member");
      requireOutranks(ctx.actorRole, target.role);
    }
    await deleteGroupMember(ctx.tx, ctx.group, userId, ctx.group.lastSeq);
    return {};
  });

  await conversationChanged(rt, group.conversationId);
  await appendGroupChange(
    rt,
    group.conversationId,
    leaving
      ? { type: "member_left", actorId }
      : { type: "member_removed", actorId, userIds: [userId] },
  );
  await publishGroupNews(rt, group.id, { removed: { userIds: [userId], upToSeq: group.lastSeq } });
}
