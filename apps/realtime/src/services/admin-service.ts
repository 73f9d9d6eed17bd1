import type { ServiceImpl } from "@connectrpc/connect";
import { listAuditEntries, listUsersForAdmin } from "@parley/db";
import type { AdminService } from "@parley/proto";
import { broadcastNotification } from "../admin/broadcast.ts";
import { toAdminUser, toAuditEntry } from "../admin/convert.ts";
import { decodePageToken, encodePageToken, pageSize } from "../admin/page-token.ts";
import { requireReason } from "../admin/reasons.ts";
import { requireAdmin } from "../admin/require-admin.ts";
import { banAccount, signOutAccount, unbanAccount } from "../admin/sanctions.ts";
import { collectStats } from "../admin/stats.ts";
import { invalid } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";

/** AdminService: every call checks the admin role first; every change is audit-logged. */
export function adminService(rt: Runtime): ServiceImpl<typeof AdminService> {
  return {
    async listUsers(req, ctx) {
      await requireAdmin(rt, ctx);
      const query = req.query.trim().toLowerCase();
      if (query.length > 254) throw invalid("query", "longer than 254 characters");
      const beforeId = decodePageToken("page_token", req.pageToken);
      const limit = pageSize("page_size", req.pageSize, 25, 100);
      const page = await listUsersForAdmin(rt.db, { query, beforeId, limit });
      const online = await rt.presence.onlineIds(page.users.map((u) => u.id));
      return {
        users: page.users.map((row) => toAdminUser(row, online.has(row.id))),
        nextPageToken: page.hasMore ? encodePageToken(page.users.at(-1)?.id) : "",
      };
    },

    async banUser(req, ctx) {
      const { userId: actorId } = await requireAdmin(rt, ctx);
      const userId = requireId("user_id", req.userId);
      await banAccount(rt, { actorId, userId, reason: requireReason("reason", req.reason) });
      return {};
    },

    async unbanUser(req, ctx) {
      const { userId: actorId } = await requireAdmin(rt, ctx);
      const userId = requireId("user_id", req.userId);
      await unbanAccount(rt, { actorId, userId, reason: requireReason("reason", req.reason) });
      return {};
    },

    async forceSignOut(req, ctx) {
      const { userId: actorId } = await requireAdmin(rt, ctx);
      const userId = requireId("user_id", req.userId);
      await signOutAccount(rt, { actorId, userId, reason: requireReason("reason", req.reason) });
      return {};
    },

    async getStats(_req, ctx) {
      await requireAdmin(rt, ctx);
      return collectStats(rt);
    },

    async broadcast(req, ctx) {
      const { userId: actorId } = await requireAdmin(rt, ctx);
      return { notificationId: await broadcastNotification(rt, actorId, req) };
    },

    async listAuditLog(req, ctx) {
      await requireAdmin(rt, ctx);
      const beforeId = decodePageToken("page_token", req.pageToken);
      const limit = pageSize("page_size", req.pageSize, 50, 200);
      const page = await listAuditEntries(rt.db, { beforeId, limit });
      return {
        entries: page.entries.map(toAuditEntry),
        nextPageToken: page.hasMore ? encodePageToken(page.entries.at(-1)?.id) : "",
      };
    },
  };
}
