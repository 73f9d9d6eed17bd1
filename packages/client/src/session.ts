import { FriendEventKind, HistoryDirection, type SubscribeResponse } from "@parley/proto";
import type { ParleyClient } from "./client";
import { LiveConnection } from "./connection";
import { applyEvent, applyTyping, pruneTyping } from "./events";
import { checkMessageBody } from "./limits";
import {
  type ChatMessage,
  type FileView,
  type PendingMessage,
  toChatMessage,
  type UserView,
} from "./model";
import { DEFAULT_OUTBOX_OPTIONS, deliver, type OutboxOptions } from "./outbox";
import {
  addPending,
  applyMessages,
  applyOlder,
  applyPeers,
  applySync,
  type ChatState,
  catchUpRanges,
  findPending,
  initialState,
  isStored,
  markReadLocally,
  patchPending,
} from "./state";
import { olderAnchor } from "./timeline";

export interface ChatSessionOptions {
  client: ParleyClient;
  /** The signed-in user: their own messages never count as unread. */
  selfUserId: string;
  outbox?: Partial<OutboxOptions>;
}

export type SendOutcome = { ok: true; clientMessageId: string } | { ok: false; reason: string };

/** How many messages one GetHistory page asks for while catching up. */
const CATCH_UP_PAGE = 200;
/** How many messages one "load older" asks for. */
const OLDER_PAGE = 50;
/** A typing=true is re-sent at most this often while the user keeps typing. */
const TYPING_RESEND_MS = 3_000;

/**
 * One signed-in user's live view of Parley: a single stream, an ordered store per
 * conversation, an outbox for own messages. Exposes `subscribe`/`getSnapshot` for React's
 * `useSyncExternalStore`, and `waitFor` for Node code.
 */
export class ChatSession {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly connection: LiveConnection;
  private readonly outbox: OutboxOptions;
  private readonly fills = new Map<string, Promise<void>>();
  private readonly typingSentAt = new Map<string, number>();
  private lifetime = new AbortController();
  private typingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: ChatSessionOptions) {
    this.state = initialState(options.selfUserId);
    this.outbox = { ...DEFAULT_OUTBOX_OPTIONS, ...options.outbox };
    this.connection = new LiveConnection(options.client, {
      onEvent: (event) => this.handleEvent(event),
      onStatus: (status, lastError) => this.update((s) => ({ ...s, status, lastError })),
    });
  }

  get client(): ParleyClient {
    return this.options.client;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ChatState => this.state;

  /** Opens the live stream (idempotent). */
  start(): void {
    if (this.lifetime.signal.aborted) this.lifetime = new AbortController();
    this.connection.start();
    this.typingTimer ??= setInterval(() => this.update((s) => pruneTyping(s, Date.now())), 1_000);
  }

  /** Closes the stream and abandons sends in flight. */
  stop(): void {
    this.connection.stop();
    this.lifetime.abort();
    if (this.typingTimer !== undefined) clearInterval(this.typingTimer);
    this.typingTimer = undefined;
    this.update((s) => ({ ...s, status: s.status === "live" ? "idle" : s.status }));
  }

  /** Resolves with the first state that satisfies `predicate`. */
  waitFor(predicate: (state: ChatState) => boolean, timeoutMs = 10_000): Promise<ChatState> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.state)) return false;
        cleanup();
        resolve(this.state);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe(check);
      const cleanup = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      check();
    });
  }

  /**
   * Sends a text message: checks it locally, shows it as pending at once, and delivers it in
   * the background. Refused messages never appear; the reason is safe to show.
   */
  send(conversationId: string, body: string): SendOutcome {
    const check = checkMessageBody(body);
    if (!check.ok) return { ok: false, reason: check.reason };
    return this.enqueue(conversationId, body);
  }

  /**
   * Sends a message of kind file carrying an uploaded file (see `FileUploads`); it is pending
   * and retried like a text message.
   */
  sendFile(conversationId: string, file: FileView): SendOutcome {
    return this.enqueue(conversationId, "", file);
  }

  private enqueue(conversationId: string, body: string, file?: FileView): SendOutcome {
    const summary = this.state.conversations[conversationId];
    if (summary?.closed) return { ok: false, reason: "You can no longer post here" };
    const pending: PendingMessage = {
      clientMessageId: crypto.randomUUID(),
      conversationId,
      body,
      createdAt: Date.now(),
      status: "pending",
      accepted: false,
    };
    if (file) pending.file = file;
    this.update((s) => addPending(s, pending));
    void this.deliverPending(pending);
    return { ok: true, clientMessageId: pending.clientMessageId };
  }

  /** Sends a failed message again, with the same clientMessageId. */
  retry(clientMessageId: string): void {
    const pending = findPending(this.state, clientMessageId);
    if (pending?.status !== "failed") return;
    const again = { ...pending, status: "pending" as const, error: undefined };
    this.update((s) =>
      patchPending(s, pending.conversationId, clientMessageId, { status: "pending", error: "" }),
    );
    void this.deliverPending(again);
  }

  /** Removes a failed message the user gave up on. */
  discard(clientMessageId: string): void {
    const pending = findPending(this.state, clientMessageId);
    if (pending?.status !== "failed") return;
    this.update((s) => {
      const timeline = s.timelines[pending.conversationId];
      if (!timeline) return s;
      const rest = timeline.pending.filter((p) => p.clientMessageId !== clientMessageId);
      return {
        ...s,
        timelines: { ...s.timelines, [pending.conversationId]: { ...timeline, pending: rest } },
      };
    });
  }

  /** Loads the page before the oldest loaded message (or the latest page when none is). */
  async loadOlder(conversationId: string): Promise<void> {
    const timeline = this.state.timelines[conversationId];
    if (!timeline?.hasOlder) return;
    const response = await this.client.messages.getHistory({
      conversationId,
      anchorSeq: olderAnchor(timeline),
      direction: HistoryDirection.BEFORE,
      limit: OLDER_PAGE,
    });
    const page = response.messages.map(toChatMessage);
    this.update((s) => applyOlder(s, conversationId, page, response.hasMore));
  }

  /** Marks everything the user has seen in a conversation as read. */
  async markRead(conversationId: string): Promise<void> {
    const summary = this.state.conversations[conversationId];
    const timeline = this.state.timelines[conversationId];
    if (!summary || !timeline) return;
    const seq = Math.min(summary.lastSeq, timeline.contiguousSeq);
    if (seq <= summary.readSeq) return;
    this.update((s) => markReadLocally(s, conversationId, seq));
    const response = await this.client.messages.markRead({ conversationId, seq });
    this.update((s) => {
      const current = s.conversations[conversationId];
      if (!current || response.readSeq < current.readSeq) return s;
      const next = { ...current, readSeq: response.readSeq, unreadCount: response.unreadCount };
      return { ...s, conversations: { ...s.conversations, [conversationId]: next } };
    });
  }

  /** Tells the other members the user is typing; throttled, failures ignored. */
  setTyping(conversationId: string, typing: boolean): void {
    const sentAt = this.typingSentAt.get(conversationId);
    if (typing && sentAt !== undefined && Date.now() - sentAt < TYPING_RESEND_MS) return;
    if (!typing && sentAt === undefined) return;
    if (typing) this.typingSentAt.set(conversationId, Date.now());
    else this.typingSentAt.delete(conversationId);
    this.client.messages.setTyping({ conversationId, typing }).catch(() => {});
  }

  /** Withdraws an own message (the server allows it for two minutes). */
  async recall(messageId: string): Promise<void> {
    await this.client.messages.recall({ messageId });
  }

  /**
   * Tells the session what the device knows about its network (the browser's `online` and
   * `offline` events): offline drops the stream at once, online reconnects without waiting
   * for the backoff.
   */
  setNetworkAvailable(available: boolean): void {
    if (!available) this.connection.interrupt("the device is offline");
    else if (this.state.status !== "live") this.connection.reconnectNow();
  }

  /** Shows profiles looked up elsewhere (fresher than the sync frame) in direct conversations. */
  updatePeers(users: readonly UserView[]): void {
    this.update((s) => applyPeers(s, users));
  }

  /** Re-opens the stream to get a fresh sync frame. */
  resync(): void {
    this.connection.reconnectNow();
  }

  private update(change: (state: ChatState) => ChatState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  private async deliverPending(pending: PendingMessage): Promise<void> {
    const { conversationId, clientMessageId } = pending;
    const signal = this.lifetime.signal;
    const result = await deliver(this.client, pending, this.outbox, signal);
    if (result.ok) {
      this.update((s) => patchPending(s, conversationId, clientMessageId, { accepted: true }));
      // A retried send that was stored before: its copy may have gone by while we were away.
      if (result.seq > 0 && !isStored(this.state, conversationId, clientMessageId)) {
        void this.fillGaps(conversationId);
      }
    } else if (!result.cancelled) {
      this.update((s) =>
        patchPending(s, conversationId, clientMessageId, { status: "failed", error: result.error }),
      );
    }
  }

  private handleEvent(response: SubscribeResponse): void {
    const event = response.event;
    if (event.case === "sync") {
      this.update((s) => applySync(s, event.value));
      for (const range of catchUpRanges(this.state)) void this.fillGaps(range.conversationId);
      void this.loadBlocklist();
    } else if (event.case === "message") {
      this.handleMessage(toChatMessage(event.value));
    } else {
      this.update((s) => applyEvent(s, response, Date.now()));
      // Whether the direct conversation opens again is the server's call: ask for a new frame.
      if (event.case === "friend" && event.value.kind === FriendEventKind.UNBLOCKED) this.resync();
    }
  }

  /** The users this user blocks, after every sync frame (blocks made elsewhere meanwhile). */
  private async loadBlocklist(): Promise<void> {
    try {
      const response = await this.client.relations.listBlocked(
        {},
        { signal: this.lifetime.signal },
      );
      const blockedUserIds: Record<string, true> = {};
      for (const user of response.users) blockedUserIds[user.id] = true;
      this.update((s) => ({ ...s, blockedUserIds }));
    } catch {
      // Kept as it was; the next sync frame asks again.
    }
  }

  private handleMessage(message: ChatMessage): void {
    const known = message.conversationId in this.state.conversations;
    this.update((s) => {
      const withMessage = applyMessages(s, message.conversationId, [message]);
      // The sender stopped typing once their message arrives.
      const { conversationId, senderId: userId } = message;
      return applyTyping(withMessage, { conversationId, userId, typing: false }, Date.now());
    });
    // A conversation this client has not heard of (a new friend or group): ask for a new
    // sync frame, which brings its peer or group and read positions.
    if (!known) this.resync();
    else void this.fillGaps(message.conversationId);
  }

  /**
   * Fetches whatever a loaded conversation lacks between its contiguous seq and the highest
   * seq known, one fetch per conversation at a time.
   */
  private fillGaps(conversationId: string): Promise<void> {
    const running = this.fills.get(conversationId);
    if (running) return running.then(() => this.fillGaps(conversationId));
    if (!this.hasGap(conversationId)) return Promise.resolve();
    const fill = this.fetchMissing(conversationId)
      .catch(() => {
        // A failed fill is retried on the next message or the next sync frame.
      })
      .finally(() => this.fills.delete(conversationId));
    this.fills.set(conversationId, fill);
    return fill;
  }

  private hasGap(conversationId: string): boolean {
    const timeline = this.state.timelines[conversationId];
    const summary = this.state.conversations[conversationId];
    if (!timeline || !summary) return false;
    const highest = Math.max(summary.lastSeq, timeline.messages.at(-1)?.seq ?? 0);
    return highest > timeline.contiguousSeq;
  }

  private async fetchMissing(conversationId: string): Promise<void> {
    while (this.hasGap(conversationId) && !this.lifetime.signal.aborted) {
      const anchorSeq = this.state.timelines[conversationId]?.contiguousSeq ?? 0;
      const response = await this.client.messages.getHistory(
        { conversationId, anchorSeq, direction: HistoryDirection.AFTER, limit: CATCH_UP_PAGE },
        { signal: this.lifetime.signal },
      );
      const page = response.messages.map(toChatMessage);
      this.update((s) => applyMessages(s, conversationId, page));
      const after = this.state.timelines[conversationId]?.contiguousSeq ?? 0;
      if (page.length === 0 || after === anchorSeq) return;
    }
  }
}
