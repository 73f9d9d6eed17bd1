"use client";

import type { ConversationSummary } from "@parley/client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { formatListStamp } from "@/lib/format";
import { useChatState, useNow, useParley, useUsers } from "@/lib/parley-provider";
import { Avatar, PresenceDot } from "../avatar";
import { SearchIcon } from "../icons";
import { previewPeople, previewText } from "./preview";

function title(c: ConversationSummary): string {
  return c.group?.name ?? c.peer?.displayName ?? c.peer?.username ?? "Conversation";
}

/** Every conversation, most recent activity first, with unread badges and previews. */
export function ConversationList({ activeId }: { activeId?: string }) {
  const state = useChatState();
  const { me } = useParley();
  const now = useNow(60_000);
  const [filter, setFilter] = useState("");
  const named = state.conversationOrder.flatMap((id) => {
    const c = state.conversations[id];
    return c ? previewPeople(c) : [];
  });
  const users = useUsers(named);
  const nameOf = (userId: string, first: boolean) => {
    if (userId === me.id) return first ? "You" : "you";
    const user = users[userId];
    return user ? user.displayName || `@${user.username}` : "…";
  };

  const conversations = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return state.conversationOrder
      .map((id) => state.conversations[id])
      .filter((c): c is ConversationSummary => Boolean(c))
      .filter(
        (c) => !needle || `${title(c)} ${c.peer?.username ?? ""}`.toLowerCase().includes(needle),
      );
  }, [state.conversationOrder, state.conversations, filter]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="border-b border-line p-3">
        <label className="relative block">
          <span className="sr-only">Filter conversations</span>
          <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-muted">
            <SearchIcon />
          </span>
          <input
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Search conversations"
            className="field pl-10"
          />
        </label>
      </div>
      <ul
        className="min-h-0 flex-1 overflow-y-auto p-2"
        aria-label="Conversations"
        data-testid="conversation-list"
      >
        {conversations.length === 0 ? (
          <li className="px-4 py-10 text-center text-sm text-muted">
            {filter
              ? "No conversation matches."
              : "No conversations yet. Add a friend in Contacts to start one."}
          </li>
        ) : null}
        {conversations.map((c) => {
          const active = c.id === activeId;
          const blocked = c.peer && state.blockedUserIds[c.peer.id];
          const preview = blocked ? "Blocked" : previewText(c, me.id, nameOf);
          const online = c.peer ? state.presence[c.peer.id]?.online : undefined;
          return (
            <li key={c.id}>
              <Link
                href={`/chat/${c.id}`}
                data-testid="conversation-item"
                data-conversation-id={c.id}
                data-unread={c.unreadCount}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-3 rounded-xl px-3 py-2.5 transition-colors ${active ? "bg-accent-50" : "hover:bg-canvas"}`}
              >
                <span className="relative">
                  <Avatar
                    name={title(c)}
                    url={c.group?.avatarUrl ?? c.peer?.avatarUrl}
                    seed={c.peer?.id ?? c.group?.id ?? c.id}
                  />
                  {c.kind === "direct" ? <PresenceDot online={online} /> : null}
                </span>
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="flex items-baseline justify-between gap-2">
                    <span className="flex min-w-0 items-baseline gap-1.5">
                      <bdi
                        data-testid="conversation-title"
                        className={`truncate ${c.unreadCount ? "font-semibold" : "font-medium"}`}
                      >
                        {title(c)}
                      </bdi>
                      {c.peer ? (
                        <span className="shrink-0 text-xs text-muted">@{c.peer.username}</span>
                      ) : null}
                    </span>
                    <span className="shrink-0 text-xs text-muted">
                      {formatListStamp(c.lastActivityAt, now)}
                    </span>
                  </span>
                  <span className="flex items-center justify-between gap-2">
                    <span
                      className={`truncate text-sm ${c.unreadCount ? "text-ink" : "text-muted"}`}
                    >
                      <bdi>{preview}</bdi>
                    </span>
                    {c.unreadCount > 0 ? (
                      <span
                        data-testid="unread-badge"
                        className="min-w-5 shrink-0 rounded-full bg-accent-600 px-1.5 text-center text-xs leading-5 font-semibold text-white"
                      >
                        {c.unreadCount > 999 ? "999+" : c.unreadCount}
                        <span className="sr-only"> unread</span>
                      </span>
                    ) : null}
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
