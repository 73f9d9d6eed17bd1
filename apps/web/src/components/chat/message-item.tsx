"use client";

import type { ChatMessage, PendingMessage, UserView } from "@parley/client";
import { useState } from "react";
import { formatTime } from "@/lib/format";
import { describeSystemMessage } from "@/lib/group-change";
import { FileAttachment, PendingFileAttachment } from "../files/file-attachment";
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon } from "../icons";
import { MessageText } from "../message-text";

/** How long the sender may recall a message (the server enforces the same window). */
export const RECALL_WINDOW_MS = 2 * 60_000;

/**
 * How wide a message may get. Set on the row, whose container has a definite width: as the
 * bubble's own percentage it would be cyclic, and short texts would wrap at every word.
 */
const ROW_WIDTH = "max-w-[min(36rem,85%)]";

export type OwnStatus = "pending" | "sent" | "read" | "failed";

function StatusMark({ status }: { status: OwnStatus }) {
  const label = { pending: "Sending", sent: "Sent", read: "Read", failed: "Not sent" }[status];
  const icon = {
    pending: <ClockIcon className="size-3.5" />,
    sent: <CheckIcon className="size-3.5" />,
    read: <DoubleCheckIcon className="size-3.5" />,
    failed: <AlertIcon className="size-3.5" />,
  }[status];
  return (
    <span title={label} className="inline-flex items-center">
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** A group change or notice, centred; names are isolated so none can reorder the sentence. */
export function SystemMessageItem({
  message,
  nameOf,
}: {
  message: ChatMessage;
  nameOf: (userId: string, first: boolean) => string;
}) {
  const parts = describeSystemMessage(message.body);
  return (
    <li
      data-testid="message"
      data-seq={message.seq}
      data-kind="system"
      className="my-2 flex justify-center px-4"
    >
      <span
        data-testid="message-body"
        className={[
          "max-w-md rounded-2xl bg-white px-3 py-1 ring-1 ring-line",
          "text-center text-xs leading-5 text-muted",
        ].join(" ")}
      >
        {parts.map((part, index) =>
          typeof part === "string" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond position
            <MessageText key={index} text={part} />
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond position
            <bdi key={index} className="font-medium text-ink">
              {nameOf(part.userId, index === 0)}
            </bdi>
          ),
        )}
      </span>
    </li>
  );
}

interface StoredProps {
  message: ChatMessage;
  own: boolean;
  status?: OwnStatus;
  sender?: UserView;
  showSender: boolean;
  /** The last of a run from one sender shows the time (and own status) below it. */
  showMeta: boolean;
  now: number;
  onRecall?: (message: ChatMessage) => Promise<void>;
}

function Bubble({
  own,
  removed,
  children,
}: {
  own: boolean;
  removed: boolean;
  children: React.ReactNode;
}) {
  const tone = removed
    ? "bg-transparent text-muted italic ring-1 ring-line"
    : own
      ? "bg-accent-600 text-white"
      : "bg-white text-ink ring-1 ring-line";
  return (
    <div
      data-testid="message-body"
      className={[
        "min-w-0 rounded-2xl px-3.5 py-2 text-[15px] leading-relaxed shadow-xs",
        tone,
        own ? "rounded-br-md" : "rounded-bl-md",
      ].join(" ")}
    >
      {children}
    </div>
  );
}

export function StoredMessageItem({
  message,
  own,
  status,
  sender,
  showSender,
  showMeta,
  now,
  onRecall,
}: StoredProps) {
  const [error, setError] = useState("");
  const removed = Boolean(message.recalledAt || message.deletedAt);
  const canRecall = own && !removed && onRecall && now - message.createdAt < RECALL_WINDOW_MS;
  const removedText = message.recalledAt
    ? own
      ? "You recalled a message"
      : "This message was recalled"
    : "This message was removed";

  return (
    <li
      data-testid="message"
      data-seq={message.seq}
      data-status={own ? status : "received"}
      data-client-message-id={message.clientMessageId}
      className={[
        "group flex flex-col px-4",
        own ? "items-end" : "items-start",
        showSender ? "mt-3" : "mt-1",
        showMeta ? "mb-2" : "",
      ].join(" ")}
    >
      {showSender && sender ? (
        <span className="mb-1 ml-1 flex items-baseline gap-1.5 text-xs">
          <bdi className="font-medium text-ink">{sender.displayName}</bdi>
          <span className="text-muted">@{sender.username}</span>
        </span>
      ) : null}
      <div className={`${ROW_WIDTH} flex items-end gap-2 ${own ? "flex-row-reverse" : ""}`}>
        <Bubble own={own} removed={removed}>
          {removed ? (
            removedText
          ) : message.kind === "file" && message.file ? (
            <FileAttachment file={message.file} />
          ) : (
            <MessageText text={message.body} />
          )}
        </Bubble>
        {canRecall ? (
          <button
            type="button"
            className="btn-ghost px-2 py-1 text-xs opacity-0 group-hover:opacity-100 focus:opacity-100"
            data-testid="recall-button"
            onClick={() => onRecall(message).catch((e: Error) => setError(e.message))}
          >
            Recall
          </button>
        ) : null}
      </div>
      {showMeta ? (
        <span className="mt-0.5 flex items-center gap-1 px-1 text-[11px] text-muted">
          {formatTime(message.createdAt)}
          {own && status ? <StatusMark status={status} /> : null}
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </li>
  );
}

export function PendingMessageItem({
  pending,
  onRetry,
  onDiscard,
}: {
  pending: PendingMessage;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}) {
  const failed = pending.status === "failed";
  return (
    <li
      data-testid="message"
      data-seq=""
      data-status={failed ? "failed" : "pending"}
      data-client-message-id={pending.clientMessageId}
      className="mt-1 flex flex-col items-end px-4"
    >
      <div className={`${ROW_WIDTH} flex ${failed ? "opacity-90" : "opacity-70"}`}>
        <Bubble own removed={false}>
          {pending.file ? (
            <PendingFileAttachment file={pending.file} />
          ) : (
            <MessageText text={pending.body} />
          )}
        </Bubble>
      </div>
      {failed ? (
        <span className="mt-1 flex flex-wrap items-center justify-end gap-2 text-xs text-red-700">
          <AlertIcon className="size-3.5" />
          <span role="alert">{pending.error || "Not sent"}</span>
          <button
            type="button"
            className="font-semibold underline"
            data-testid="retry-button"
            onClick={() => onRetry(pending.clientMessageId)}
          >
            Retry
          </button>
          <button
            type="button"
            className="text-muted underline"
            onClick={() => onDiscard(pending.clientMessageId)}
          >
            Discard
          </button>
        </span>
      ) : (
        <span className="mt-0.5 flex items-center gap-1 px-1 text-[11px] text-muted">
          Sending <StatusMark status="pending" />
        </span>
      )}
    </li>
  );
}
