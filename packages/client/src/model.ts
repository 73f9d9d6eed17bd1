import { timestampMs } from "@bufbuild/protobuf/wkt";
import {
  ConversationKind,
  type ConversationState,
  type Group,
  GroupRole,
  type Message,
  MessageKind,
  type Presence,
  type User,
} from "@parley/proto";

/** A user as the store keeps it: plain data, no protobuf metadata. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string;
}

export type GroupRoleName = "owner" | "admin" | "member" | "none";

export interface GroupView {
  id: string;
  name: string;
  avatarUrl: string;
  ownerId: string;
  conversationId: string;
  memberCount: number;
  dissolved: boolean;
  myRole: GroupRoleName;
}

export type MessageKindName = "text" | "file" | "system";

export interface FileView {
  id: string;
  name: string;
  size: number;
  mediaType: string;
}

/** A message the server stored: it has its seq. Times are epoch milliseconds. */
export interface ChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  kind: MessageKindName;
  /** Empty once recalled or deleted. */
  body: string;
  file?: FileView;
  createdAt: number;
  recalledAt?: number;
  deletedAt?: number;
}

/** One of the user's own messages that the stream has not delivered back yet. */
export interface PendingMessage {
  clientMessageId: string;
  conversationId: string;
  body: string;
  /** Set for a message of kind file: the uploaded file it carries. */
  file?: FileView;
  createdAt: number;
  status: "pending" | "failed";
  /** Set once `Send` succeeded: the message is durable, its seq arrives on the stream. */
  accepted: boolean;
  /** Why it failed, safe to show. */
  error?: string;
}

export interface PresenceView {
  online: boolean;
  lastSeenAt?: number;
}

export type ConversationKindName = "direct" | "group";

/** What the conversation list shows for one conversation. */
export interface ConversationSummary {
  id: string;
  kind: ConversationKindName;
  lastSeq: number;
  readSeq: number;
  unreadCount: number;
  /** The other member's read position (direct conversations). */
  peerReadSeq: number;
  lastMessage?: ChatMessage;
  lastActivityAt: number;
  peer?: UserView;
  group?: GroupView;
  /** The user can no longer post here. */
  closed: boolean;
}

export function toUserView(user: User | undefined): UserView | undefined {
  if (!user) return undefined;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
  };
}

const roleNames: Record<GroupRole, GroupRoleName> = {
  [GroupRole.UNSPECIFIED]: "none",
  [GroupRole.OWNER]: "owner",
  [GroupRole.ADMIN]: "admin",
  [GroupRole.MEMBER]: "member",
};

export function roleName(role: GroupRole): GroupRoleName {
  return roleNames[role] ?? "none";
}

export function toGroupView(group: Group | undefined): GroupView | undefined {
  if (!group) return undefined;
  return {
    id: group.id,
    name: group.name,
    avatarUrl: group.avatarUrl,
    ownerId: group.ownerId,
    conversationId: group.conversationId,
    memberCount: group.memberCount,
    dissolved: group.dissolvedAt !== undefined,
    myRole: roleName(group.myRole),
  };
}

function kindName(kind: MessageKind): MessageKindName {
  if (kind === MessageKind.SYSTEM) return "system";
  if (kind === MessageKind.FILE) return "file";
  return "text";
}

export function toChatMessage(message: Message): ChatMessage {
  const view: ChatMessage = {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    clientMessageId: message.clientMessageId,
    kind: kindName(message.kind),
    body: message.body,
    createdAt: message.createdAt ? timestampMs(message.createdAt) : 0,
  };
  if (message.file) {
    const { id, name, size, mediaType } = message.file;
    view.file = { id, name, size: Number(size), mediaType };
  }
  if (message.recalledAt) view.recalledAt = timestampMs(message.recalledAt);
  if (message.deletedAt) view.deletedAt = timestampMs(message.deletedAt);
  return view;
}

export function toPresenceView(presence: Presence): PresenceView {
  const view: PresenceView = { online: presence.online };
  if (presence.lastSeenAt) view.lastSeenAt = timestampMs(presence.lastSeenAt);
  return view;
}

export function toSummary(state: ConversationState): ConversationSummary {
  const lastMessage = state.lastMessage ? toChatMessage(state.lastMessage) : undefined;
  const activity = state.lastActivityAt ? timestampMs(state.lastActivityAt) : 0;
  const summary: ConversationSummary = {
    id: state.conversationId,
    kind: state.kind === ConversationKind.GROUP ? "group" : "direct",
    lastSeq: state.lastSeq,
    readSeq: state.readSeq,
    unreadCount: state.unreadCount,
    peerReadSeq: state.peerReadSeq,
    lastActivityAt: Math.max(activity, lastMessage?.createdAt ?? 0),
    closed: state.closed,
  };
  if (lastMessage) summary.lastMessage = lastMessage;
  const peer = toUserView(state.peer);
  if (peer) summary.peer = peer;
  const group = toGroupView(state.group);
  if (group) summary.group = group;
  return summary;
}
