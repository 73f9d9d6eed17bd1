import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type ConversationSummary,
  countMessagesFrom,
  findBlockedIds,
  findLatestMessageExcept,
  type PrismaClient,
} from "@parley/db";
import { type ConversationState, MessageKind } from "@parley/proto";
import { toMessage } from "../messages/convert.ts";

/*
 * How a blocker stops hearing from the people they block, in a group they share too:
 * 1. the persister leaves the blocker out when it publishes the blocked user's messages
 *    (MessageStore.persist reports who blocks each sender), so no event reaches their streams;
 * 2. the sync frame (below) counts none of those messages as unread and never shows one as
 *    the conversation's preview, and MarkRead's unread count agrees;
 * 3. history keeps them: seqs stay gap-free, and a client that fills a gap with GetHistory
 *    gets them and should collapse them (it knows the blocklist from ListBlocked).
 * System messages are the server's and are never hidden.
 */

/** Adjusts a user's sync frame for the users they block: unread counts and previews. */
export async function hideBlockedSenders(
  db: PrismaClient,
  userId: string,
  summaries: ConversationSummary[],
  states: ConversationState[],
): Promise<void> {
  const blocked = await findBlockedIds(db, userId);
  if (blocked.length === 0) return;
  const unread = states
    .filter((s) => s.unreadCount > 0)
    .map((s) => ({
      conversationId: s.conversationId,
      afterSeq: s.lastSeq - s.unreadCount,
      upToSeq: s.lastSeq,
    }));
  const hidden = await countMessagesFrom(db, blocked, unread);
  const joinedSeq = new Map(summaries.map((s) => [s.id, s.joinedSeq]));
  const blockedSet = new Set(blocked);
  await Promise.all(
    states.map(async (state) => {
      state.unreadCount = Math.max(state.unreadCount - (hidden.get(state.conversationId) ?? 0), 0);
      const preview = state.lastMessage;
      if (!preview || !blockedSet.has(preview.senderId) || preview.kind === MessageKind.SYSTEM)
        return;
      const replacement = await findLatestMessageExcept(db, blocked, {
        conversationId: state.conversationId,
        afterSeq: joinedSeq.get(state.conversationId) ?? 0,
        upToSeq: state.lastSeq,
      });
      state.lastMessage = replacement ? toMessage(replacement) : undefined;
      if (replacement) state.lastActivityAt = timestampFromDate(replacement.createdAt);
    }),
  );
}

/** Unread messages in (afterSeq, upToSeq] that come from users the reader blocks. */
export async function countHiddenUnread(
  db: PrismaClient,
  userId: string,
  range: { conversationId: string; afterSeq: number; upToSeq: number },
): Promise<number> {
  if (range.upToSeq <= range.afterSeq) return 0;
  const blocked = await findBlockedIds(db, userId);
  if (blocked.length === 0) return 0;
  const counts = await countMessagesFrom(db, blocked, [range]);
  return counts.get(range.conversationId) ?? 0;
}
