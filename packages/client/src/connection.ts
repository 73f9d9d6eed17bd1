import { Code, ConnectError } from "@connectrpc/connect";
import type { SubscribeResponse } from "@parley/proto";
import { isSessionGone } from "./auth";
import { backoffDelay, RECONNECT_BACKOFF } from "./backoff";
import type { ParleyClient } from "./client";
import type { ConnectionStatus } from "./state";

/** Until the sync frame says otherwise, a stream silent this long is taken as dead. */
const DEFAULT_SILENCE_MS = 45_000;

export interface ConnectionHandlers {
  /** Every event of the stream, the sync frame first. */
  onEvent(event: SubscribeResponse): void;
  onStatus(status: ConnectionStatus, error: string): void;
}

/**
 * Keeps exactly one `Subscribe` stream open: reconnects with backoff after any failure,
 * treats a stream without heartbeats as dead, refreshes the token on `Unauthenticated`, and
 * stops for good when the account is banned or the session cannot be refreshed.
 */
export class LiveConnection {
  private running = false;
  /** Bumped by every start, so a loop from before a stop/start pair ends by itself. */
  private generation = 0;
  private reopenRequested = false;
  private authRetries = 0;
  private current: AbortController | undefined;
  private wake: (() => void) | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceMs = DEFAULT_SILENCE_MS;
  private interruptReason = "";

  constructor(
    private readonly client: ParleyClient,
    private readonly handlers: ConnectionHandlers,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run(++this.generation);
  }

  stop(): void {
    this.running = false;
    this.current?.abort();
    this.wake?.();
    this.clearSilenceTimer();
  }

  /**
   * Drops the current stream as failed, for when the device says it is offline: a stream
   * over a dead network can look open until the heartbeat deadline. Reconnecting then goes on
   * with backoff; `reconnectNow` once the network is back.
   */
  interrupt(reason: string): void {
    if (!this.running || !this.current) return;
    this.interruptReason = reason;
    this.current.abort();
  }

  /** Drops the current stream and opens a new one at once (a GoAway, or a resync). */
  reconnectNow(): void {
    this.reopenRequested = true;
    this.current?.abort();
    this.wake?.();
  }

  private async run(generation: number): Promise<void> {
    let attempt = 0;
    const current = () => this.running && this.generation === generation;
    while (current()) {
      const outcome = await this.openOnce();
      if (outcome.kind === "stop" || !current()) return;
      if (outcome.kind === "synced") attempt = 0;
      if (outcome.kind === "reopen") continue;
      this.handlers.onStatus("reconnecting", outcome.error);
      await this.sleep(backoffDelay(attempt++, RECONNECT_BACKOFF, this.random()));
    }
  }

  /** Opens one stream and reads it to its end; says what the loop should do next. */
  private async openOnce(): Promise<
    | { kind: "stop" }
    | { kind: "reopen" }
    | { kind: "synced"; error: string }
    | { kind: "failed"; error: string }
  > {
    const controller = new AbortController();
    this.current = controller;
    this.reopenRequested = false;
    this.handlers.onStatus("connecting", "");
    let synced = false;
    let token = "";
    try {
      token = await this.client.auth.current();
      this.armSilenceTimer(controller);
      const stream = this.client.messages.subscribe({}, { signal: controller.signal });
      for await (const event of stream) {
        this.armSilenceTimer(controller);
        if (event.event.case === "sync") {
          synced = true;
          this.authRetries = 0;
          this.silenceMs = silenceLimit(event.event.value.heartbeatSeconds);
          this.armSilenceTimer(controller);
          this.handlers.onEvent(event);
          this.handlers.onStatus("live", "");
        } else if (event.event.case === "goAway") {
          this.handlers.onEvent(event);
          return { kind: "reopen" };
        } else {
          this.handlers.onEvent(event);
        }
      }
      return { kind: synced ? "synced" : "failed", error: "the stream ended" };
    } catch (error) {
      return await this.handleFailure(error, controller, token, synced);
    } finally {
      this.clearSilenceTimer();
      controller.abort();
    }
  }

  private async handleFailure(
    error: unknown,
    controller: AbortController,
    token: string,
    synced: boolean,
  ) {
    if (!this.running) return { kind: "stop" } as const;
    if (this.reopenRequested) {
      this.reopenRequested = false;
      return { kind: "reopen" } as const;
    }
    const failure = ConnectError.from(error);
    if (failure.code === Code.PermissionDenied) {
      this.running = false;
      this.handlers.onStatus("banned", failure.rawMessage);
      return { kind: "stop" } as const;
    }
    if (failure.code === Code.Unauthenticated) {
      try {
        await this.client.auth.refreshAfter(token);
        // A fresh token that is refused again is not retried at once: back off instead.
        if (this.authRetries++ === 0) return { kind: "reopen" } as const;
        return { kind: "failed", error: "the server refused the access token" } as const;
      } catch (refreshError) {
        if (isSessionGone(refreshError)) {
          this.running = false;
          this.handlers.onStatus("signedOut", ConnectError.from(refreshError).rawMessage);
          return { kind: "stop" } as const;
        }
        return { kind: "failed", error: describe(refreshError) } as const;
      }
    }
    const interrupted = this.interruptReason;
    this.interruptReason = "";
    const reason =
      interrupted || (controller.signal.aborted ? "no heartbeat from the server" : describe(error));
    return { kind: synced ? "synced" : "failed", error: reason } as const;
  }

  private armSilenceTimer(controller: AbortController): void {
    this.clearSilenceTimer();
    this.silenceTimer = setTimeout(() => controller.abort(), this.silenceMs);
  }

  private clearSilenceTimer(): void {
    if (this.silenceTimer !== undefined) clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Two missed heartbeats mean the stream is dead (a proxy may have dropped it silently). */
export function silenceLimit(heartbeatSeconds: number): number {
  return heartbeatSeconds > 0 ? heartbeatSeconds * 2 * 1000 : DEFAULT_SILENCE_MS;
}

function describe(error: unknown): string {
  const failure = ConnectError.from(error);
  return failure.rawMessage || Code[failure.code] || "connection failed";
}
