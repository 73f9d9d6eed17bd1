"use client";

import {
  type ChatMessage,
  type ChatState,
  type ConversationSummary,
  isHiddenMessage,
  type Timeline,
  typingUsers,
} from "@parley/client";
import Link from "next/link";
import { Fragment, useCallback, useEffect, useState } from "react";
import { dayKey, formatDay, formatLastSeen } from "@/lib/format";
import { describeSystemMessage, peopleIn } from "@/lib/group-change";
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
import { useTimelineScroll } from "./use-timeline-scroll";

function closedReason(summary: ConversationSummary, blocked: boolean): string | undefined {
  // Blocking closes the conversation both ways; the blocker hears it here first.
  if (blocked) return "You blocked this person. Unblock them in Contacts to write again.";
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
    <header
      className="flex items-center gap-3 border-b border-line bg-white px-3 py-2.5 md:px-5"
      data-testid="conversation-header"
    >
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

export function MessagePane({ conversationId }: { conversationId: string }) {
  const state = useChatState();
  const { session, me, users: directory } = useParley();
  const now = useNow(5_000);
  const summary = state.conversations[conversationId];
  const timeline = state.timelines[conversationId] ?? emptyTimeline(conversationId);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadError, setLoadError] = useState("");

  /** Loads the page before the oldest loaded message; after a failure only when asked again. */
  const loadOlder = useCallback(
    (again = false) => {
      if (loadingOlder || (loadError && !again)) return;
      if (!session.getSnapshot().timelines[conversationId]?.hasOlder) return;
      setLoadingOlder(true);
      setLoadError("");
      session
        .loadOlder(conversationId)
        .catch(() => setLoadError("Could not load earlier messages."))
        .finally(() => setLoadingOlder(false));
    },
    [conversationId, loadingOlder, loadError, session],
  );

  // After a failure, loading resumes by itself once the connection is back.
  useEffect(() => {
    if (state.status === "live") setLoadError("");
  }, [state.status]);

  const markRead = useCallback(() => {
    if (document.visibilityState !== "visible") return;
    session.markRead(conversationId).catch(() => {});
  }, [conversationId, session]);
  const scroll = useTimelineScroll({ timeline, loadOlder, onReachBottom: markRead });

  // Reading: everything up to the newest message counts as read while the view is at the
  // bottom and the tab is visible.
  const lastSeq = summary?.lastSeq ?? 0;
  const readSeq = summary?.readSeq ?? 0;
  useEffect(() => {
    if (lastSeq > readSeq && scroll.nearBottom.current) markRead();
  }, [lastSeq, readSeq, markRead, scroll.nearBottom]);
  useEffect(() => {
    const onVisible = () => scroll.nearBottom.current && markRead();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [markRead, scroll.nearBottom]);

  const named = peopleToName(timeline.messages, summary?.kind === "group");
  const users = useUsers(named);
  // Names change (a rename reaches no one live): opening a conversation asks again for the
  // people it shows; the directory hands a fresher peer to the chat state, list included.
  const peerId = summary?.peer?.id ?? "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per opened conversation
  useEffect(() => directory.refresh([peerId, ...named]), [conversationId, peerId, directory]);
  const nameOf = (userId: string, first: boolean) => {
    if (userId === me.id) return first ? "You" : "you";
    const user = summary?.peer?.id === userId ? summary.peer : users[userId];
    return user ? user.displayName || `@${user.username}` : "…";
  };
  const typingNames = typingUsers(state, conversationId, now).map((id) => nameOf(id, true));

  if (!summary) {
    return (
      <div className="flex flex-1 items-center justify-center text-sm text-muted">
        {state.status === "live" ? "This conversation is not available." : "Loading…"}
      </div>
    );
  }

  const visible = timeline.messages.filter((m) => !isHiddenMessage(state, m));
  let lastDay = "";
  let lastSender = "";
  return (
    <section
      className="relative flex min-h-0 flex-1 flex-col"
      aria-label="Conversation"
      data-testid="message-pane"
      data-conversation-id={conversationId}
    >
      <Header summary={summary} typingNames={typingNames} />
      <div
        ref={scroll.ref}
        onScroll={scroll.onScroll}
        className="min-h-0 flex-1 overflow-y-auto bg-canvas py-4"
        data-testid="message-scroll"
      >
        <HistoryStart
          timeline={timeline}
          loading={loadingOlder}
          error={loadError}
          onLoad={() => loadOlder(true)}
        />
        <ol aria-label="Messages" data-testid="message-list">
          {visible.map((message, index) => {
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
                  <SystemMessageItem message={message} nameOf={nameOf} />
                ) : (
                  <StoredMessageItem
                    message={message}
                    own={own}
                    status={own ? ownStatus(message, summary) : undefined}
                    sender={users[message.senderId]}
                    showSender={showSender && !own}
                    showMeta={endsRun(message, visible[index + 1])}
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
        {visible.length === 0 && timeline.pending.length === 0 && !timeline.hasOlder ? (
          <p className="px-6 py-16 text-center text-sm text-muted">No messages yet. Say hello 👋</p>
        ) : null}
      </div>
      {scroll.atBottom ? null : (
        <button
          type="button"
          onClick={scroll.jumpToLatest}
          data-testid="jump-to-latest"
          className="btn-secondary absolute right-4 bottom-24 rounded-full px-3 py-1.5 text-xs shadow-md"
        >
          {summary.unreadCount > 0 ? `${summary.unreadCount} new ↓` : "Latest ↓"}
        </button>
      )}
      <Composer
        conversationId={conversationId}
        disabledReason={closedReason(summary, isBlockedPeer(state, summary))}
      />
    </section>
  );
}

/** Messages from one sender within this time of each other form a run. */
const RUN_GAP_MS = 5 * 60_000;

function endsRun(message: ChatMessage, next: ChatMessage | undefined): boolean {
  return (
    !next ||
    next.kind === "system" ||
    next.senderId !== message.senderId ||
    next.createdAt - message.createdAt > RUN_GAP_MS ||
    dayKey(next.createdAt) !== dayKey(message.createdAt)
  );
}

function isBlockedPeer(state: ChatState, summary: ConversationSummary): boolean {
  return summary.peer !== undefined && state.blockedUserIds[summary.peer.id] === true;
}

/** Who the rows name: senders in groups, and everyone group system messages mention. */
function peopleToName(messages: readonly ChatMessage[], group: boolean): string[] {
  const ids = new Set<string>();
  for (const message of messages) {
    if (message.kind === "system") {
      for (const id of peopleIn(describeSystemMessage(message.body))) ids.add(id);
    } else if (group) ids.add(message.senderId);
  }
  return [...ids];
}

function emptyTimeline(conversationId: string): Timeline {
  return {
    conversationId,
    messages: [],
    pending: [],
    contiguousSeq: 0,
    oldestSeq: 0,
    hasOlder: false,
  };
}

/** The top of the list: a button for older messages, or the start of the conversation. */
function HistoryStart(props: {
  timeline: Timeline;
  loading: boolean;
  error: string;
  onLoad: () => void;
}) {
  const { timeline, loading, error } = props;
  if (!timeline.hasOlder) {
    return timeline.messages.length > 0 ? (
      <p className="pb-2 text-center text-xs text-muted" data-testid="history-start">
        This is the beginning of the conversation.
      </p>
    ) : null;
  }
  return (
    <div className="flex flex-col items-center gap-1 pb-2">
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <button type="button" className="btn-ghost text-xs" onClick={props.onLoad} disabled={loading}>
        {loading ? "Loading…" : error ? "Try again" : "Load earlier messages"}
      </button>
    </div>
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
