import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ChatSession, createParleyClient } from "@parley/client";
import { createFriendship } from "@parley/db";
import { type Instance, registerUser, startStack, type TestUser } from "./harness.ts";
import { startProxy } from "./tcp-proxy.ts";

// The client core (@parley/client) against two real instances: what the web app relies on.
let stack: Awaited<ReturnType<typeof startStack>>;
let database: Awaited<ReturnType<typeof startStack>>["database"];
let one: Instance;
let two: Instance;
const stops: Array<() => unknown> = [];

before(async () => {
  stack = await startStack({ HEARTBEAT_SECONDS: "2" });
  ({ database, one, two } = stack);
});

after(async () => {
  for (const stop of stops) await stop();
  await stack?.stop();
});

function session(user: TestUser, baseUrl: string) {
  const client = createParleyClient({
    transport: createConnectTransport({ baseUrl, httpVersion: "1.1" }),
    tokens: { getAccessToken: async () => user.token, refresh: async () => user.token },
  });
  const chat = new ChatSession({ client, selfUserId: user.id });
  chat.start();
  stops.push(() => chat.stop());
  return chat;
}

function bodies(chat: ChatSession, conversationId: string) {
  return chat.getSnapshot().timelines[conversationId]?.messages.map((m) => m.body) ?? [];
}

describe("the client core against the real service", () => {
  it("shows what was sent during a 3-second network cut once, in order, without a reload", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const proxy = await startProxy(two.port);
    stops.push(() => proxy.close());
    const aliceChat = session(alice, one.url);
    const bobChat = session(bob, `http://127.0.0.1:${proxy.port}`);
    await Promise.all([
      aliceChat.waitFor((s) => s.status === "live"),
      bobChat.waitFor((s) => s.status === "live"),
    ]);

    proxy.cut();
    for (const body of ["one", "two", "three"])
      assert.equal(aliceChat.send(conversationId, body).ok, true);
    await aliceChat.waitFor((s) => s.timelines[conversationId]?.messages.length === 3, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    proxy.restore();
    aliceChat.send(conversationId, "four");

    await bobChat.waitFor((s) => s.timelines[conversationId]?.messages.length === 4, 30_000);
    assert.deepEqual(bodies(bobChat, conversationId), ["one", "two", "three", "four"]);
    const state = bobChat.getSnapshot().conversations[conversationId];
    assert.equal(state?.unreadCount, 4);
  });

  it("refuses an over-long message before it leaves, with the server's reason", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(one.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const chat = session(alice, one.url);
    await chat.waitFor((s) => s.status === "live");
    const refused = chat.send(conversationId, "x".repeat(4001));
    assert.deepEqual(refused, { ok: false, reason: "body: longer than 4000 characters (4001)" });
    const emoji = "😀".repeat(4000);
    assert.equal(chat.send(conversationId, emoji).ok, true);
    await chat.waitFor((s) => s.timelines[conversationId]?.messages[0]?.body === emoji, 20_000);
  });
});
