"use client";

import { useChatSelector } from "@/lib/parley-provider";
import { ChatIcon } from "../icons";
import { ConversationList } from "./conversation-list";
import { MessagePane } from "./message-pane";

/** The list and the open conversation side by side; on phones, one at a time. */
export function ChatScreen({ conversationId }: { conversationId?: string }) {
  const status = useChatSelector((s) => s.status);
  return (
    <div className="flex min-h-0 flex-1">
      <aside
        className={`min-h-0 w-full shrink-0 flex-col border-r border-line bg-white md:flex md:w-80 lg:w-96 ${conversationId ? "hidden" : "flex"}`}
      >
        <div className="flex items-center justify-between px-4 pt-4 pb-1">
          <h1 className="text-lg font-semibold tracking-tight">Chats</h1>
          <span className="text-xs text-muted" data-testid="session-status" data-status={status}>
            {status === "live" ? "" : status === "connecting" ? "connecting…" : ""}
          </span>
        </div>
        <ConversationList activeId={conversationId} />
      </aside>
      <div
        className={`min-h-0 min-w-0 flex-1 flex-col ${conversationId ? "flex" : "hidden md:flex"}`}
      >
        {conversationId ? (
          <MessagePane key={conversationId} conversationId={conversationId} />
        ) : (
          <div className="flex flex-1 flex-col items-center justify-center gap-3 text-center text-muted">
            <span className="rounded-2xl bg-accent-50 p-4 text-accent-600">
              <ChatIcon className="size-8" />
            </span>
            <p className="text-sm">Pick a conversation to start chatting.</p>
          </div>
        )}
      </div>
    </div>
  );
}
