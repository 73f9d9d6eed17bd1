import { Code, ConnectError } from "@connectrpc/connect";
import { MessageKind } from "@parley/proto";
import { backoffDelay, SEND_BACKOFF } from "./backoff";
import type { ParleyClient } from "./client";
import type { PendingMessage } from "./model";

/** Codes after which the same send may succeed: the server is idempotent on clientMessageId. */
const RETRYABLE = new Set<Code>([
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Unknown,
  Code.Aborted,
  Code.ResourceExhausted,
]);

/** True when a failed `Send` may be retried with the same clientMessageId. */
export function isRetryable(code: Code): boolean {
  return RETRYABLE.has(code);
}

export interface OutboxOptions {
  /** After this long without success the message is marked failed (the user can retry). */
  giveUpAfterMs: number;
  /** Deadline of one `Send` attempt. */
  attemptTimeoutMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  giveUpAfterMs: 30_000,
  attemptTimeoutMs: 10_000,
};

export type DeliveryResult =
  | { ok: true; seq: number }
  | { ok: false; error: string; cancelled: boolean };

/**
 * Sends one message until the server accepts it, retrying passing faults with backoff and the
 * same clientMessageId, so the server stores it once however many attempts reach it.
 */
export async function deliver(
  client: ParleyClient,
  pending: PendingMessage,
  options: OutboxOptions,
  signal: AbortSignal,
  random: () => number = Math.random,
): Promise<DeliveryResult> {
  const giveUpAt = Date.now() + options.giveUpAfterMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await client.messages.send(
        {
          conversationId: pending.conversationId,
          clientMessageId: pending.clientMessageId,
          kind: pending.file ? MessageKind.FILE : MessageKind.TEXT,
          body: pending.body,
          fileId: pending.file?.id ?? "",
        },
        { signal, timeoutMs: options.attemptTimeoutMs },
      );
      return { ok: true, seq: response.seq };
    } catch (error) {
      const failure = ConnectError.from(error);
      if (signal.aborted) return { ok: false, error: "cancelled", cancelled: true };
      const delay = backoffDelay(attempt, SEND_BACKOFF, random());
      if (!isRetryable(failure.code) || Date.now() + delay > giveUpAt) {
        return { ok: false, error: describeSendFailure(failure), cancelled: false };
      }
      await sleep(delay, signal);
    }
  }
}

/** A reason for a failed send that is safe and useful to show beside the message. */
export function describeSendFailure(failure: ConnectError): string {
  switch (failure.code) {
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unknown:
    case Code.Aborted:
      return "Not sent: the server could not be reached";
    case Code.ResourceExhausted:
      return `Not sent: ${failure.rawMessage || "too many messages, slow down"}`;
    case Code.PermissionDenied:
      return `Not sent: ${failure.rawMessage || "you cannot post in this conversation"}`;
    case Code.Unauthenticated:
      return "Not sent: your session has ended";
    default:
      return failure.rawMessage ? `Not sent: ${failure.rawMessage}` : "Not sent";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
