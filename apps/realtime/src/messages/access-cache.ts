import { type ConversationAccess, findConversationAccess, type PrismaClient } from "@parley/db";
import { denied, notFound } from "../errors.ts";

// Changes invalidate at once through the control channel; the TTL only bounds a missed one.
const TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;

/** Who may read and post in a conversation, cached for the hot path of Send. */
export class AccessCache {
  private readonly entries = new Map<string, { access: ConversationAccess; at: number }>();
  private readonly loading = new Map<string, Promise<ConversationAccess | undefined>>();

  constructor(private readonly db: PrismaClient) {}

  async get(conversationId: string): Promise<ConversationAccess> {
    const cached = this.entries.get(conversationId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.access;
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
   * One database load per conversation at a time: the sends that miss together share it.
   * Without this, a burst of sends to conversations not yet cached issued one load (four or
   * five queries) each and starved the persister of pool connections.
   */
  private load(conversationId: string): Promise<ConversationAccess | undefined> {
    const running = this.loading.get(conversationId);
    if (running) return running;
    const load = findConversationAccess(this.db, conversationId)
      .then((access) => {
        if (access && this.loading.get(conversationId) === load) {
          if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
          this.entries.set(conversationId, { access, at: Date.now() });
        }
        return access;
      })
      .finally(() => {
        if (this.loading.get(conversationId) === load) this.loading.delete(conversationId);
      });
    this.loading.set(conversationId, load);
    return load;
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
