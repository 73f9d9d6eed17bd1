import { type ParleyClient, toUserView, type UserView } from "@parley/client";

const GET_USERS_MAX = 200;

/**
 * Users the app has looked up, for showing senders in groups and names in lists. Requests
 * are batched per tick into `GetUsers` calls of at most 200 ids (its limit).
 */
export class UserDirectory {
  private users: Readonly<Record<string, UserView>> = {};
  private readonly listeners = new Set<() => void>();
  private readonly requested = new Set<string>();
  private queue = new Set<string>();

  /** `onLearn` hears of every user looked up or remembered, for the views that show them. */
  constructor(
    private readonly client: ParleyClient,
    private readonly onLearn: (users: readonly UserView[]) => void = () => {},
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.users;

  /** Adds users the app already has (friends, group members, search results). */
  remember(users: readonly (UserView | undefined)[]): void {
    const fresh = users.filter((u): u is UserView => Boolean(u));
    if (fresh.length === 0) return;
    const next = { ...this.users };
    for (const user of fresh) next[user.id] = user;
    this.users = next;
    for (const listener of this.listeners) listener();
    this.onLearn(fresh);
  }

  /** Looks up ids not known yet; each id is asked for once. */
  ensure(ids: readonly string[]): void {
    const missing = ids.filter((id) => id && !this.users[id] && !this.requested.has(id));
    if (missing.length === 0) return;
    for (const id of missing) {
      this.requested.add(id);
      this.queue.add(id);
    }
    queueMicrotask(() => this.flush());
  }

  /** Asks again for users that may have changed (a rename) since they were looked up. */
  refresh(ids: readonly string[]): void {
    const wanted = ids.filter(Boolean);
    if (wanted.length === 0) return;
    for (const id of wanted) {
      this.requested.add(id);
      this.queue.add(id);
    }
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const queued = [...this.queue];
    this.queue = new Set();
    for (let start = 0; start < queued.length; start += GET_USERS_MAX) {
      const userIds = queued.slice(start, start + GET_USERS_MAX);
      this.client.users
        .getUsers({ userIds })
        .then((response) => this.remember(response.users.map((u) => toUserView(u))))
        .catch(() => {
          // Asked again the next time a view needs them.
          for (const id of userIds) this.requested.delete(id);
        });
    }
  }
}
