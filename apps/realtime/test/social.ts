import { type Client, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  GroupService,
  HistoryDirection,
  type Message,
  RelationService,
  type SubscribeResponse,
} from "@parley/proto";
import { type Inbox, registerUser, type TestUser } from "./harness.ts";

export { startStack } from "./harness.ts";

/** A test user who also has the relation and group clients. */
export interface SocialUser extends TestUser {
  relations: Client<typeof RelationService>;
  groups: Client<typeof GroupService>;
}

export async function registerSocialUser(url: string): Promise<SocialUser> {
  const user = await registerUser(url);
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${user.token}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "1.1",
    interceptors: [bearer],
  });
  return Object.assign(user, {
    relations: createClient(RelationService, transport),
    groups: createClient(GroupService, transport),
  });
}

/** The Connect code and message of a failed call, or "ok" when it succeeded. */
export async function outcome(call: Promise<unknown>): Promise<[number | "ok", string]> {
  try {
    await call;
    return ["ok", ""];
  } catch (error) {
    const e = ConnectError.from(error);
    return [e.code, e.rawMessage];
  }
}

/** Polls until `check` returns something truthy; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Everything the user may read in a conversation, oldest first. */
export async function history(user: TestUser, conversationId: string): Promise<Message[]> {
  const page = await user.messages.getHistory({
    conversationId,
    direction: HistoryDirection.AFTER,
    limit: 200,
  });
  return page.messages;
}

/** Waits until a message matching `match` is readable by the user. */
export function stored(user: TestUser, conversationId: string, match: (m: Message) => boolean) {
  return eventually(
    async () => (await history(user, conversationId)).find(match),
    "a stored message",
  );
}

export function friendEvents(box: Inbox) {
  return box.events.flatMap((e: SubscribeResponse) =>
    e.event.case === "friend" ? [e.event.value] : [],
  );
}

export function groupEvents(box: Inbox) {
  return box.events.flatMap((e: SubscribeResponse) =>
    e.event.case === "group" ? [e.event.value] : [],
  );
}

export async function syncFrame(box: Inbox) {
  const sync = await box.waitFor(() => box.events.find((e) => e.event.case === "sync"), "sync");
  if (sync.event.case !== "sync") throw new Error("not a sync frame");
  return sync.event.value;
}

/** Makes two users friends through the API: a request and its acceptance. */
export async function befriend(a: SocialUser, b: SocialUser) {
  const sent = await a.relations.sendFriendRequest({ toUserId: b.id });
  if (sent.friend) return sent.friend.conversationId;
  const accepted = await b.relations.acceptFriendRequest({ requestId: sent.request!.id });
  return accepted.friend!.conversationId;
}

/** Deletes a test's topic and consumer group, so runs leave nothing behind in the broker. */
