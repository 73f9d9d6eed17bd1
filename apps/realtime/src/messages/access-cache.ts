import { type ConversationAccess, findConversationsAccess, type PrismaClient } from "@parley/db";
import { denied, notFound } from "../errors.ts";
import { spreadExpiry } from "../expiry.ts";

// Changes invalidate entries on every instance through the control channel, and the persister
// checks again at storage; the expiry only bounds how long a lost invalidation can last.
const TTL_MS = 120_000;
const MAX_ENTRIES = 50_000;
// Conversations per batched load: bounds the size of the IN lists.
const LOAD_BATCH = 500;

interface Waiter {
  resolve: (access: ConversationAccess | undefined) => void;
  reject: (error: Error) => void;
}

/** Who may read and post in a conversation, cached for the hot path of Send. */
export class AccessCache {
  private readonly entries = new Map<string, { access: ConversationAccess; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<ConversationAccess | undefined>>();
  /** Loads waiting for the next batch, by conversation; several after an invalidation. */
  private readonly queued = new Map<string, Waiter[]>();

  constructor(private readonly db: PrismaClient) {}

  async get(conversationId: string): Promise<ConversationAccess> {
    const cached = this.entries.get(conversationId);
    if (cached && Date.now() < cached.expiresAt) return cached.access;
    let access: ConversationAccess | undefined;
    try {
      access = await this.load(conversationId);
    } catch (error) {
      // The database is down: a known conversation keeps working from what we last saw,
      // so sends keep flowing into the log while MySQL is away.
      if (cached) return cached.access;
      throw error;
    }
    if (!access) throw notFound("conversation");
    return access;
  }

  invalidate(conversationId: string): void {
    this.entries.delete(conversationId);
    // A load already running may have read the old state: it is not cached.
    this.loading.delete(conversationId);
  }

  /**
   * One database load per conversation at a time: the sends that miss together share it. And
   * the conversations missed in the same tick are loaded together, in a few queries for all
   * of them: a burst of sends to 1,000 conversations not yet cached otherwise queued 4,000
   * queries in the pool and held every send behind them (bench/REPORT.md).
   */
  private load(conversationId: string): Promise<ConversationAccess | undefined> {
    const running = this.loading.get(conversationId);
    if (running) return running;
    const load = new Promise<ConversationAccess | undefined>((resolve, reject) => {
      const waiters = this.queued.get(conversationId);
      if (waiters) waiters.push({ resolve, reject });
      else this.queued.set(conversationId, [{ resolve, reject }]);
      if (this.queued.size === 1 && !waiters) setImmediate(() => this.loadQueued());
    })
      .then((access) => {
        if (access && this.loading.get(conversationId) === load) {
          if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
          this.entries.set(conversationId, { access, expiresAt: spreadExpiry(TTL_MS) });
        }
        return access;
      })
      .finally(() => {
        if (this.loading.get(conversationId) === load) this.loading.delete(conversationId);
      });
    this.loading.set(conversationId, load);
    return load;
  }

  private loadQueued() {
    const queued = [...this.queued];
    this.queued.clear();
    for (let i = 0; i < queued.length; i += LOAD_BATCH) {
      const part = queued.slice(i, i + LOAD_BATCH);
      findConversationsAccess(
        this.db,
        part.map(([id]) => id),
      ).then(
        (found) => {
          for (const [id, waiters] of part) for (const w of waiters) w.resolve(found.get(id));
        },
        (error: Error) => {
          for (const [, waiters] of part) for (const w of waiters) w.reject(error);
        },
      );
    }
  }

  /** Throws unless the user may post now; returns the access for further checks. */
  async assertCanPost(conversationId: string, userId: string): Promise<ConversationAccess> {
    const access = await this.get(conversationId);
    const member = access.members.get(userId);
    // A stranger learns nothing about a conversation they are not in.
    if (!member) throw notFound("conversation");
    if (member.leftSeq !== null) throw denied("you are no longer a member of this conversation");
    if (access.kind === "direct") {
      if (access.blocked) throw denied("you cannot message this user");
      if (!access.friends) throw denied("you are no longer friends");
    } else {
      if (access.group?.dissolvedAt) throw denied("this group was dissolved");
      if (member.mutedUntil && member.mutedUntil.getTime() > Date.now()) {
        throw denied(`you are muted until ${member.mutedUntil.toISOString()}`);
      }
    }
    return access;
  }

  /** The seq range a user may read: after joinedSeq, up to leftSeq when they left. */
  async visibleRange(conversationId: string, userId: string) {
    const access = await this.get(conversationId);
    const member = access.members.get(userId);
    if (!member) throw notFound("conversation");
    return { afterSeq: member.joinedSeq, upToSeq: member.leftSeq, access };
  }
}
