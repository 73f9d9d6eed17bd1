import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  type FriendEvent,
  FriendEventKind,
  type GroupEvent,
  GroupEventKind,
  type Presence,
  type ReadReceipt,
  type SubscribeResponse,
  type SystemNotification,
  type Typing,
} from "@parley/proto";
import {
  type ChatMessage,
  type ConversationSummary,
  toGroupView,
  toPresenceView,
  toSummary,
} from "./model";
import { type ChatState, type SystemNotice, updateTimeline, withConversations } from "./state";
import { emptyTimeline } from "./timeline";

/** How long a typing indicator lasts without a new typing event. */
export const TYPING_TTL_MS = 6_000;

/** How many system notifications the state keeps. */
const MAX_NOTICES = 50;

function patchConversation(
  state: ChatState,
  conversationId: string,
  patch: (summary: ConversationSummary) => ConversationSummary,
): ChatState {
  const summary = state.conversations[conversationId];
  if (!summary) return state;
  return withConversations(state, { ...state.conversations, [conversationId]: patch(summary) });
}

/** Recall or deletion: the body is gone everywhere, the message keeps its place. */
export function applyRemoval(
  state: ChatState,
  conversationId: string,
  seq: number,
  change: Pick<ChatMessage, "recalledAt"> | Pick<ChatMessage, "deletedAt">,
): ChatState {
  const strip = (m: ChatMessage): ChatMessage =>
    m.seq === seq ? { ...m, ...change, body: "", file: undefined } : m;
  const withTimeline = updateTimeline(state, conversationId, (t) => ({
    ...t,
    messages: t.messages.map(strip),
  }));
  return patchConversation(withTimeline, conversationId, (s) =>
    s.lastMessage?.seq === seq ? { ...s, lastMessage: strip(s.lastMessage) } : s,
  );
}

/** A read receipt: the own devices take the new unread count, the peer's moves ticks. */
export function applyRead(state: ChatState, receipt: ReadReceipt): ChatState {
  return patchConversation(state, receipt.conversationId, (s) => {
    if (receipt.userId === state.selfUserId) {
      if (receipt.readSeq < s.readSeq) return s;
      return { ...s, readSeq: receipt.readSeq, unreadCount: receipt.unreadCount };
    }
    if (s.kind === "direct" && receipt.readSeq > s.peerReadSeq) {
      return { ...s, peerReadSeq: receipt.readSeq };
    }
    return s;
  });
}

export function applyTyping(
  state: ChatState,
  typing: Pick<Typing, "conversationId" | "userId" | "typing">,
  now: number,
): ChatState {
  if (typing.userId === state.selfUserId) return state;
  const existing = state.typing[typing.conversationId] ?? {};
  if (!typing.typing && !(typing.userId in existing)) return state;
  const current = { ...existing };
  if (typing.typing) current[typing.userId] = now + TYPING_TTL_MS;
  else delete current[typing.userId];
  return { ...state, typing: { ...state.typing, [typing.conversationId]: current } };
}

/** Drops typing indicators that expired; returns `state` itself when none did. */
export function pruneTyping(state: ChatState, now: number): ChatState {
  let changed = false;
  const typing: Record<string, Record<string, number>> = {};
  for (const [conversationId, users] of Object.entries(state.typing)) {
    const live = Object.entries(users).filter(([, expiresAt]) => expiresAt > now);
    if (live.length !== Object.keys(users).length) changed = true;
    if (live.length > 0) typing[conversationId] = Object.fromEntries(live);
    else if (Object.keys(users).length > 0) changed = true;
  }
  return changed ? { ...state, typing } : state;
}

/** Who is typing in a conversation at `now`, other than the user. */
export function typingUsers(state: ChatState, conversationId: string, now: number): string[] {
  const users = state.typing[conversationId] ?? {};
  return Object.entries(users)
    .filter(([, expiresAt]) => expiresAt > now)
    .map(([userId]) => userId);
}

export function applyPresence(state: ChatState, presence: Presence): ChatState {
  return { ...state, presence: { ...state.presence, [presence.userId]: toPresenceView(presence) } };
}

function setDirectClosed(state: ChatState, userId: string, closed: boolean): ChatState {
  const summary = Object.values(state.conversations).find(
    (c) => c.kind === "direct" && c.peer?.id === userId,
  );
  if (!summary || summary.closed === closed) return state;
  return patchConversation(state, summary.id, (s) => ({ ...s, closed }));
}

function addDirectConversation(state: ChatState, event: FriendEvent): ChatState {
  const friend = event.friend;
  const user = friend?.user;
  if (!friend?.conversationId || !user) return state;
  // A new friend's presence was not in the sync frame; the event brings it.
  const withPresence = friend.presence ? applyPresence(state, friend.presence) : state;
  if (state.conversations[friend.conversationId]) {
    return setDirectClosed(withPresence, user.id, false);
  }
  const since = friend.since ? timestampMs(friend.since) : 0;
  const summary: ConversationSummary = {
    id: friend.conversationId,
    kind: "direct",
    lastSeq: 0,
    readSeq: 0,
    unreadCount: 0,
    peerReadSeq: 0,
    lastActivityAt: since,
    peer: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      avatarUrl: user.avatarUrl,
    },
    closed: false,
  };
  const next = withConversations(withPresence, {
    ...withPresence.conversations,
    [summary.id]: summary,
  });
  return {
    ...next,
    timelines: { ...next.timelines, [summary.id]: emptyTimeline(summary.id, 0) },
  };
}

export function applyFriendEvent(state: ChatState, event: FriendEvent): ChatState {
  const bumped = { ...state, relationsVersion: state.relationsVersion + 1 };
  const toMe = event.request?.to?.id === state.selfUserId;
  const otherId = event.user?.id ?? "";
  switch (event.kind) {
    case FriendEventKind.REQUEST_RECEIVED:
      // The sender's own devices hear of the request too; only requests to the user count.
      if (!toMe) return bumped;
      return { ...bumped, pendingFriendRequests: bumped.pendingFriendRequests + 1 };
    case FriendEventKind.REQUEST_ACCEPTED:
      return addDirectConversation(decrementRequests(bumped, toMe), event);
    case FriendEventKind.REQUEST_DECLINED:
    case FriendEventKind.REQUEST_CANCELLED:
      return decrementRequests(bumped, toMe);
    case FriendEventKind.FRIEND_REMOVED:
      return setDirectClosed(bumped, otherId, true);
    case FriendEventKind.BLOCKED:
      return setDirectClosed(withBlocked(bumped, otherId, true), otherId, true);
    case FriendEventKind.UNBLOCKED:
      return withBlocked(bumped, otherId, false);
    default:
      return bumped;
  }
}

export function withBlocked(state: ChatState, userId: string, blocked: boolean): ChatState {
  if (!userId || (state.blockedUserIds[userId] === true) === blocked) return state;
  const { [userId]: _, ...rest } = state.blockedUserIds;
  return { ...state, blockedUserIds: blocked ? { ...rest, [userId]: true } : rest };
}

function decrementRequests(state: ChatState, applies: boolean): ChatState {
  if (!applies) return state;
  return { ...state, pendingFriendRequests: Math.max(0, state.pendingFriendRequests - 1) };
}

export function applyGroupEvent(state: ChatState, event: GroupEvent): ChatState {
  let next: ChatState = { ...state, groupsVersion: state.groupsVersion + 1 };
  const group = toGroupView(event.group);
  if (event.conversation) {
    const incoming = toSummary(event.conversation);
    const current = next.conversations[incoming.id];
    // Keep what the stream taught this client since; the event may be older than that.
    const merged =
      current && current.lastSeq > incoming.lastSeq
        ? { ...current, group: incoming.group ?? current.group, closed: incoming.closed }
        : incoming;
    next = withConversations(next, { ...next.conversations, [merged.id]: merged });
    const timeline = next.timelines[merged.id] ?? emptyTimeline(merged.id, merged.lastSeq);
    next = { ...next, timelines: { ...next.timelines, [merged.id]: timeline } };
  } else if (group?.conversationId) {
    next = patchConversation(next, group.conversationId, (s) => ({ ...s, group }));
  }
  if (event.kind === GroupEventKind.REMOVED && group?.conversationId) {
    next = patchConversation(next, group.conversationId, (s) => ({ ...s, closed: true }));
  }
  return next;
}

export function applyNotification(state: ChatState, notification: SystemNotification): ChatState {
  const notice: SystemNotice = {
    id: notification.id,
    body: notification.body,
    groupId: notification.groupId,
    createdAt: notification.createdAt ? timestampMs(notification.createdAt) : 0,
  };
  if (state.notices.some((n) => n.id === notice.id)) return state;
  return { ...state, notices: [notice, ...state.notices].slice(0, MAX_NOTICES) };
}

/**
 * Applies one stream event other than the sync frame and stored messages, which need I/O
 * (catch-up and gap filling) and are handled by the session.
 */
export function applyEvent(state: ChatState, response: SubscribeResponse, now: number): ChatState {
  const event = response.event;
  switch (event.case) {
    case "recalled": {
      const { conversationId, seq, recalledAt } = event.value;
      const at = recalledAt ? timestampMs(recalledAt) : now;
      return applyRemoval(state, conversationId, seq, { recalledAt: at });
    }
    case "deleted": {
      const { conversationId, seq, deletedAt } = event.value;
      const at = deletedAt ? timestampMs(deletedAt) : now;
      return applyRemoval(state, conversationId, seq, { deletedAt: at });
    }
    case "read":
      return applyRead(state, event.value);
    case "typing":
      return applyTyping(state, event.value, now);
    case "presence":
      return applyPresence(state, event.value);
    case "friend":
      return applyFriendEvent(state, event.value);
    case "group":
      return applyGroupEvent(state, event.value);
    case "notification":
      return applyNotification(state, event.value);
    default:
      return state;
  }
}
