import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  ConversationKind,
  ConversationStateSchema,
  SyncFrameSchema,
  UserSchema,
} from "@parley/proto";
import type { ChatMessage } from "./model";

/** Builders for the pure-logic tests: plain values, no I/O. */

export const ME = "u-me";
export const PEER = "u-peer";
export const DIRECT = "c-direct";
export const OTHER = "c-other";

export function message(seq: number, init: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m-${init.conversationId ?? DIRECT}-${seq}`,
    conversationId: DIRECT,
    seq,
    senderId: PEER,
    clientMessageId: `cm-${seq}`,
    kind: "text",
    body: `message ${seq}`,
    createdAt: 1_000_000 + seq * 1_000,
    ...init,
  };
}

export function syncFrame(
  conversations: { id: string; lastSeq: number; readSeq?: number; unread?: number; at?: number }[],
) {
  return create(SyncFrameSchema, {
    heartbeatSeconds: 15,
    conversations: conversations.map((c) =>
      create(ConversationStateSchema, {
        conversationId: c.id,
        kind: ConversationKind.DIRECT,
        lastSeq: c.lastSeq,
        readSeq: c.readSeq ?? c.lastSeq,
        unreadCount: c.unread ?? 0,
        lastActivityAt: timestampFromMs(c.at ?? 1_000_000),
        peer: create(UserSchema, { id: PEER, username: "peer", displayName: "Peer" }),
      }),
    ),
  });
}
