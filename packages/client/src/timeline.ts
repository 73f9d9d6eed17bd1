import type { ChatMessage, PendingMessage } from "./model";

/**
 * The loaded part of one conversation. Stored messages are kept sorted by seq and unique by
 * seq; the user's own messages that are not stored yet wait in `pending`.
 */
export interface Timeline {
  conversationId: string;
  /** Ascending seq, no seq twice. */
  messages: readonly ChatMessage[];
  pending: readonly PendingMessage[];
  /**
   * Every message from the oldest loaded one up to this seq has been seen. A live message
   * above `contiguousSeq + 1` means the ones between were missed and must be fetched.
   */
  contiguousSeq: number;
  /** The seq of the oldest loaded message; 0 when none is loaded. */
  oldestSeq: number;
  /** Older messages exist on the server. */
  hasOlder: boolean;
}

/** A conversation the client knows up to `lastSeq` but has loaded nothing of yet. */
export function emptyTimeline(conversationId: string, lastSeq: number): Timeline {
  return {
    conversationId,
    messages: [],
    pending: [],
    contiguousSeq: lastSeq,
    oldestSeq: 0,
    hasOlder: lastSeq > 0,
  };
}

/** The range to fetch when a message with `seq` arrives; undefined when nothing is missing. */
export function findGap(
  contiguousSeq: number,
  seq: number,
): { afterSeq: number; untilSeq: number } | undefined {
  if (seq <= contiguousSeq + 1) return undefined;
  return { afterSeq: contiguousSeq, untilSeq: seq - 1 };
}

/**
 * Which copy of a message to keep when the same seq arrives twice: a recall or deletion is
 * never undone by an older copy.
 */
function newerCopy(current: ChatMessage, incoming: ChatMessage): ChatMessage {
  if (sameContent(current, incoming)) return current;
  if (current.deletedAt && !incoming.deletedAt) return current;
  if (current.recalledAt && !incoming.recalledAt && !incoming.deletedAt) return current;
  return incoming;
}

function sameContent(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a.id === b.id &&
    a.body === b.body &&
    a.recalledAt === b.recalledAt &&
    a.deletedAt === b.deletedAt &&
    a.file?.id === b.file?.id
  );
}

/** Merges messages into a sorted, seq-unique list. Returns `existing` when nothing changed. */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, ChatMessage>();
  for (const message of existing) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    if (message.seq <= 0) continue;
    const current = bySeq.get(message.seq);
    const kept = current ? newerCopy(current, message) : message;
    if (kept !== current) {
      bySeq.set(message.seq, kept);
      changed = true;
    }
  }
  if (!changed) return existing;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Moves `contiguousSeq` forward over every seq that is now present without a hole. */
export function advanceContiguous(contiguousSeq: number, messages: readonly ChatMessage[]): number {
  let next = contiguousSeq;
  for (const message of messages) {
    if (message.seq === next + 1) next = message.seq;
  }
  return next;
}

/** Drops pending messages whose stored copy (same sender and clientMessageId) has arrived. */
export function settlePending(
  pending: readonly PendingMessage[],
  stored: readonly ChatMessage[],
  selfUserId: string,
): readonly PendingMessage[] {
  if (pending.length === 0) return pending;
  const delivered = new Set(
    stored.filter((m) => m.senderId === selfUserId).map((m) => m.clientMessageId),
  );
  const remaining = pending.filter((p) => !delivered.has(p.clientMessageId));
  return remaining.length === pending.length ? pending : remaining;
}

/** Adds messages to a timeline: de-duplicated, in order, settling own pending messages. */
export function addToTimeline(
  timeline: Timeline,
  incoming: readonly ChatMessage[],
  selfUserId: string,
): Timeline {
  const messages = mergeMessages(timeline.messages, incoming);
  if (messages === timeline.messages) {
    const pending = settlePending(timeline.pending, incoming, selfUserId);
    return pending === timeline.pending ? timeline : { ...timeline, pending };
  }
  const oldest = messages[0]?.seq ?? 0;
  return {
    ...timeline,
    messages,
    pending: settlePending(timeline.pending, incoming, selfUserId),
    contiguousSeq: advanceContiguous(timeline.contiguousSeq, messages),
    oldestSeq: oldest,
    // Seqs start at 1 without gaps, so anything above 1 has older messages before it.
    hasOlder: oldest > 1,
  };
}

/** Applies a page of older history (`GetHistory` BEFORE the oldest loaded seq). */
export function addOlderPage(
  timeline: Timeline,
  page: readonly ChatMessage[],
  hasMore: boolean,
  selfUserId: string,
): Timeline {
  const merged = addToTimeline(timeline, page, selfUserId);
  if (page.length > 0 || hasMore) return merged;
  return { ...merged, hasOlder: false };
}

/** The anchor for loading older messages: below the oldest loaded, or the latest page. */
export function olderAnchor(timeline: Timeline): number {
  return timeline.oldestSeq > 0 ? timeline.oldestSeq : timeline.contiguousSeq + 1;
}
