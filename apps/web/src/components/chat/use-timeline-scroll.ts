"use client";

import type { Timeline } from "@parley/client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Within this distance of the bottom the view follows new messages. */
const STICK_PX = 120;
/** Within this distance of the top, older messages are loaded. */
const LOAD_OLDER_PX = 80;

/**
 * Keeps the message view's scroll position sensible: it opens at the newest message, follows
 * new ones while the reader is at the bottom, always shows the reader's own message as they send
 * it, holds still when older ones are put above, stays at the bottom when the view itself
 * shrinks (a growing composer, a phone's keyboard), and loads older pages when the reader nears
 * the top or when what is loaded does not fill the view.
 */
export function useTimelineScroll(options: {
  timeline: Timeline;
  loadOlder: () => void;
  /** Called when the reader reaches the bottom (everything is on screen). */
  onReachBottom: () => void;
}) {
  const { timeline, loadOlder, onReachBottom } = options;
  const box = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const previous = useRef({ height: 0, firstSeq: 0, lastPending: "" });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const firstSeq = timeline.messages[0]?.seq ?? 0;
    const prepended = previous.current.firstSeq > 0 && firstSeq < previous.current.firstSeq;
    // A new pending message is one the reader just sent: wherever they were, they go to it.
    const lastPending = timeline.pending.at(-1)?.clientMessageId ?? "";
    const sent = lastPending !== "" && lastPending !== previous.current.lastPending;
    if (sent) nearBottom.current = true;
    if (prepended && !sent) el.scrollTop += el.scrollHeight - previous.current.height;
    else if (nearBottom.current) el.scrollTop = el.scrollHeight;
    previous.current = { height: el.scrollHeight, firstSeq, lastPending };
  }, [timeline.messages, timeline.pending]);

  // The view shrinks without a scroll event when the composer grows or a phone's keyboard
  // opens; a reader at the bottom stays there, or their next message would land out of sight.
  const attach = useCallback((el: HTMLDivElement) => {
    box.current = el;
    const observer = new ResizeObserver(() => {
      if (nearBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => {
      observer.disconnect();
      box.current = null;
    };
  }, []);

  // Nothing to scroll yet: fetch more history until the view is full or the start is reached.
  // `loadOlder` changes when a load ends, so this runs again after each page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: also after every change of the rows
  useEffect(() => {
    const el = box.current;
    if (el && timeline.hasOlder && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlder();
  }, [timeline.messages, timeline.hasOlder, loadOlder]);

  const onScroll = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const near = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    nearBottom.current = near;
    setAtBottom(near);
    if (near) onReachBottom();
    if (el.scrollTop < LOAD_OLDER_PX) loadOlder();
  }, [loadOlder, onReachBottom]);

  const jumpToLatest = useCallback(() => {
    const el = box.current;
    if (!el) return;
    nearBottom.current = true;
    setAtBottom(true);
    el.scrollTo({ top: el.scrollHeight });
  }, []);

  return { ref: attach, nearBottom, atBottom, onScroll, jumpToLatest };
}
