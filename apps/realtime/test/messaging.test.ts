import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createFriendship, createGroup } from "@parley/db";
import { HistoryDirection, MessageKind } from "@parley/proto";
import {
  clientsFor,
  type Inbox,
  type Instance,
  registerUser,
  startStack,
  text,
} from "./harness.ts";

let stack: Awaited<ReturnType<typeof startStack>>;
let database: Awaited<ReturnType<typeof startStack>>["database"];
let one: Instance;
let two: Instance;

function inbox(user: { messages: ConstructorParameters<typeof Inbox>[0] }) {
  return stack.inbox(user);
}

async function synced(box: Inbox) {
  return box.waitFor(() => box.events.find((e) => e.event.case === "sync"), "sync frame");
}

before(async () => {
  stack = await startStack();
  ({ database, one, two } = stack);
});

after(() => stack?.stop());

describe("messaging across two instances", () => {
  it("delivers both ways live, and to the sender's other device on the other instance", async () => {
    const alice = await registerUser(one.url, "h2");
    const bob = await registerUser(two.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const aliceBox = inbox(alice);
    const bobBox = inbox(bob);
    const alicePhone = {
      ...alice,
      ...(await import("./harness.ts")).clientsFor(two.url, () => alice.token),
    };
    const phoneBox = inbox(alicePhone);
    await Promise.all([synced(aliceBox), synced(bobBox), synced(phoneBox)]);

    await alice.messages.send(text(conversationId, "hello from one 😀"));
    await bob.messages.send(text(conversationId, "مرحبا from two"));

    for (const box of [aliceBox, bobBox, phoneBox]) {
      const got = await box.waitFor(() => {
        const list = box.messages(conversationId);
        return list.length === 2 && list;
      }, "both messages");
      assert.deepEqual(
        got.map((m) => [m.seq, m.body]),
        [
          [1, "hello from one 😀"],
          [2, "مرحبا from two"],
        ],
      );
    }
  });

  it("gives 20 concurrent senders in a group one gap-free order seen identically by all", async () => {
    const users = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerUser(i % 2 ? one.url : two.url)),
    );
    const [owner, ...rest] = users;
    const group = await createGroup(database.db, {
      name: "twenty 🇯🇵",
      ownerId: owner!.id,
      memberIds: rest.map((u) => u.id),
    });
    const boxes = users.map(inbox);
    await Promise.all(boxes.map(synced));

    await Promise.all(
      users.map(async (user, i) => {
        for (let n = 0; n < 5; n++) {
          await user.messages.send(text(group.conversationId, `user ${i} message ${n}`));
        }
      }),
    );

    const expected = Array.from({ length: 100 }, (_, i) => i + 1);
    const orders = await Promise.all(
      boxes.map((box) =>
        box.waitFor(() => {
          const list = box.messages(group.conversationId);
          return list.length >= 100 && list;
        }, "100 group messages"),
      ),
    );
    for (const order of orders) {
      assert.deepEqual(
        order.map((m) => m.seq),
        expected,
        "each member: seq 1..100, once each",
      );
      assert.deepEqual(
        order.map((m) => m.id),
        orders[0]!.map((m) => m.id),
        "the same order",
      );
    }
  });

  it("stores a retried send once and answers with the original message", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    const box = inbox(bob);
    await synced(box);
    const request = text(conversationId, "only once");
    const [first, racing] = await Promise.all([
      alice.messages.send(request),
      alice.messages.send(request),
    ]);
    assert.equal(racing.messageId, first.messageId, "a retry in flight gets the same id");
    await box.waitFor(() => box.messages(conversationId).length === 1, "the stored message");
    const later = await alice.messages.send(request);
    assert.equal(later.messageId, first.messageId);
    assert.equal(later.seq, 1, "a retry after storing reports the seq");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const history = await alice.messages.getHistory({
      conversationId,
      direction: HistoryDirection.AFTER,
    });
    assert.equal(history.messages.length, 1);
  });

  it("brings an offline user 50 messages in order with the right unread count", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);
    for (let n = 1; n <= 50; n++) await alice.messages.send(text(conversationId, `m${n}`));
    await waitStored(alice, conversationId, 50);

    const bobBox = inbox(bob);
    const sync = await synced(bobBox);
    assert.equal(sync.event.case, "sync");
    const state = sync.event.value.conversations.find((c) => c.conversationId === conversationId);
    assert.equal(state?.lastSeq, 50);
    assert.equal(state?.unreadCount, 50);
    assert.equal(state?.lastMessage?.body, "m50");

    // Page backwards 20 at a time while new messages keep arriving.
    const seen: number[] = [];
    let anchor = 0;
    const writer = (async () => {
      for (let n = 51; n <= 60; n++) await alice.messages.send(text(conversationId, `m${n}`));
    })();
    for (;;) {
      const page = await bob.messages.getHistory({
        conversationId,
        direction: HistoryDirection.BEFORE,
        anchorSeq: anchor || 51,
        limit: 20,
      });
      seen.unshift(...page.messages.map((m) => m.seq));
      if (!page.hasMore) break;
      anchor = page.messages[0]!.seq;
    }
    await writer;
    assert.deepEqual(
      seen,
      Array.from({ length: 50 }, (_, i) => i + 1),
      "no skips, no repeats",
    );
    const read = await bob.messages.markRead({ conversationId, seq: 50 });
    assert.equal(read.readSeq, 50);
    const back = await bob.messages.markRead({ conversationId, seq: 10 });
    assert.equal(back.readSeq, 50, "read position never moves backwards");
  });
});

describe("presence", () => {
  it("is online while any stream is open on any instance, and only friends see it", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(two.url);
    const carol = await registerUser(two.url);
    await createFriendship(database.db, alice.id, bob.id);
    const bobBox = inbox(bob);
    const carolBox = inbox(carol);
    await Promise.all([synced(bobBox), synced(carolBox)]);
    const seen = (box: Inbox) =>
      box.events.flatMap((e) =>
        e.event.case === "presence" && e.event.value.userId === alice.id ? [e.event.value] : [],
      );

    const laptop = inbox(alice);
    await bobBox.waitFor(() => seen(bobBox).at(-1)?.online, "alice online");
    const phone = inbox({ messages: clientsFor(two.url, () => alice.token).messages });
    await synced(phone);
    await laptop.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(seen(bobBox).at(-1)?.online, true, "still online through the phone");

    await phone.close();
    const offline = await bobBox.waitFor(() => {
      const last = seen(bobBox).at(-1);
      return last && !last.online && last;
    }, "alice offline");
    assert.ok(offline.lastSeenAt, "offline carries the last-seen time");
    assert.deepEqual(seen(carolBox), [], "a stranger sees nothing");
  });
});

async function waitStored(
  user: Awaited<ReturnType<typeof registerUser>>,
  conversationId: string,
  n: number,
) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const page = await user.messages.getHistory({
      conversationId,
      direction: HistoryDirection.BEFORE,
      limit: 1,
    });
    if (page.messages[0]?.seq === n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`conversation never reached seq ${n}`);
}

describe("bad input", () => {
  async function code(call: Promise<unknown>) {
    try {
      await call;
    } catch (error) {
      return [ConnectError.from(error).code, ConnectError.from(error).rawMessage] as const;
    }
    return [undefined, "succeeded"] as const;
  }

  it("names the field and uses the right code", async () => {
    const alice = await registerUser(one.url);
    const bob = await registerUser(one.url);
    const carol = await registerUser(one.url);
    const { conversationId } = await createFriendship(database.db, alice.id, bob.id);

    assert.deepEqual(await code(alice.messages.send(text(conversationId, ""))), [
      Code.InvalidArgument,
      "body: the message is empty",
    ]);
    const long = await code(alice.messages.send(text(conversationId, "x".repeat(4001))));
    assert.deepEqual(long, [Code.InvalidArgument, "body: longer than 4000 characters (4001)"]);
    const kind = await code(
      alice.messages.send({ ...text(conversationId, "hi"), kind: MessageKind.SYSTEM }),
    );
    assert.equal(kind[0], Code.InvalidArgument);
    const foreign = await code(carol.messages.send(text(conversationId, "let me in")));
    assert.equal(foreign[0], Code.NotFound, "a stranger learns nothing about the conversation");
    const dave = await registerUser(two.url);
    const blocked = await createFriendship(database.db, carol.id, dave.id);
    await database.db.block.create({ data: { blockerId: dave.id, blockedId: carol.id } });
    const refused = await code(carol.messages.send(text(blocked.conversationId, "hi")));
    assert.deepEqual(refused, [Code.PermissionDenied, "you cannot message this user"]);
    const muted = await createGroup(database.db, {
      name: "quiet",
      ownerId: dave.id,
      memberIds: [carol.id],
    });
    await database.db.groupMember.update({
      where: { groupId_userId: { groupId: muted.id, userId: carol.id } },
      data: { mutedUntil: new Date(Date.now() + 3_600_000) },
    });
    const mutedSend = await code(carol.messages.send(text(muted.conversationId, "hi")));
    assert.equal(mutedSend[0], Code.PermissionDenied);

    const bad = { ...alice, token: "not.a.jwt" };
    const clients = (await import("./harness.ts")).clientsFor(one.url, () => bad.token);
    const denied = await code(clients.messages.send(text(conversationId, "hi")));
    assert.equal(denied[0], Code.Unauthenticated);
    const dup = await code(
      alice.users.register({
        username: alice.username.toUpperCase(),
        displayName: "x",
        email: "new@example.test",
        password: "long enough",
      }),
    );
    assert.deepEqual(dup, [Code.AlreadyExists, "username: already taken"]);
  });
});
