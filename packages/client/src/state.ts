import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { SyncFrame } from "@parley/proto";
import {
  type ChatMessage,
  type ConversationSummary,
  type PendingMessage,
  type PresenceView,
  toPresenceView,
  toSummary,
  type UserView,
} from "./model";
import { addOlderPage, addToTimeline, emptyTimeline, type Timeline } from "./timeline";

export type ConnectionStatus =
  /** Not started, or stopped by the caller. */
  | "idle"
  | "connecting"
  /** The stream is open and the sync frame applied. */
  | "live"
  /** Waiting before the next attempt after a failure. */
  | "reconnecting"
  /** The session ended (token refresh refused): sign in again. */
  | "signedOut"
  /** The account is banned. */
  | "banned";

export interface SystemNotice {
  id: string;
  body: string;
  groupId: string;
  createdAt: number;
}

/** Everything the client knows, as one immutable value: a new object after every change. */
export interface ChatState {
  selfUserId: string;
  status: ConnectionStatus;
  /** Why the last connection attempt failed, for display; empty when live. */
  lastError: string;
  heartbeatSeconds: number;
  conversations: Readonly<Record<string, ConversationSummary>>;
  /** Conversation ids, most recent activity first. */
  conversationOrder: readonly string[];
  timelines: Readonly<Record<string, Timeline>>;
  presence: Readonly<Record<string, PresenceView>>;
  /** conversationId → userId → when the typing indicator expires (epoch ms). */
  typing: Readonly<Record<string, Readonly<Record<string, number>>>>;
  pendingFriendRequests: number;
  /** Goes up on every friend or block event, so views know to reload their lists. */
  relationsVersion: number;
  /** Goes up on every group event. */
  groupsVersion: number;
  /** System notifications, newest first. */
  notices: readonly SystemNotice[];
  /**
   * Users the user blocks. The server keeps their messages out of the user's stream but not
   * out of history, so a gap fill can bring some: views hide them (see `isHiddenMessage`).
   */
  blockedUserIds: Readonly<Record<string, true>>;
}

// As many as applyNotification keeps.
const MAX_SYNCED_NOTICES = 50;

export function initialState(selfUserId: string): ChatState {
  return {
    selfUserId,
    status: "idle",
    lastError: "",
    heartbeatSeconds: 0,
    conversations: {},
    conversationOrder: [],
    timelines: {},
    presence: {},
    typing: {},
    pendingFriendRequests: 0,
    relationsVersion: 0,
    groupsVersion: 0,
    notices: [],
    blockedUserIds: {},
  };
}

/** True for a message the user must not see: one from someone they block (not a system one). */
export function isHiddenMessage(
  state: Pick<ChatState, "blockedUserIds">,
  message: Pick<ChatMessage, "kind" | "senderId">,
): boolean {
  return message.kind !== "system" && state.blockedUserIds[message.senderId] === true;
}

/** Conversation ids ordered by last activity, newest first; ties broken by id for stability. */
export function orderConversations(
  conversations: Readonly<Record<string, ConversationSummary>>,
): string[] {
  return Object.values(conversations)
    .sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1))
    .map((c) => c.id);
}

export function withConversations(
  state: ChatState,
  conversations: Record<string, ConversationSummary>,
): ChatState {
  return { ...state, conversations, conversationOrder: orderConversations(conversations) };
}

/**
 * Applies a sync frame. Summaries come from the frame (the server's word on unread counts and
 * read positions); loaded timelines are kept, and `catchUpRanges` says what they miss.
 */
export function applySync(state: ChatState, frame: SyncFrame): ChatState {
  const conversations: Record<string, ConversationSummary> = {};
  const timelines: Record<string, Timeline> = { ...state.timelines };
  for (const conversation of frame.conversations) {
    const summary = toSummary(conversation);
    conversations[summary.id] = summary;
    timelines[summary.id] ??= emptyTimeline(summary.id, summary.lastSeq);
  }
  // A conversation the frame no longer lists (removed while offline) stays readable, closed.
  for (const [id, summary] of Object.entries(state.conversations)) {
    conversations[id] ??= { ...summary, closed: true };
  }
  const presence: Record<string, PresenceView> = {};
  for (const p of frame.presences) presence[p.userId] = toPresenceView(p);
  return {
    ...withConversations(state, conversations),
    timelines,
    presence,
    pendingFriendRequests: frame.pendingFriendRequests,
    heartbeatSeconds: frame.heartbeatSeconds,
    notices: mergeNotices(state.notices, frame),
  };
}

/**
 * Puts profiles looked up after the sync frame (a rename reaches no one live) into the direct
 * conversations with those people; the next sync frame is the server's word again.
 */
export function applyPeers(state: ChatState, users: readonly UserView[]): ChatState {
  const byId = new Map(users.map((u) => [u.id, u]));
  let conversations: Record<string, ConversationSummary> | undefined;
  for (const [id, summary] of Object.entries(state.conversations)) {
    const fresh = summary.peer && byId.get(summary.peer.id);
    if (!fresh || samePerson(fresh, summary.peer)) continue;
    conversations ??= { ...state.conversations };
    conversations[id] = { ...summary, peer: fresh };
  }
  return conversations ? { ...state, conversations } : state;
}

function samePerson(a: UserView, b: UserView | undefined): boolean {
  return (
    a.displayName === b?.displayName && a.avatarUrl === b.avatarUrl && a.username === b.username
  );
}

/** The frame's notifications (sent while offline) join the known ones: once each, newest first. */
function mergeNotices(known: readonly SystemNotice[], frame: SyncFrame): readonly SystemNotice[] {
  if (frame.notifications.length === 0) return known;
  const byId = new Map(known.map((notice) => [notice.id, notice]));
  for (const n of frame.notifications) {
    const createdAt = n.createdAt ? timestampMs(n.createdAt) : 0;
    byId.set(n.id, { id: n.id, body: n.body, groupId: n.groupId, createdAt });
  }
  return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, MAX_SYNCED_NOTICES);
}

/** The ranges each loaded conversation lacks after a sync frame: fetch them AFTER `afterSeq`. */
export function catchUpRanges(state: ChatState): { conversationId: string; afterSeq: number }[] {
  const ranges: { conversationId: string; afterSeq: number }[] = [];
  for (const summary of Object.values(state.conversations)) {
    const timeline = state.timelines[summary.id];
    if (timeline && summary.lastSeq > timeline.contiguousSeq) {
      ranges.push({ conversationId: summary.id, afterSeq: timeline.contiguousSeq });
    }
  }
  return ranges;
}

function summarize(
  summary: ConversationSummary,
  messages: readonly ChatMessage[],
  state: ChatState,
): ConversationSummary {
  let next = summary;
  for (const message of messages) {
    if (message.seq <= next.lastSeq) continue;
    if (isHiddenMessage(state, message)) {
      next = { ...next, lastSeq: message.seq };
      continue;
    }
    // Only messages new to this client count as unread; the sync frame counted the others.
    const unread = message.senderId !== state.selfUserId && message.seq > next.readSeq ? 1 : 0;
    next = {
      ...next,
      lastSeq: message.seq,
      lastMessage: message,
      lastActivityAt: Math.max(next.lastActivityAt, message.createdAt),
      unreadCount: next.unreadCount + unread,
    };
  }
  const last = next.lastMessage;
  if (last) {
    // A recall or deletion of the last message shows in the list too.
    const updated = messages.find((m) => m.seq === last.seq);
    if (updated && updated !== last) next = { ...next, lastMessage: updated };
  }
  return next;
}

function placeholderSummary(conversationId: string): ConversationSummary {
  return {
    id: conversationId,
    kind: "direct",
    lastSeq: 0,
    readSeq: 0,
    unreadCount: 0,
    peerReadSeq: 0,
    lastActivityAt: 0,
    closed: false,
  };
}

/**
 * Adds stored messages of one conversation, from the stream or from history: each seq once,
 * in order; own pending copies are settled; the summary and unread count follow.
 */
export function applyMessages(
  state: ChatState,
  conversationId: string,
  messages: readonly ChatMessage[],
): ChatState {
  if (messages.length === 0) return state;
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  const timeline = state.timelines[conversationId] ?? emptyTimeline(conversationId, 0);
  const summary = state.conversations[conversationId] ?? placeholderSummary(conversationId);
  const conversations = {
    ...state.conversations,
    [conversationId]: summarize(summary, sorted, state),
  };
  return {
    ...withConversations(state, conversations),
    timelines: {
      ...state.timelines,
      [conversationId]: addToTimeline(timeline, sorted, state.selfUserId),
    },
  };
}

/** Applies a page of older history. */
export function applyOlder(
  state: ChatState,
  conversationId: string,
  page: readonly ChatMessage[],
  hasMore: boolean,
): ChatState {
  const timeline = state.timelines[conversationId];
  if (!timeline) return state;
  const next = addOlderPage(timeline, page, hasMore, state.selfUserId);
  const withSummary = applyMessages(state, conversationId, page);
  return { ...withSummary, timelines: { ...withSummary.timelines, [conversationId]: next } };
}

export function updateTimeline(
  state: ChatState,
  conversationId: string,
  update: (timeline: Timeline) => Timeline,
): ChatState {
  const timeline = state.timelines[conversationId] ?? emptyTimeline(conversationId, 0);
  return { ...state, timelines: { ...state.timelines, [conversationId]: update(timeline) } };
}

export function addPending(state: ChatState, pending: PendingMessage): ChatState {
  const withPending = updateTimeline(state, pending.conversationId, (t) => ({
    ...t,
    pending: [...t.pending, pending],
  }));
  const summary = state.conversations[pending.conversationId];
  if (!summary) return withPending;
  const bumped = {
    ...summary,
    lastActivityAt: Math.max(summary.lastActivityAt, pending.createdAt),
  };
  return withConversations(withPending, { ...state.conversations, [summary.id]: bumped });
}

export function patchPending(
  state: ChatState,
  conversationId: string,
  clientMessageId: string,
  patch: Partial<PendingMessage>,
): ChatState {
  const timeline = state.timelines[conversationId];
  if (!timeline?.pending.some((p) => p.clientMessageId === clientMessageId)) return state;
  return updateTimeline(state, conversationId, (t) => ({
    ...t,
    pending: t.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, ...patch } : p)),
  }));
}

/** Finds a pending message in any conversation. */
export function findPending(state: ChatState, clientMessageId: string): PendingMessage | undefined {
  for (const timeline of Object.values(state.timelines)) {
    const found = timeline.pending.find((p) => p.clientMessageId === clientMessageId);
    if (found) return found;
  }
  return undefined;
}

/** True when the stored copy of an own message is already in the timeline. */
export function isStored(state: ChatState, conversationId: string, clientMessageId: string) {
  const timeline = state.timelines[conversationId];
  return Boolean(
    timeline?.messages.some(
      (m) => m.clientMessageId === clientMessageId && m.senderId === state.selfUserId,
    ),
  );
}

/** Moves the own read position forward before the server confirms it. */
export function markReadLocally(state: ChatState, conversationId: string, seq: number): ChatState {
  const summary = state.conversations[conversationId];
  if (!summary || seq <= summary.readSeq) return state;
  const timeline = state.timelines[conversationId];
  const unreadAfter =
    timeline?.messages.filter(
      (m) => m.seq > seq && m.senderId !== state.selfUserId && !isHiddenMessage(state, m),
    ).length ?? 0;
  const next = {
    ...summary,
    readSeq: seq,
    unreadCount: Math.min(summary.unreadCount, unreadAfter),
  };
  return withConversations(state, { ...state.conversations, [conversationId]: next });
}
