import {
  findGroupRoles,
  type GroupRole,
  type LockedGroup,
  lockGroup,
  type Prisma,
} from "@parley/db";
import { notFound, precondition } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";

export interface GroupChangeContext {
  tx: Prisma.TransactionClient;
  group: LockedGroup;
  actorRole: GroupRole;
}

/**
 * Runs a change with the group (and its conversation) row-locked, so concurrent edits to one
 * group happen one after another and the persister cannot store a message in between: the
 * member list, member_count and who may post agree when the transaction commits. The caller
 * must be a current member of a group that is not dissolved; anyone else learns nothing.
 */
export async function withGroupLocked<T>(
  rt: Runtime,
  id: string,
  actorId: string,
  work: (ctx: GroupChangeContext) => Promise<T>,
): Promise<T & { group: LockedGroup }> {
  const groupId = requireId("group_id", id);
  return rt.db.$transaction(
    async (tx) => {
      const group = await lockGroup(tx, groupId);
      const actorRole = group && (await findGroupRoles(tx, groupId, [actorId])).get(actorId)?.role;
      if (!group || !actorRole) throw notFound("group");
      if (group.dissolvedAt) throw precondition("group_id: the group was dissolved");
      return { ...(await work({ tx, group, actorRole })), group };
    },
    { isolationLevel: "ReadCommitted", maxWait: 5_000, timeout: 10_000 },
  );
}
