import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { findGroupRoles, type Prisma, updateGroup, updateGroupMember } from "@parley/db";
import { GroupRole } from "@parley/proto";
import { invalid, notFound } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import { conversationChanged } from "../relations/events.ts";
import type { Runtime } from "../runtime.ts";
import { toGroupMember } from "./convert.ts";
import { publishGroupNews } from "./events.ts";
import { withGroupLocked } from "./locked.ts";
import { requireOutranks, requireRole } from "./rules.ts";
import { appendGroupChange } from "./system-messages.ts";

// A mute longer than this is a removal in disguise.
const MAX_MUTE_MS = 366 * 24 * 3600 * 1000;

async function requireMember(tx: Prisma.TransactionClient, groupId: string, userId: string) {
  const member = (await findGroupRoles(tx, groupId, [userId])).get(userId);
  if (!member) throw notFound("member");
  return member;
}

/** The owner makes a member an admin or an admin a member again. */
export async function setMemberRole(
  rt: Runtime,
  actorId: string,
  req: { groupId: string; userId: string; role: GroupRole },
) {
  const userId = requireId("user_id", req.userId);
  if (req.role === GroupRole.OWNER) throw invalid("role", "use TransferOwnership");
  if (req.role !== GroupRole.ADMIN && req.role !== GroupRole.MEMBER) {
    throw invalid("role", "must be admin or member");
  }
  const role = req.role === GroupRole.ADMIN ? "admin" : "member";

  const { member, group, changed } = await withGroupLocked(
    rt,
    req.groupId,
    actorId,
    async (ctx) => {
      requireRole(ctx.actorRole, ["owner"], "change roles");
      const current = await requireMember(ctx.tx, ctx.group.id, userId);
      requireOutranks(ctx.actorRole, current.role);
      const member = await updateGroupMember(ctx.tx, ctx.group.id, userId, { role });
      return { member, changed: current.role !== role };
    },
  );

  if (changed) {
    await conversationChanged(rt, group.conversationId);
    await appendGroupChange(rt, group.conversationId, {
      type: "role_changed",
      actorId,
      userId,
      role,
    });
    await publishGroupNews(rt, group.id);
  }
  return { member: toGroupMember(member) };
}

/** The owner hands the group to another member and becomes an admin. */
export async function transferOwnership(rt: Runtime, actorId: string, groupId: string, to: string) {
  const userId = requireId("user_id", to);
  if (userId === actorId) throw invalid("user_id", "you are the owner already");

  const { group } = await withGroupLocked(rt, groupId, actorId, async (ctx) => {
    requireRole(ctx.actorRole, ["owner"], "transfer ownership");
    await requireMember(ctx.tx, ctx.group.id, userId);
    await updateGroupMember(ctx.tx, ctx.group.id, userId, { role: "owner", mutedUntil: null });
    await updateGroupMember(ctx.tx, ctx.group.id, actorId, { role: "admin" });
    await updateGroup(ctx.tx, ctx.group.id, { ownerId: userId });
    return {};
  });

  await conversationChanged(rt, group.conversationId);
  await appendGroupChange(rt, group.conversationId, { type: "owner_changed", actorId, userId });
  await publishGroupNews(rt, group.id);
  return {};
}

/** Owner and admins stop a member posting until a time; no time lifts the mute. */
export async function muteMember(
  rt: Runtime,
  actorId: string,
  req: { groupId: string; userId: string; until?: Timestamp },
) {
  const userId = requireId("user_id", req.userId);
  if (userId === actorId) throw invalid("user_id", "cannot be yourself");
  const until = req.until ? timestampDate(req.until) : null;
  if (until && until.getTime() <= Date.now()) throw invalid("until", "must be in the future");
  if (until && until.getTime() - Date.now() > MAX_MUTE_MS) {
    throw invalid("until", "at most a year ahead");
  }

  const { member, group } = await withGroupLocked(rt, req.groupId, actorId, async (ctx) => {
    requireRole(ctx.actorRole, ["owner", "admin"], "mute members");
    const current = await requireMember(ctx.tx, ctx.group.id, userId);
    requireOutranks(ctx.actorRole, current.role);
    return { member: await updateGroupMember(ctx.tx, ctx.group.id, userId, { mutedUntil: until }) };
  });

  // Send reads mutes from the access cache: drop it everywhere.
  await conversationChanged(rt, group.conversationId);
  await publishGroupNews(rt, group.id);
  return { member: toGroupMember(member) };
}
