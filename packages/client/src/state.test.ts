import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  FriendEventKind,
  FriendEventSchema,
  FriendRequestSchema,
  FriendSchema,
  PresenceSchema,
  ReadReceiptSchema,
  SystemNotificationSchema,
  TypingSchema,
  UserSchema,
} from "@parley/proto";
import {
  applyFriendEvent,
  applyNotification,
  applyRead,
  applyTyping,
  pruneTyping,
  TYPING_TTL_MS,
  typingUsers,
} from "./events";
import {
  addPending,
  applyMessages,
  applyPeers,
  applySync,
  catchUpRanges,
  initialState,
  isHiddenMessage,
  markReadLocally,
} from "./state";
import { DIRECT, ME, message, OTHER, PEER, syncFrame } from "./test-data";

function synced(conversations: Parameters<typeof syncFrame>[0]) {
  return applySync(initialState(ME), syncFrame(conversations));
}

describe("sync and catch-up", () => {
  it("takes unread counts and positions from the frame and needs no catch-up at first", () => {
    const state = synced([{ id: DIRECT, lastSeq: 10, readSeq: 7, unread: 3 }]);
    assert.equal(state.conversations[DIRECT]?.unreadCount, 3);
    assert.equal(state.timelines[DIRECT]?.contiguousSeq, 10);
    assert.deepEqual(catchUpRanges(state), []);
  });

  it("asks for what was sent during a disconnect, from the last contiguous seq", () => {
    let state = synced([{ id: DIRECT, lastSeq: 10 }]);
    state = applyMessages(state, DIRECT, [message(11)]);
    state = applySync(state, syncFrame([{ id: DIRECT, lastSeq: 14, readSeq: 10, unread: 4 }]));
    assert.deepEqual(catchUpRanges(state), [{ conversationId: DIRECT, afterSeq: 11 }]);
    state = applyMessages(state, DIRECT, [message(12), message(13), message(14)]);
    assert.deepEqual(catchUpRanges(state), []);
    // The frame already counted the caught-up messages: they are not counted twice.
    assert.equal(state.conversations[DIRECT]?.unreadCount, 4);
  });

  it("takes a peer's newer profile until the next frame, and keeps the state when unchanged", () => {
    let state = synced([{ id: DIRECT, lastSeq: 1 }]);
    const same = { id: PEER, username: "peer", displayName: "Peer", avatarUrl: "" };
    assert.equal(applyPeers(state, [same]), state);
    state = applyPeers(state, [{ ...same, displayName: "Peer Renamed" }]);
    assert.equal(state.conversations[DIRECT]?.peer?.displayName, "Peer Renamed");
    state = applySync(state, syncFrame([{ id: DIRECT, lastSeq: 1 }]));
    assert.equal(state.conversations[DIRECT]?.peer?.displayName, "Peer");
  });

  it("takes the frame's notifications once each, newest first, keeping live ones", () => {
    const notice = (id: string, at: number) =>
      create(SystemNotificationSchema, { id, body: id, createdAt: timestampFromMs(at) });
    let state = synced([]);
    state = applyNotification(state, notice("live", 3_000));
    const frame = syncFrame([]);
    frame.notifications = [notice("new", 2_000), notice("old", 1_000)];
    state = applySync(applySync(state, frame), frame);
    assert.deepEqual(
      state.notices.map((n) => n.id),
      ["live", "new", "old"],
    );
  });

  it("keeps a conversation the frame no longer lists, closed", () => {
    let state = synced([{ id: DIRECT, lastSeq: 1 }]);
    state = applySync(state, syncFrame([]));
    assert.equal(state.conversations[DIRECT]?.closed, true);
  });
});

describe("live messages", () => {
  it("counts a new message from someone else once, however often it arrives", () => {
    let state = synced([{ id: DIRECT, lastSeq: 2 }]);
    state = applyMessages(state, DIRECT, [message(3)]);
    state = applyMessages(state, DIRECT, [message(3)]);
    assert.equal(state.conversations[DIRECT]?.unreadCount, 1);
    assert.equal(state.timelines[DIRECT]?.messages.length, 1);
  });

  it("does not count own messages as unread", () => {
    let state = synced([{ id: DIRECT, lastSeq: 2 }]);
    state = applyMessages(state, DIRECT, [message(3, { senderId: ME })]);
    assert.equal(state.conversations[DIRECT]?.unreadCount, 0);
    assert.equal(state.conversations[DIRECT]?.lastSeq, 3);
  });

  it("orders the conversation list by last activity", () => {
    let state = synced([
      { id: DIRECT, lastSeq: 1, at: 1_000 },
      { id: OTHER, lastSeq: 1, at: 2_000 },
    ]);
    assert.deepEqual(state.conversationOrder, [OTHER, DIRECT]);
    state = applyMessages(state, DIRECT, [message(2, { createdAt: 3_000 })]);
    assert.deepEqual(state.conversationOrder, [DIRECT, OTHER]);
    assert.equal(state.conversations[DIRECT]?.lastMessage?.seq, 2);
  });

  it("moves a conversation up as soon as the user sends, before the server answers", () => {
    let state = synced([
      { id: DIRECT, lastSeq: 1, at: 1_000 },
      { id: OTHER, lastSeq: 1, at: 2_000 },
    ]);
    state = addPending(state, {
      clientMessageId: "x",
      conversationId: DIRECT,
      body: "hi",
      createdAt: 5_000,
      status: "pending",
      accepted: false,
    });
    assert.deepEqual(state.conversationOrder, [DIRECT, OTHER]);
    state = applyMessages(state, DIRECT, [message(2, { senderId: ME, clientMessageId: "x" })]);
    assert.equal(state.timelines[DIRECT]?.pending.length, 0);
    assert.equal(state.timelines[DIRECT]?.messages.at(-1)?.clientMessageId, "x");
  });
});

describe("read positions", () => {
  it("zeroes the unread count locally and never moves backwards", () => {
    let state = synced([{ id: DIRECT, lastSeq: 5, readSeq: 2, unread: 3 }]);
    state = markReadLocally(state, DIRECT, 5);
    assert.equal(state.conversations[DIRECT]?.unreadCount, 0);
    const before = state;
    state = markReadLocally(state, DIRECT, 3);
    assert.equal(state, before);
    const receipt = create(ReadReceiptSchema, { conversationId: DIRECT, userId: ME, readSeq: 4 });
    assert.equal(applyRead(state, receipt).conversations[DIRECT]?.readSeq, 5);
  });

  it("moves the peer's read position for read receipts in a direct conversation", () => {
    let state = synced([{ id: DIRECT, lastSeq: 5 }]);
    const receipt = create(ReadReceiptSchema, { conversationId: DIRECT, userId: PEER, readSeq: 4 });
    state = applyRead(state, receipt);
    assert.equal(state.conversations[DIRECT]?.peerReadSeq, 4);
  });
});

describe("typing", () => {
  it("shows a typing peer until the indicator expires", () => {
    const typing = create(TypingSchema, { conversationId: DIRECT, userId: PEER, typing: true });
    let state = applyTyping(synced([{ id: DIRECT, lastSeq: 0 }]), typing, 0);
    assert.deepEqual(typingUsers(state, DIRECT, 1_000), [PEER]);
    assert.deepEqual(typingUsers(state, DIRECT, TYPING_TTL_MS + 1), []);
    state = pruneTyping(state, TYPING_TTL_MS + 1);
    assert.deepEqual(state.typing, {});
  });

  it("ignores the user's own typing events from other devices", () => {
    const typing = create(TypingSchema, { conversationId: DIRECT, userId: ME, typing: true });
    const state = synced([{ id: DIRECT, lastSeq: 0 }]);
    assert.equal(applyTyping(state, typing, 0), state);
  });
});

describe("blocked senders", () => {
  it("hides their messages from unread counts and previews, keeping seqs contiguous", () => {
    let state = synced([{ id: DIRECT, lastSeq: 4, readSeq: 4 }]);
    state = { ...state, blockedUserIds: { "u-blocked": true } };
    state = applyMessages(state, DIRECT, [
      message(5, { senderId: "u-blocked", body: "hidden" }),
      message(6, { body: "visible" }),
      message(7, { senderId: "u-blocked", kind: "system", body: "{}" }),
    ]);
    const summary = state.conversations[DIRECT];
    assert.equal(summary?.unreadCount, 2);
    assert.equal(summary?.lastSeq, 7);
    assert.equal(summary?.lastMessage?.seq, 7);
    assert.equal(state.timelines[DIRECT]?.contiguousSeq, 7);
    assert.equal(isHiddenMessage(state, message(5, { senderId: "u-blocked" })), true);
    assert.equal(
      isHiddenMessage(state, message(7, { senderId: "u-blocked", kind: "system" })),
      false,
    );
    state = markReadLocally(state, DIRECT, 5);
    assert.equal(state.conversations[DIRECT]?.unreadCount, 2);
  });

  it("follows block and unblock events", () => {
    const user = create(UserSchema, { id: "u-blocked", username: "b" });
    let state = synced([]);
    state = applyFriendEvent(
      state,
      create(FriendEventSchema, { kind: FriendEventKind.BLOCKED, user }),
    );
    assert.deepEqual(state.blockedUserIds, { "u-blocked": true });
    state = applyFriendEvent(
      state,
      create(FriendEventSchema, { kind: FriendEventKind.UNBLOCKED, user }),
    );
    assert.deepEqual(state.blockedUserIds, {});
  });
});

describe("friend requests and new friends", () => {
  const me = create(UserSchema, { id: ME, username: "me" });
  const peer = create(UserSchema, { id: PEER, username: "peer", displayName: "Peer" });

  it("counts only requests to the user, not the user's own sent from another device", () => {
    const toMe = create(FriendRequestSchema, { id: "r1", from: peer, to: me });
    const fromMe = create(FriendRequestSchema, { id: "r2", from: me, to: peer });
    let state = synced([]);
    const received = (request: typeof toMe) =>
      create(FriendEventSchema, { kind: FriendEventKind.REQUEST_RECEIVED, request });
    state = applyFriendEvent(state, received(fromMe));
    assert.equal(state.pendingFriendRequests, 0);
    state = applyFriendEvent(state, received(toMe));
    assert.equal(state.pendingFriendRequests, 1);
  });

  it("adds the new friend's conversation with their presence", () => {
    const friend = create(FriendSchema, {
      user: peer,
      conversationId: "c-new",
      presence: create(PresenceSchema, { userId: PEER, online: true }),
    });
    const state = applyFriendEvent(
      synced([]),
      create(FriendEventSchema, { kind: FriendEventKind.REQUEST_ACCEPTED, friend }),
    );
    assert.equal(state.conversations["c-new"]?.peer?.id, PEER);
    assert.deepEqual(state.presence[PEER], { online: true });
  });
});
