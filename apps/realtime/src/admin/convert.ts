import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AdminUserRow, listAuditEntries } from "@parley/db";
import {
  type AdminUser,
  AdminUserSchema,
  type AuditEntry,
  AuditEntrySchema,
  UserRole,
} from "@parley/proto";
import { toUser } from "../messages/convert.ts";

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>["entries"][number];

const stamp = (date: Date | null) => (date ? timestampFromDate(date) : undefined);

export function toAdminUser(row: AdminUserRow, online: boolean): AdminUser {
  return create(AdminUserSchema, {
    user: toUser(row),
    email: row.email,
    role: row.role === "admin" ? UserRole.ADMIN : UserRole.USER,
    online,
    lastSeenAt: stamp(row.lastSeenAt),
    bannedAt: stamp(row.bannedAt),
    banReason: row.banReason ?? "",
  });
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return create(AuditEntrySchema, {
    id: row.id,
    actor: toUser(row.actor),
    action: row.action,
    targetType: row.targetType ?? "",
    targetId: row.targetId ?? "",
    reason: row.reason ?? "",
    createdAt: timestampFromDate(row.createdAt),
  });
}
