import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { GroupMemberRow, GroupRow, GroupRole as RoleName } from "@parley/db";
import {
  type Group,
  type GroupMember,
  GroupMemberSchema,
  GroupRole,
  GroupSchema,
} from "@parley/proto";
import { toUser } from "../messages/convert.ts";

const ROLES = { owner: GroupRole.OWNER, admin: GroupRole.ADMIN, member: GroupRole.MEMBER };

/** A group as `viewerRole` sees it; no role means the viewer is not a member. */
export function toGroup(row: GroupRow, viewerRole?: RoleName): Group {
  return create(GroupSchema, {
    id: row.id,
    name: row.name,
    avatarUrl: row.avatarUrl ?? "",
    ownerId: row.ownerId,
    conversationId: row.conversationId,
    memberCount: row.memberCount,
    memberCap: row.memberCap,
    createdAt: timestampFromDate(row.createdAt),
    dissolvedAt: row.dissolvedAt ? timestampFromDate(row.dissolvedAt) : undefined,
    myRole: viewerRole ? ROLES[viewerRole] : GroupRole.UNSPECIFIED,
  });
}

export function toGroupMember(row: GroupMemberRow): GroupMember {
  return create(GroupMemberSchema, {
    user: toUser(row.user),
    role: ROLES[row.role],
    mutedUntil: row.mutedUntil ? timestampFromDate(row.mutedUntil) : undefined,
    joinedAt: timestampFromDate(row.joinedAt),
  });
}
