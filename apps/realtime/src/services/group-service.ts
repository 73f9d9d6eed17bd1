import type { ServiceImpl } from "@connectrpc/connect";
import type { GroupService } from "@parley/proto";
import { principalOf } from "../auth/context.ts";
import {
  createGroup,
  dissolveGroup,
  getGroup,
  listMyGroups,
  renameGroup,
} from "../groups/lifecycle.ts";
import { addMembers, leaveGroup, removeMember } from "../groups/membership.ts";
import { muteMember, setMemberRole, transferOwnership } from "../groups/roles.ts";
import type { Runtime } from "../runtime.ts";

/** Groups, members and roles; the rules live in ../groups. */
export function groupService(rt: Runtime): ServiceImpl<typeof GroupService> {
  const me = (ctx: Parameters<typeof principalOf>[0]) => principalOf(ctx).userId;
  return {
    createGroup: (req, ctx) => createGroup(rt, me(ctx), req),
    getGroup: (req, ctx) => getGroup(rt, me(ctx), req.groupId),
    listMyGroups: (_req, ctx) => listMyGroups(rt, me(ctx)),
    addMembers: (req, ctx) => addMembers(rt, me(ctx), req.groupId, req.userIds),
    removeMember: (req, ctx) => removeMember(rt, me(ctx), req.groupId, req.userId),
    leaveGroup: (req, ctx) => leaveGroup(rt, me(ctx), req.groupId),
    setMemberRole: (req, ctx) => setMemberRole(rt, me(ctx), req),
    transferOwnership: (req, ctx) => transferOwnership(rt, me(ctx), req.groupId, req.userId),
    muteMember: (req, ctx) => muteMember(rt, me(ctx), req),
    renameGroup: (req, ctx) => renameGroup(rt, me(ctx), req.groupId, req.name),
    dissolveGroup: async (req, ctx) => dissolveGroup(rt, me(ctx), req.groupId),
  };
}
