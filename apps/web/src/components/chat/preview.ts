import type { ConversationSummary } from "@parley/client";

/** One line for the conversation list: who said what last, as plain text. */
export function previewText(c: ConversationSummary, selfId: string, senderName?: string): string {
  const last = c.lastMessage;
  if (!last) return c.closed ? "Closed" : "No messages yet";
  if (last.recalledAt) return "Message recalled";
  if (last.deletedAt) return "Message removed";
  const body =
    last.kind === "file" ? `📎 ${last.file?.name ?? "File"}` : last.body.replace(/\s+/g, " ");
  if (last.kind === "system") return body;
  if (last.senderId === selfId) return `You: ${body}`;
  if (c.kind === "group" && senderName) return `${senderName}: ${body}`;
  return body;
}
