import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Message, MessageKind, MessageSchema, type User, UserSchema } from "@parley/proto";

const KINDS = { text: MessageKind.TEXT, file: MessageKind.FILE, system: MessageKind.SYSTEM };

export interface MessageRow {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientMessageId: string;
  kind: "text" | "file" | "system";
  body: string;
  createdAt: Date;
  recalledAt?: Date | null;
  deletedAt?: Date | null;
  file?: { id: string; name: string; size: bigint; mediaType: string; sha256: string } | null;
}

/** A stored message as clients see it: recalled and deleted ones keep no body. */
export function toMessage(row: MessageRow): Message {
  const gone = Boolean(row.recalledAt || row.deletedAt);
  return create(MessageSchema, {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    clientMessageId: row.clientMessageId,
    kind: KINDS[row.kind],
    body: gone ? "" : row.body,
    file: row.file && !gone ? { ...row.file } : undefined,
    createdAt: timestampFromDate(row.createdAt),
    recalledAt: row.recalledAt ? timestampFromDate(row.recalledAt) : undefined,
    deletedAt: row.deletedAt ? timestampFromDate(row.deletedAt) : undefined,
  });
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: Date;
}

export function toUser(row: UserRow): User {
  return create(UserSchema, {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl ?? "",
    createdAt: timestampFromDate(row.createdAt),
  });
}
