import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { checkMessageBody } from "@parley/client";
import {
  createSystemNotification,
  findGroupAudience,
  findNotificationsForUser,
  type NotificationRow,
  newId,
} from "@parley/db";
import {
  type BroadcastRequest,
  SubscribeResponseSchema,
  type SystemNotification,
  SystemNotificationSchema,
} from "@parley/proto";
import { notFound, precondition } from "../errors.ts";
import { requireId } from "../messages/validate.ts";
import type { Runtime } from "../runtime.ts";
import { publishToEveryone } from "../streams/broadcast.ts";
import { deploymentName } from "./deployment.ts";

export function toNotification(row: NotificationRow): SystemNotification {
  return create(SystemNotificationSchema, {
    id: row.id,
    body: row.body,
    groupId: row.groupId ?? "",
    createdAt: timestampFromDate(row.createdAt),
  });
}

/**
 * Stores a system notification (with its audit entry), then pushes it to the users who are
 * online now: everyone through the broadcast channel, or the group's members through their
 * own channels. Offline users find it in their next sync frame.
 */
export async function broadcastNotification(
  rt: Runtime,
  actorId: string,
  req: BroadcastRequest,
): Promise<string> {
  // The same rules as a chat message: 1-4000 characters, not only whitespace.
  const body = checkMessageBody(req.body);
  if (!body.ok) throw new ConnectError(body.reason, Code.InvalidArgument);
  const groupId = req.groupId ? requireId("group_id", req.groupId) : null;
  const members = groupId ? await groupMembers(rt, groupId) : undefined;

  const row = await createSystemNotification(rt.db, {
    id: newId(),
    body: req.body,
    groupId,
    createdById: actorId,
  });
  rt.log.info({ actorId, groupId, notificationId: row.id }, "broadcast sent");

  const value = toNotification(row);
  const event = create(SubscribeResponseSchema, { event: { case: "notification", value } });
  if (members) await rt.publisher.toUsers(members, event);
  else await publishToEveryone(rt.bus, deploymentName(rt.config.DATABASE_URL), event);
  return row.id;
}

// The sync frame brings offline users what was broadcast while they were away, within limits.
const SYNC_DAYS = 7;
const SYNC_LIMIT = 20;

/** The notifications a user's sync frame carries, newest first. */
export async function recentNotifications(
  rt: Runtime,
  userId: string,
): Promise<SystemNotification[]> {
  const since = new Date(Date.now() - SYNC_DAYS * 86_400_000);
  const rows = await findNotificationsForUser(rt.db, userId, { since, limit: SYNC_LIMIT });
  return rows.map(toNotification);
}

async function groupMembers(rt: Runtime, groupId: string): Promise<string[]> {
  const audience = await findGroupAudience(rt.db, groupId);
  if (!audience) throw notFound("group");
  if (audience.dissolved) throw precondition("the group is dissolved");
  return audience.memberIds;
}
