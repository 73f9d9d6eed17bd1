import type { ConversationSummary } from "@parley/client";
import { describeSystemMessage, peopleIn, systemMessageText } from "@/lib/group-change";

type NameOf = (userId: string, first: boolean) => string;

/** One line for the conversation list: who said what last, as plain text. */
export function previewText(c: ConversationSummary, selfId: string, nameOf: NameOf): string {
  const last = c.lastMessage;
  // Messages may all be hidden (their senders are blocked): then say nothing rather than wrong.
  if (!last) return c.closed ? "Closed" : c.lastSeq > 0 ? "" : "No messages yet";
  if (last.recalledAt) return "Message recalled";
  if (last.deletedAt) return "Message removed";
  if (last.kind === "system") return systemMessageText(describeSystemMessage(last.body), nameOf);
  const body = last.kind === "file" ? `📎 ${last.file?.name ?? "File"}` : last.body;
  const oneLine = body.replace(/\s+/g, " ");
  if (last.senderId === selfId) return `You: ${oneLine}`;
  if (c.kind === "group") return `${nameOf(last.senderId, true)}: ${oneLine}`;
  return oneLine;
}

/** The people a conversation's preview names, to look up. */
export function previewPeople(c: ConversationSummary): string[] {
  const last = c.lastMessage;
  if (!last || last.recalledAt || last.deletedAt) return [];
  if (last.kind === "system") return peopleIn(describeSystemMessage(last.body));
  return c.kind === "group" ? [last.senderId] : [];
}
