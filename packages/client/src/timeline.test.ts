import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PendingMessage } from "./model";
import { ME, message } from "./test-data";
import {
  addOlderPage,
  addToTimeline,
  emptyTimeline,
  findGap,
  mergeMessages,
  olderAnchor,
  settlePending,
  type Timeline,
} from "./timeline";

const seqs = (list: readonly { seq: number }[]) => list.map((m) => m.seq);

describe("mergeMessages", () => {
  it("keeps messages sorted by seq whatever order they arrive in", () => {
    const merged = mergeMessages([], [message(3), message(1), message(2)]);
    assert.deepEqual(seqs(merged), [1, 2, 3]);
  });

  it("never keeps the same seq twice", () => {
    const once = mergeMessages([message(1), message(2)], [message(2), message(1), message(3)]);
    const twice = mergeMessages(once, [message(3), message(2)]);
    assert.deepEqual(seqs(twice), [1, 2, 3]);
  });

  it("returns the same array when nothing is new, so views do not re-render", () => {
    const existing = mergeMessages([], [message(1)]);
    assert.equal(mergeMessages(existing, [message(1)]), existing);
  });

  it("does not bring a recalled message back with an older copy", () => {
    const recalled = { ...message(1), body: "", recalledAt: 5 };
    const merged = mergeMessages([recalled], [message(1)]);
    assert.equal(merged[0]?.recalledAt, 5);
    assert.equal(merged[0]?.body, "");
  });
});

describe("gaps", () => {
  it("finds nothing missing for the next seq or an old one", () => {
    assert.equal(findGap(5, 6), undefined);
    assert.equal(findGap(5, 3), undefined);
  });

  it("finds the range between the contiguous seq and a message further on", () => {
    assert.deepEqual(findGap(5, 9), { afterSeq: 5, untilSeq: 8 });
  });

  it("moves the contiguous seq over a filled gap", () => {
    let timeline = emptyTimeline("c", 5);
    timeline = addToTimeline(timeline, [message(8)], ME);
    assert.equal(timeline.contiguousSeq, 5);
    timeline = addToTimeline(timeline, [message(6), message(7)], ME);
    assert.equal(timeline.contiguousSeq, 8);
    assert.deepEqual(seqs(timeline.messages), [6, 7, 8]);
  });
});

describe("pending own messages", () => {
  const pending = (clientMessageId: string): PendingMessage => ({
    clientMessageId,
    conversationId: "c",
    body: "hi",
    createdAt: 0,
    status: "pending",
    accepted: true,
  });

  it("settles when the stored copy with the same clientMessageId arrives", () => {
    let timeline: Timeline = { ...emptyTimeline("c", 0), pending: [pending("a"), pending("b")] };
    timeline = addToTimeline(timeline, [message(1, { senderId: ME, clientMessageId: "a" })], ME);
    assert.deepEqual(
      timeline.pending.map((p) => p.clientMessageId),
      ["b"],
    );
    assert.deepEqual(seqs(timeline.messages), [1]);
  });

  it("settles also when the stored copy was already there (a repeated delivery)", () => {
    const stored = message(1, { senderId: ME, clientMessageId: "a" });
    let timeline = addToTimeline(emptyTimeline("c", 0), [stored], ME);
    timeline = { ...timeline, pending: [pending("a")] };
    timeline = addToTimeline(timeline, [stored], ME);
    assert.equal(timeline.pending.length, 0);
  });

  it("is not settled by someone else's message with the same clientMessageId", () => {
    const remaining = settlePending([pending("a")], [message(1, { clientMessageId: "a" })], ME);
    assert.equal(remaining.length, 1);
  });
});

describe("older history", () => {
  it("asks for the latest page first, then below the oldest loaded message", () => {
    const fresh = emptyTimeline("c", 120);
    assert.equal(olderAnchor(fresh), 121);
    const page = Array.from({ length: 50 }, (_, i) => message(71 + i));
    const loaded = addOlderPage(fresh, page, true, ME);
    assert.equal(olderAnchor(loaded), 71);
    assert.equal(loaded.hasOlder, true);
    assert.equal(loaded.contiguousSeq, 120);
  });

  it("knows when the first message is loaded", () => {
    const loaded = addOlderPage(
      emptyTimeline("c", 3),
      [message(1), message(2), message(3)],
      false,
      ME,
    );
    assert.equal(loaded.hasOlder, false);
  });

  it("has nothing older in an empty conversation", () => {
    assert.equal(emptyTimeline("c", 0).hasOlder, false);
  });
});
