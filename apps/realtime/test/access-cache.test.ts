import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createFriendship, createUser, newId } from "@parley/db";
import { AccessCache } from "../src/messages/access-cache.ts";
import { scratchDatabase } from "./harness.ts";

describe("AccessCache batched loads", () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  const ids: string[] = [];

  before(async () => {
    scratch = await scratchDatabase();
    for (const name of ["ann", "bob", "cat"]) {
      const id = newId();
      await createUser(scratch.db, {
        id,
        username: `${name}${id.slice(-6).toLowerCase()}`,
        displayName: name,
        email: `${id.toLowerCase()}@example.test`,
        passwordHash: "x",
      });
      ids.push(id);
    }
  });
  after(() => scratch?.drop());

  /** Resolves with the promise's outcome, or fails the test if it has not settled in time. */
  function settled<T>(promise: Promise<T>, ms = 5000) {
    return Promise.race([
      promise.then(
        (value) => ({ ok: true as const, value }),
        (error: Error) => ({ ok: false as const, error }),
      ),
      sleep(ms).then(() => assert.fail("a load never settled")),
    ]);
  }

  it("answers every caller when a conversation is invalidated while its load is queued", async () => {
    const [a, b] = ids as [string, string];
    const { conversationId } = await createFriendship(scratch.db, a, b);
    const cache = new AccessCache(scratch.db);
    const first = cache.get(conversationId);
    cache.invalidate(conversationId);
    const second = cache.get(conversationId);
    for (const outcome of [await settled(first), await settled(second)]) {
      assert.ok(outcome.ok);
      assert.deepEqual(new Set(outcome.value.members.keys()), new Set([a, b]));
      assert.equal(outcome.value.friends, true);
    }
  });

  it("loads conversations missed together in one batch, and refuses unknown ones alone", async () => {
    const [a, b, c] = ids as [string, string, string];
    const ab = (await createFriendship(scratch.db, a, b)).conversationId;
    const ac = (await createFriendship(scratch.db, a, c)).conversationId;
    const cache = new AccessCache(scratch.db);
    const [x, y, unknown] = await Promise.all([
      settled(cache.get(ab)),
      settled(cache.get(ac)),
      settled(cache.get(newId())),
    ]);
    assert.ok(x.ok && y.ok);
    assert.deepEqual(new Set(y.value.members.keys()), new Set([a, c]));
    assert.ok(!unknown.ok && /not found/i.test(unknown.error.message));
  });
});
