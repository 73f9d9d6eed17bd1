import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type ConversationSummary,
  findDirectPeers,
  findMessagesAt,
  findPresenceWatchers,
  findUsersByIds,
  groupSelect,
  listUserConversations,
} from "@parley/db";
import {
  ConversationKind,
  type ConversationState,
  ConversationStateSchema,
  type SyncFrame,
  SyncFrameSchema,
} from "@parley/proto";
import { recentNotifications } from "../admin/broadcast.ts";
import { toGroup } from "../groups/convert.ts";
import { toMessage, toUser } from "../messages/convert.ts";
import { hideBlockedSenders } from "../relations/blocked-view.ts";
import type { Runtime } from "../runtime.ts";

/** The first frame of every stream: each conversation's positions, previews and presence. */
export async function buildSyncFrame(rt: Runtime, userId: string): Promise<SyncFrame> {
  const summaries = await listUserConversations(rt.db, userId);
  const visibleLast = (s: ConversationSummary) => Math.min(s.lastSeq, s.leftSeq ?? s.lastSeq);
  const [previews, directs, groups, watchers, pending, notifications] = await Promise.all([
    findMessagesAt(
      rt.db,
      summaries.map((s) => ({ id: s.id, seq: visibleLast(s) })),
    ),
    findDirectPeers(
      rt.db,
      userId,
      summaries.filter((s) => s.kind === "direct").map((s) => s.id),
    ),
    loadGroups(
      rt,
      userId,
      summaries.filter((s) => s.kind === "group").map((s) => s.id),
    ),
    findPresenceWatchers(rt.db, userId),
    rt.db.friendRequest.count({ where: { toId: userId, status: "pending" } }),
    recentNotifications(rt, userId),
  ]);
  const peers = new Map(
    (
      await findUsersByIds(
        rt.db,
        directs.map((d) => d.user_id),
      )
    ).map((u) => [u.id, u]),
  );
  const previewOf = new Map(previews.map((m) => [m.conversationId, m]));
  const directOf = new Map(directs.map((d) => [d.conversation_id, d]));
  const conversations = summaries.map((s): ConversationState => {
    const last = visibleLast(s);
    const preview = previewOf.get(s.id);
    const direct = directOf.get(s.id);
    const group = groups.get(s.id);
    const peer = direct ? peers.get(direct.user_id) : undefined;
    const activity = preview?.createdAt ?? s.lastMessageAt ?? s.createdAt;
    return create(ConversationStateSchema, {
      conversationId: s.id,
      kind: s.kind === "direct" ? ConversationKind.DIRECT : ConversationKind.GROUP,
      lastSeq: last,
      readSeq: Math.min(s.readSeq, last),
      unreadCount: Math.max(last - Math.max(s.readSeq, s.joinedSeq), 0),
      lastMessage: preview ? toMessage(preview) : undefined,
      lastActivityAt: timestampFromDate(activity),
      peer: peer ? toUser(peer) : undefined,
      group,
      closed: s.leftSeq !== null || (direct ? !canTalk(direct) : Boolean(group?.dissolvedAt)),
      peerReadSeq: direct?.read_seq ?? 0,
    });
  });
  await hideBlockedSenders(rt.db, userId, summaries, conversations);
  return create(SyncFrameSchema, {
    conversations,
    presences: await rt.presence.describe(watchers),
    pendingFriendRequests: pending,
    heartbeatSeconds: rt.config.HEARTBEAT_SECONDS,
    notifications,
  });
}

/** A direct conversation is open while the two are friends and neither blocks the other. */
function canTalk(direct: { friends: number | bigint; blocks: number | bigint }) {
  return Number(direct.friends) > 0 && Number(direct.blocks) === 0;
}

async function loadGroups(rt: Runtime, userId: string, conversationIds: string[]) {
  const rows = await rt.db.group.findMany({
    where: { conversationId: { in: conversationIds } },
    select: { ...groupSelect, members: { where: { userId }, select: { role: true } } },
  });
  return new Map(rows.map((g) => [g.conversationId, toGroup(g, g.members[0]?.role)]));
}
