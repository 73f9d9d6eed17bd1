import { splitLinks } from "@parley/client";

/**
 * A message body as plain text: no markup is ever interpreted, and only http, https and
 * mailto links become clickable.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <bdi className="whitespace-pre-wrap break-words [overflow-wrap:anywhere]">
      {splitLinks(text).map((segment, index) =>
        segment.kind === "link" ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond position
            key={index}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="underline decoration-current/40 underline-offset-2 hover:decoration-current"
          >
            {segment.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond position
          <span key={index}>{segment.text}</span>
        ),
      )}
    </bdi>
  );
}
