import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { findGroupMembers, type GroupRole, type GroupRow, groupSelect } from "@parley/db";
import {
  ConversationKind,
  ConversationStateSchema,
  GroupEventKind,
  GroupEventSchema,
  type SubscribeResponse,
  SubscribeResponseSchema,
} from "@parley/proto";
import type { Runtime } from "../runtime.ts";
import { toGroup } from "./convert.ts";

export interface GroupNews {
  /** Users who just joined, and the seq their history starts after. */
  joined?: { userIds: string[]; afterSeq: number };
  /** Users who just left, were removed or lost the group, and the last seq they keep. */
  removed?: { userIds: string[]; upToSeq: number };
}

function groupEvent(value: MessageInitShape<typeof GroupEventSchema>) {
  const group = create(GroupEventSchema, value);
  return create(SubscribeResponseSchema, { event: { case: "group", value: group } });
}

/**
 * Tells every current member what changed (JOINED for newcomers, UPDATED for the rest, each
 * with their own role) and the removed users that they are out.
 */
export async function publishGroupNews(rt: Runtime, groupId: string, news: GroupNews = {}) {
  const [group, members] = await Promise.all([
    rt.db.group.findUniqueOrThrow({ where: { id: groupId }, select: groupSelect }),
    findGroupMembers(rt.db, groupId),
  ]);
  const joined = new Set(news.joined?.userIds);
  const removed = new Set(news.removed?.userIds);
  const buckets = new Map<string, { userIds: string[]; event: SubscribeResponse }>();
  for (const member of members) {
    if (removed.has(member.userId)) continue;
    const isNew = joined.has(member.userId);
    const key = `${isNew}:${member.role}`;
    const bucket = buckets.get(key) ?? {
      userIds: [],
      event: isNew
        ? joinedEvent(group, member.role, news.joined?.afterSeq ?? 0)
        : updated(group, member.role),
    };
    bucket.userIds.push(member.userId);
    buckets.set(key, bucket);
  }
  if (news.removed && removed.size > 0) {
    buckets.set("removed", {
      userIds: [...removed],
      event: removedEvent(group, news.removed.upToSeq),
    });
  }
  await rt.publisher.many([...buckets.values()]);
}

function updated(group: GroupRow, role: GroupRole) {
  return groupEvent({ kind: GroupEventKind.UPDATED, group: toGroup(group, role) });
}

function joinedEvent(group: GroupRow, role: GroupRole, afterSeq: number) {
  const view = toGroup(group, role);
  const conversation = create(ConversationStateSchema, {
    conversationId: group.conversationId,
    kind: ConversationKind.GROUP,
    lastSeq: afterSeq,
    readSeq: afterSeq,
    lastActivityAt: timestampNow(),
    group: view,
  });
  return groupEvent({ kind: GroupEventKind.JOINED, group: view, conversation });
}

function removedEvent(group: GroupRow, upToSeq: number) {
  const view = toGroup(group);
  const conversation = create(ConversationStateSchema, {
    conversationId: group.conversationId,
    kind: ConversationKind.GROUP,
    lastSeq: upToSeq,
    group: view,
    closed: true,
  });
  return groupEvent({ kind: GroupEventKind.REMOVED, group: view, conversation });
}
