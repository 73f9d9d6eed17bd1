"use client";

import {
  checkMessageBody,
  countCodePoints,
  MAX_BODY_CODE_POINTS,
  normalizeLineEndings,
} from "@parley/client";
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useParley } from "@/lib/parley-provider";
import { useComposerFiles } from "../files/composer-files";
import { SendIcon } from "../icons";

/** Show the character count once the text gets this close to the limit. */
const COUNT_FROM = MAX_BODY_CODE_POINTS - 500;

/**
 * Enter sends, Shift+Enter adds a line. A message the server would refuse is refused here,
 * with the reason, before it leaves. Files come through the attach button or a drop on the
 * message pane; each is sent as a message once its upload completes.
 */
export function Composer({
  conversationId,
  disabledReason,
}: {
  conversationId: string;
  disabledReason?: string;
}) {
  const { session } = useParley();
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const files = useComposerFiles(conversationId, form);
  const length = countCodePoints(text);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the conversation changes
  useEffect(() => {
    setText("");
    setError("");
    input.current?.focus();
  }, [conversationId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the height follows the text
  useEffect(() => {
    const box = input.current;
    if (!box) return;
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 200)}px`;
  }, [text]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const body = normalizeLineEndings(text);
    if (body.trim().length === 0) return;
    const outcome = session.send(conversationId, body);
    if (!outcome.ok) {
      setError(outcome.reason);
      return;
    }
    setText("");
    setError("");
    session.setTyping(conversationId, false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  }

  function onChange(value: string) {
    setText(value);
    const check = checkMessageBody(normalizeLineEndings(value));
    setError(!check.ok && check.problem !== "empty" ? check.reason : "");
    session.setTyping(conversationId, value.length > 0);
  }

  if (disabledReason) {
    return (
      <div
        className="border-t border-line bg-white px-4 py-4 text-center text-sm text-muted"
        data-testid="composer-closed"
      >
        {disabledReason}
      </div>
    );
  }

  return (
    <form ref={form} onSubmit={submit} className="border-t border-line bg-white px-3 py-3 md:px-4">
      {files.overlay}
      {files.tray}
      {error ? (
        <p
          role="alert"
          data-testid="composer-error"
          className="mb-2 rounded-lg bg-red-50 px-3 py-1.5 text-xs text-red-700"
        >
          {error}
        </p>
      ) : null}
      <div className="flex items-end gap-2">
        {files.attach}
        <label className="flex-1">
          <span className="sr-only">Message</span>
          <textarea
            ref={input}
            data-testid="composer"
            rows={1}
            value={text}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => session.setTyping(conversationId, false)}
            placeholder="Write a message"
            aria-invalid={error ? true : undefined}
            className="field block max-h-[200px] resize-none rounded-2xl py-2.5 leading-snug"
          />
        </label>
        <button
          type="submit"
          data-testid="send-button"
          aria-label="Send"
          disabled={text.trim().length === 0 || Boolean(error)}
          className="btn-primary size-11 shrink-0 rounded-full p-0"
        >
          <SendIcon />
        </button>
      </div>
      {length >= COUNT_FROM ? (
        <p
          className={`mt-1 text-right text-xs ${
            length > MAX_BODY_CODE_POINTS ? "text-red-700" : "text-muted"
          }`}
        >
          {length} / {MAX_BODY_CODE_POINTS}
        </p>
      ) : null}
    </form>
  );
}
