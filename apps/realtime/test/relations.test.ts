import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code } from "@connectrpc/connect";
import { createGroup, pairOf } from "@parley/db";
import { FriendEventKind, RequestDirection } from "@parley/proto";
import { text } from "./harness.ts";
import {
  befriend,
  eventually,
  friendEvents,
  history,
  outcome,
  registerSocialUser,
  type SocialUser,
  startStack,
  stored,
  syncFrame,
} from "./social.ts";

let stack: Awaited<ReturnType<typeof startStack>>;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/** Two users, one on each instance. */
async function pair(): Promise<[SocialUser, SocialUser]> {
  return Promise.all([registerSocialUser(stack.one.url), registerSocialUser(stack.two.url)]);
}

async function friendshipRows(a: string, b: string) {
  const [low, high] = pairOf(a, b);
  return stack.database.db.friendship.count({ where: { userLowId: low, userHighId: high } });
}

describe("friend requests", () => {
  it("merges requests that cross into one friendship, every time", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await pair();
      const [boxA, boxB] = [stack.inbox(a), stack.inbox(b)];
      await Promise.all([syncFrame(boxA), syncFrame(boxB)]);

      const [fromA, fromB] = await Promise.all([
        a.relations.sendFriendRequest({ toUserId: b.id, note: "hi 😀" }),
        b.relations.sendFriendRequest({ toUserId: a.id }),
      ]);

      const merged = [fromA, fromB].filter((r) => r.friend);
      assert.equal(merged.length, 1, "exactly one call met the other request");
      assert.equal(await friendshipRows(a.id, b.id), 1);
      const [listA, listB] = await Promise.all([
        a.relations.listFriends({}),
        b.relations.listFriends({}),
      ]);
      assert.deepEqual(
        listA.friends.map((f) => f.user?.id),
        [b.id],
      );
      assert.deepEqual(
        listB.friends.map((f) => f.user?.id),
        [a.id],
      );
      assert.equal(listA.friends[0]?.conversationId, listB.friends[0]?.conversationId);
      assert.equal(listA.friends[0]?.conversationId, merged[0]?.friend?.conversationId);
      for (const user of [a, b]) {
        const pending = await user.relations.listFriendRequests({});
        assert.equal(pending.requests.length, 0, "no request is left pending");
      }
      for (const box of [boxA, boxB]) {
        await box.waitFor(
          () => friendEvents(box).some((e) => e.kind === FriendEventKind.REQUEST_ACCEPTED),
          "accepted event",
        );
      }
    }
  });

  it("crosses again after a removal and still ends with one friendship", async () => {
    const [a, b] = await pair();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([
        outcome(a.relations.sendFriendRequest({ toUserId: b.id })),
        outcome(b.relations.sendFriendRequest({ toUserId: a.id })),
      ]);
      assert.deepEqual(results, [
        ["ok", ""],
        ["ok", ""],
      ]);
      assert.equal(await friendshipRows(a.id, b.id), 1);
      await a.relations.removeFriend({ userId: b.id });
      assert.equal(await friendshipRows(a.id, b.id), 0);
    }
  });

  it("treats a double accept as one, and refuses to decline it afterwards", async () => {
    const [a, b] = await pair();
    const boxA = stack.inbox(a);
    await syncFrame(boxA);
    const sent = await a.relations.sendFriendRequest({ toUserId: b.id, note: "let's talk" });
    assert.ok(sent.request);
    const requestId = sent.request.id;
    const incoming = await b.relations.listFriendRequests({
      direction: RequestDirection.INCOMING,
    });
    assert.deepEqual(
      incoming.requests.map((r) => [r.id, r.note, r.from?.id]),
      [[requestId, "let's talk", a.id]],
    );
    await boxA.waitFor(
      () => friendEvents(boxA).some((e) => e.kind === FriendEventKind.REQUEST_RECEIVED),
      "the sender's other devices see the request",
    );

    const [first, second] = await Promise.all([
      b.relations.acceptFriendRequest({ requestId }),
      b.relations.acceptFriendRequest({ requestId }),
    ]);
    const third = await b.relations.acceptFriendRequest({ requestId });
    assert.equal(first.friend?.user?.id, a.id);
    assert.equal(second.friend?.conversationId, first.friend?.conversationId);
    assert.equal(third.friend?.conversationId, first.friend?.conversationId);
    assert.equal(await friendshipRows(a.id, b.id), 1);
    await boxA.waitFor(
      () => friendEvents(boxA).filter((e) => e.kind === FriendEventKind.REQUEST_ACCEPTED).length,
      "one accepted event",
    );
    assert.equal(
      friendEvents(boxA).filter((e) => e.kind === FriendEventKind.REQUEST_ACCEPTED).length,
      1,
    );
    const declined = await outcome(b.relations.declineFriendRequest({ requestId }));
    assert.equal(declined[0], Code.FailedPrecondition);
    assert.match(declined[1], /^request_id: /);
    const again = await outcome(a.relations.sendFriendRequest({ toUserId: b.id }));
    assert.deepEqual(again, [Code.AlreadyExists, "to_user_id: already your friend"]);
  });

  it("declines and cancels, once, with events to both sides", async () => {
    const [a, b] = await pair();
    const [boxA, boxB] = [stack.inbox(a), stack.inbox(b)];
    await Promise.all([syncFrame(boxA), syncFrame(boxB)]);
    const first = await a.relations.sendFriendRequest({ toUserId: b.id });
    const repeat = await a.relations.sendFriendRequest({ toUserId: b.id });
    assert.equal(repeat.request?.id, first.request?.id, "a repeated request is the same one");
    await b.relations.declineFriendRequest({ requestId: first.request!.id });
    await b.relations.declineFriendRequest({ requestId: first.request!.id });
    const second = await a.relations.sendFriendRequest({ toUserId: b.id });
    const outgoing = await a.relations.listFriendRequests({
      direction: RequestDirection.OUTGOING,
    });
    assert.deepEqual(
      outgoing.requests.map((r) => r.id),
      [second.request!.id],
    );
    const wrongSide = await outcome(
      b.relations.cancelFriendRequest({ requestId: second.request!.id }),
    );
    assert.deepEqual(wrongSide, [Code.NotFound, "friend request not found"]);
    await a.relations.cancelFriendRequest({ requestId: second.request!.id });
    for (const box of [boxA, boxB]) {
      await box.waitFor(
        () =>
          friendEvents(box).some((e) => e.kind === FriendEventKind.REQUEST_DECLINED) &&
          friendEvents(box).some((e) => e.kind === FriendEventKind.REQUEST_CANCELLED),
        "declined and cancelled events",
      );
    }
    assert.equal((await b.relations.listFriendRequests({})).requests.length, 0);
  });
});

describe("friends", () => {
  it("lists friends with presence, and a removal closes the direct chat but keeps history", async () => {
    const [a, b] = await pair();
    const boxB = stack.inbox(b);
    await syncFrame(boxB);
    const conversationId = await befriend(a, b);
    const listed = await a.relations.listFriends({});
    assert.equal(listed.friends[0]?.presence?.online, true, "b has an open stream");
    await a.messages.send(text(conversationId, "before"));
    await stored(b, conversationId, (m) => m.body === "before");

    await b.relations.removeFriend({ userId: a.id });
    await boxB.waitFor(
      () => friendEvents(boxB).find((e) => e.kind === FriendEventKind.FRIEND_REMOVED),
      "removed event",
    );
    // a is on the other instance: the control message must reach its cache.
    const refused = await eventually(
      async () => {
        const result = await outcome(a.messages.send(text(conversationId, "after")));
        return result[0] !== "ok" && result;
      },
      "send refused",
      1_000,
    );
    assert.deepEqual(refused, [Code.PermissionDenied, "you are no longer friends"]);
    assert.deepEqual(
      (await history(a, conversationId)).map((m) => m.body),
      ["before"],
    );
    assert.equal((await a.relations.listFriends({})).friends.length, 0);
    const again = await outcome(b.relations.removeFriend({ userId: a.id }));
    assert.deepEqual(again, [Code.NotFound, "friend not found"]);
  });
});

describe("blocklist", () => {
  it("refuses the blocked user's direct messages and requests, and ends pending requests", async () => {
    const [a, b] = await pair();
    const [c, d] = await pair();
    const conversationId = await befriend(a, b);
    const [boxA, boxB] = [stack.inbox(a), stack.inbox(b)];
    await Promise.all([syncFrame(boxA), syncFrame(boxB)]);
    await a.messages.send(text(conversationId, "still friends"));
    await stored(b, conversationId, (m) => m.body === "still friends");
    const fromC = await c.relations.sendFriendRequest({ toUserId: b.id });
    const toD = await b.relations.sendFriendRequest({ toUserId: d.id });

    await b.relations.blockUser({ userId: a.id });
    await b.relations.blockUser({ userId: a.id });
    await b.relations.blockUser({ userId: c.id });
    await b.relations.blockUser({ userId: d.id });

    const refused = await eventually(
      async () => {
        const result = await outcome(a.messages.send(text(conversationId, "are you there?")));
        return result[0] !== "ok" && result;
      },
      "send refused",
      1_000,
    );
    assert.deepEqual(refused, [Code.PermissionDenied, "you cannot message this user"]);
    assert.equal(
      (await outcome(c.relations.sendFriendRequest({ toUserId: b.id })))[0],
      Code.PermissionDenied,
    );
    assert.equal(
      (await outcome(a.relations.sendFriendRequest({ toUserId: b.id })))[0],
      Code.PermissionDenied,
    );
    const requests = await stack.database.db.friendRequest.findMany({
      where: { id: { in: [fromC.request!.id, toD.request!.id] } },
      select: { id: true, status: true },
    });
    assert.deepEqual(
      Object.fromEntries(requests.map((r) => [r.id, r.status])),
      { [fromC.request!.id]: "declined", [toD.request!.id]: "cancelled" },
      "blocking ends pending requests both ways",
    );
    assert.deepEqual(
      (await b.relations.listBlocked({})).users.map((u) => u.id).sort(),
      [a.id, c.id, d.id].sort(),
    );
    await boxB.waitFor(
      () => friendEvents(boxB).filter((e) => e.kind === FriendEventKind.BLOCKED).length === 3,
      "one blocked event per user blocked",
    );
    assert.ok(!friendEvents(boxA).some((e) => e.kind === FriendEventKind.BLOCKED));
    const stillFriends = (await b.relations.listFriends({})).friends.find(
      (f) => f.user?.id === a.id,
    );
    assert.ok(stillFriends, "blocking keeps the friendship, so unblocking restores the chat");
    assert.equal(stillFriends.presence, undefined, "no presence across a block");
    assert.deepEqual(
      boxB.messages(conversationId).map((m) => m.body),
      ["still friends"],
    );
    for (const user of [a, b]) {
      const frame = await syncFrame(stack.inbox(user));
      const state = frame.conversations.find((c) => c.conversationId === conversationId);
      assert.equal(state?.closed, true, "a new sync shows the blocked chat closed to both");
    }

    await b.relations.unblockUser({ userId: a.id });
    const sent = await eventually(
      async () => {
        const result = await outcome(a.messages.send(text(conversationId, "thanks")));
        return result[0] === "ok" && result;
      },
      "send allowed again",
      1_000,
    );
    assert.equal(sent[0], "ok");
    await boxB.waitFor(
      () => boxB.messages(conversationId).some((m) => m.body === "thanks"),
      "the message after unblocking",
    );
  });

  it("keeps a blocked user's group messages and mentions off the blocker's stream and badges", async () => {
    const owner = await registerSocialUser(stack.one.url);
    const [a, b] = await pair();
    const group = await createGroup(stack.database.db, {
      name: "shared",
      ownerId: owner.id,
      memberIds: [a.id, b.id],
    });
    const conversationId = group.conversationId;
    await b.relations.blockUser({ userId: a.id });
    const [boxB, boxOwner] = [stack.inbox(b), stack.inbox(owner)];
    await Promise.all([syncFrame(boxB), syncFrame(boxOwner)]);

    await a.messages.send(text(conversationId, `@${b.username} look at this`));
    await owner.messages.send(text(conversationId, "from the owner"));
    await boxOwner.waitFor(
      () => boxOwner.messages(conversationId).some((m) => m.body === "from the owner"),
      "the owner's message",
    );
    await boxB.waitFor(
      () => boxB.messages(conversationId).some((m) => m.body === "from the owner"),
      "the owner's message at b",
    );
    assert.ok(
      boxOwner.messages(conversationId).some((m) => m.senderId === a.id),
      "others still get a's message",
    );
    assert.ok(
      !boxB.messages(conversationId).some((m) => m.senderId === a.id),
      "b's stream never gets a's message",
    );

    await a.messages.send(text(conversationId, `@${b.username} last word`));
    await stored(owner, conversationId, (m) => m.body.endsWith("last word"));
    const fresh = stack.inbox(b);
    const state = (await syncFrame(fresh)).conversations.find(
      (c) => c.conversationId === conversationId,
    );
    assert.ok(state);
    const all = await history(owner, conversationId);
    const unreadForB = all.filter((m) => m.seq > state.readSeq && m.senderId !== a.id);
    assert.equal(state.unreadCount, unreadForB.length, "a's messages are not counted");
    assert.equal(state.lastMessage?.body, "from the owner", "the preview skips a's message");
    const read = await b.messages.markRead({ conversationId, seq: state.readSeq });
    assert.equal(read.unreadCount, unreadForB.length);

    const lastWord = all.find((m) => m.body.endsWith("last word"));
    await a.messages.recall({ messageId: lastWord!.id });
    await owner.messages.send(text(conversationId, "after the recall"));
    await boxB.waitFor(
      () => boxB.messages(conversationId).some((m) => m.body === "after the recall"),
      "the owner's later message",
    );
    assert.ok(!boxB.events.some((e) => e.event.case === "recalled"), "nor does a's recall reach b");
  });
});

describe("bad input", () => {
  it("names the field with the right code", async () => {
    const [a, b] = await pair();
    const cases: Array<[() => Promise<unknown>, [number, string]]> = [
      [
        () => a.relations.sendFriendRequest({ toUserId: "nope" }),
        [Code.InvalidArgument, "to_user_id: not a valid id"],
      ],
      [
        () => a.relations.sendFriendRequest({ toUserId: a.id }),
        [Code.InvalidArgument, "to_user_id: cannot be yourself"],
      ],
      [
        () => a.relations.sendFriendRequest({ toUserId: b.id, note: "x".repeat(201) }),
        [Code.InvalidArgument, "note: longer than 200 characters"],
      ],
      [
        () => a.relations.sendFriendRequest({ toUserId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }),
        [Code.NotFound, "user not found"],
      ],
      [
        () => a.relations.acceptFriendRequest({ requestId: "" }),
        [Code.InvalidArgument, "request_id: not a valid id"],
      ],
      [
        () => a.relations.blockUser({ userId: a.id }),
        [Code.InvalidArgument, "user_id: cannot be yourself"],
      ],
      [() => a.relations.removeFriend({ userId: b.id }), [Code.NotFound, "friend not found"]],
      [
        () => a.relations.listFriendRequests({ direction: 7 as RequestDirection }),
        [Code.InvalidArgument, "direction: incoming, outgoing or unspecified"],
      ],
    ];
    for (const [call, expected] of cases) assert.deepEqual(await outcome(call()), expected);
    const sent = await a.relations.sendFriendRequest({ toUserId: b.id });
    const stranger = await registerSocialUser(stack.one.url);
    assert.deepEqual(
      await outcome(stranger.relations.acceptFriendRequest({ requestId: sent.request!.id })),
      [Code.NotFound, "friend request not found"],
    );
  });
});
