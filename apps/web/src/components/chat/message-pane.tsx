"use client";

import {
  type ChatMessage,
  type ConversationSummary,
  type Timeline,
  typingUsers,
} from "@parley/client";
import Link from "next/link";
import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { dayKey, formatDay, formatLastSeen } from "@/lib/format";
import { useChatState, useNow, useParley, useUsers } from "@/lib/parley-provider";
import { Avatar } from "../avatar";
import { BackIcon, InfoIcon } from "../icons";
import { UserName } from "../user-name";
import { Composer } from "./composer";
import {
  type OwnStatus,
  PendingMessageItem,
  StoredMessageItem,
  SystemMessageItem,
} from "./message-item";

/** Within this distance of the bottom the view follows new messages. */
const STICK_PX = 120;

function closedReason(summary: ConversationSummary): string | undefined {
  if (!summary.closed) return undefined;
  if (summary.group?.dissolved) return "This group was dissolved. Its history stays readable.";
  if (summary.kind === "group") return "You are no longer a member of this group.";
  return "You can no longer message this person.";
}

function Header({ summary, typingNames }: { summary: ConversationSummary; typingNames: string[] }) {
  const state = useChatState();
  const now = useNow(30_000);
  const presence = summary.peer ? state.presence[summary.peer.id] : undefined;
  const subtitle = typingNames.length
    ? `${typingNames.join(", ")} ${typingNames.length > 1 ? "are" : "is"} typing…`
    : summary.kind === "group"
      ? `${summary.group?.memberCount ?? 0} members`
      : presence?.online
        ? "online"
        : presence
          ? formatLastSeen(presence.lastSeenAt, now)
          : "";
  const name = summary.group?.name ?? summary.peer?.displayName ?? "";
  return (
    <header className="flex items-center gap-3 border-b border-line bg-white px-3 py-2.5 md:px-5">
      <Link
        href="/chat"
        className="btn-ghost -ml-1 p-2 md:hidden"
        aria-label="Back to conversations"
      >
        <BackIcon />
      </Link>
      <Avatar
        name={name}
        url={summary.group?.avatarUrl ?? summary.peer?.avatarUrl}
        seed={summary.peer?.id ?? summary.group?.id ?? summary.id}
      />
      <div className="flex min-w-0 flex-1 flex-col">
        {summary.peer ? (
          <UserName displayName={summary.peer.displayName} username={summary.peer.username} />
        ) : (
          <bdi className="truncate font-medium">{name}</bdi>
        )}
        <span
          data-testid="conversation-subtitle"
          className={`truncate text-xs ${typingNames.length ? "text-accent-600" : "text-muted"}`}
        >
          {subtitle}
        </span>
      </div>
      {summary.group ? (
        <Link
          href={`/groups/${summary.group.id}`}
          className="btn-ghost p-2"
          aria-label="Group info"
          data-testid="group-info-link"
        >
          <InfoIcon />
        </Link>
      ) : null}
    </header>
  );
}

function ownStatus(message: ChatMessage, summary: ConversationSummary): OwnStatus {
  return summary.kind === "direct" && message.seq <= summary.peerReadSeq ? "read" : "sent";
}

/** Keeps the scroll position sensible: follows new messages, holds still when older ones load. */
function useScrollKeeper(timeline: Timeline, onTop: () => void) {
  const box = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);
  const previous = useRef({ height: 0, firstSeq: 0 });

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after every change of the rows
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const firstSeq = timeline.messages[0]?.seq ?? 0;
    const prepended = previous.current.firstSeq > 0 && firstSeq < previous.current.firstSeq;
    if (prepended) el.scrollTop += el.scrollHeight - previous.current.height;
    else if (nearBottom.current) el.scrollTop = el.scrollHeight;
    previous.current = { height: el.scrollHeight, firstSeq };
  }, [timeline.messages, timeline.pending]);

  const onScroll = useCallback(() => {
    const el = box.current;
    if (!el) return;
    nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (el.scrollTop < 80) onTop();
  }, [onTop]);

  return { box, nearBottom, onScroll };
}

export function MessagePane({ conversationId }: { conversationId: string }) {
  const state = useChatState();
  const { session, me } = useParley();
  const now = useNow(5_000);
  const summary = state.conversations[conversationId];
  const timeline = state.timelines[conversationId];
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadError, setLoadError] = useState("");

  const loadOlder = useCallback(() => {
    if (loadingOlder || !session.getSnapshot().timelines[conversationId]?.hasOlder) return;
    setLoadingOlder(true);
    session
      .loadOlder(conversationId)
      .then(() => setLoadError(""))
      .catch(() => setLoadError("Could not load earlier messages"))
      .finally(() => setLoadingOlder(false));
  }, [conversationId, loadingOlder, session]);

  // Opening a conversation loads its latest page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per conversation
  useEffect(() => {
    const t = session.getSnapshot().timelines[conversationId];
    if (t && t.messages.length === 0 && t.hasOlder) loadOlder();
  }, [conversationId, Boolean(timeline)]);

  const empty: Timeline = {
    conversationId,
    messages: [],
    pending: [],
    contiguousSeq: 0,
    oldestSeq: 0,
    hasOlder: false,
  };
  const { box, nearBottom, onScroll } = useScrollKeeper(timeline ?? empty, loadOlder);

  // Reading: everything up to the newest message counts as read while the view is at the bottom.
  const lastSeq = summary?.lastSeq ?? 0;
  const readSeq = summary?.readSeq ?? 0;
  useEffect(() => {
    if (lastSeq <= readSeq || !nearBottom.current || document.visibilityState !== "visible") return;
    session.markRead(conversationId).catch(() => {});
  }, [conversationId, lastSeq, readSeq, session, nearBottom]);

  const senderIds = [...new Set(timeline?.messages.map((m) => m.senderId) ?? [])];
  const users = useUsers(summary?.kind === "group" ? senderIds : []);
  const typingNames = typingUsers(state, conversationId, now).map(
    (id) =>
      (summary?.peer?.id === id ? summary.peer.displayName : users[id]?.displayName) ?? "Someone",
  );

  if (!summary || !timeline) {
    return (
      <div className="flex flex-1 items-center justify-center text-sm text-muted">
        {state.status === "live" ? "This conversation is not available." : "Loading…"}
      </div>
    );
  }

  let lastDay = "";
  let lastSender = "";
  return (
    <section
      className="flex min-h-0 flex-1 flex-col"
      aria-label="Conversation"
      data-testid="message-pane"
      data-conversation-id={conversationId}
    >
      <Header summary={summary} typingNames={typingNames} />
      <div
        ref={box}
        onScroll={onScroll}
        className="min-h-0 flex-1 overflow-y-auto bg-canvas py-4"
        data-testid="message-scroll"
      >
        {timeline.hasOlder ? (
          <div className="flex justify-center pb-2">
            <button
              type="button"
              className="btn-ghost text-xs"
              onClick={loadOlder}
              disabled={loadingOlder}
            >
              {loadingOlder ? "Loading…" : "Load earlier messages"}
            </button>
          </div>
        ) : timeline.messages.length > 0 ? (
          <p className="pb-2 text-center text-xs text-muted">
            This is the beginning of the conversation.
          </p>
        ) : null}
        {loadError ? (
          <p role="alert" className="text-center text-xs text-red-700">
            {loadError}
          </p>
        ) : null}
        <ol aria-label="Messages" data-testid="message-list">
          {timeline.messages.map((message) => {
            const day = dayKey(message.createdAt);
            const newDay = day !== lastDay;
            lastDay = day;
            const showSender =
              summary.kind === "group" && (newDay || lastSender !== message.senderId);
            lastSender = message.kind === "system" ? "" : message.senderId;
            const own = message.senderId === me.id;
            return (
              <Fragment key={message.seq}>
                {newDay ? <DaySeparator ms={message.createdAt} now={now} /> : null}
                {message.kind === "system" ? (
                  <SystemMessageItem message={message} />
                ) : (
                  <StoredMessageItem
                    message={message}
                    own={own}
                    status={own ? ownStatus(message, summary) : undefined}
                    sender={users[message.senderId]}
                    showSender={showSender && !own}
                    now={now}
                    onRecall={(m) => session.recall(m.id)}
                  />
                )}
              </Fragment>
            );
          })}
          {timeline.pending.map((pending) => (
            <PendingMessageItem
              key={pending.clientMessageId}
              pending={pending}
              onRetry={(id) => session.retry(id)}
              onDiscard={(id) => session.discard(id)}
            />
          ))}
        </ol>
        {timeline.messages.length === 0 && timeline.pending.length === 0 && !timeline.hasOlder ? (
          <p className="px-6 py-16 text-center text-sm text-muted">No messages yet. Say hello 👋</p>
        ) : null}
      </div>
      <Composer conversationId={conversationId} disabledReason={closedReason(summary)} />
    </section>
  );
}

function DaySeparator({ ms, now }: { ms: number; now: number }) {
  return (
    <li className="my-4 flex items-center gap-3 px-6" aria-hidden="false">
      <span className="h-px flex-1 bg-line" />
      <span className="text-xs font-medium text-muted" data-testid="day-separator">
        {formatDay(ms, now)}
      </span>
      <span className="h-px flex-1 bg-line" />
    </li>
  );
}
