import {
  findGroupForUser,
  findGroupMembers,
  createGroup as insertGroup,
  listUserGroups,
  updateGroup,
} from "@parley/db";
import { exhausted, notFound } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import { conversationChanged } from "../relations/events.ts";
import type { Runtime } from "../runtime.ts";
import { validateAvatarUrl } from "../services/account-rules.ts";
import { toGroup, toGroupMember } from "./convert.ts";
import { publishGroupNews } from "./events.ts";
import { withGroupLocked } from "./locked.ts";
import { validateInvitees } from "./membership.ts";
import { requireRole, validateGroupName } from "./rules.ts";
import { appendGroupChange } from "./system-messages.ts";

/** Creates a group owned by the caller, with friends of theirs as the first members. */
export async function createGroup(
  rt: Runtime,
  ownerId: string,
  req: { name: string; avatarUrl: string; memberIds: string[] },
) {
  const name = validateGroupName(req.name);
  const avatarUrl = validateAvatarUrl(req.avatarUrl);
  const memberIds = await validateInvitees(rt, ownerId, "member_ids", req.memberIds);
  const memberCap = rt.config.GROUP_MEMBER_CAP;
  if (memberIds.length + 1 > memberCap) {
    throw exhausted(`member_ids: a group has at most ${memberCap} members, you included`);
  }

  const created = await insertGroup(rt.db, { name, ownerId, memberIds, avatarUrl, memberCap });

  await appendGroupChange(rt, created.conversationId, {
    type: "group_created",
    actorId: ownerId,
    name,
    userIds: memberIds,
  });
  await publishGroupNews(rt, created.id, {
    joined: { userIds: [ownerId, ...memberIds], afterSeq: 0 },
  });
  return { group: await getGroupView(rt, created.id, ownerId) };
}

async function getGroupView(rt: Runtime, groupId: string, userId: string) {
  const found = await findGroupForUser(rt.db, groupId, userId);
  if (!found?.role) throw notFound("group");
  return toGroup(found.group, found.role);
}

/** A group and its members, for its members only (a dissolved group stays readable). */
export async function getGroup(rt: Runtime, userId: string, id: string) {
  const groupId = requireId("group_id", id);
  const group = await getGroupView(rt, groupId, userId);
  const members = await findGroupMembers(rt.db, groupId);
  return { group, members: members.map(toGroupMember) };
}

export async function listMyGroups(rt: Runtime, userId: string) {
  const rows = await listUserGroups(rt.db, userId);
  return { groups: rows.map((r) => toGroup(r.group, r.role)) };
}

/** Owner and admins rename the group. */
export async function renameGroup(rt: Runtime, actorId: string, groupId: string, value: string) {
  const name = validateGroupName(value);
  const { group, changed } = await withGroupLocked(rt, groupId, actorId, async (ctx) => {
    requireRole(ctx.actorRole, ["owner", "admin"], "rename the group");
    if (ctx.group.name === name) return { changed: false };
    await updateGroup(ctx.tx, ctx.group.id, { name });
    return { changed: true };
  });
  if (changed) {
    await appendGroupChange(rt, group.conversationId, { type: "group_renamed", actorId, name });
    await publishGroupNews(rt, group.id);
  }
  return { group: await getGroupView(rt, group.id, actorId) };
}

/**
 * The owner ends the group: nobody can post any more, every member gets REMOVED, and the
 * history stays readable. Members stay listed, so the last system message reaches them all.
 */
export async function dissolveGroup(rt: Runtime, actorId: string, groupId: string) {
  const { group } = await withGroupLocked(rt, groupId, actorId, async (ctx) => {
    requireRole(ctx.actorRole, ["owner"], "dissolve the group");
    await updateGroup(ctx.tx, ctx.group.id, { dissolvedAt: new Date() });
    return {};
  });
  await conversationChanged(rt, group.conversationId);
  await appendGroupChange(rt, group.conversationId, { type: "group_dissolved", actorId });
  const members = await findGroupMembers(rt.db, group.id);
  const userIds = members.map((m) => m.userId);
  await publishGroupNews(rt, group.id, { removed: { userIds, upToSeq: group.lastSeq } });
  return {};
}
