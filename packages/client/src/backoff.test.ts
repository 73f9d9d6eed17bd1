import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, RECONNECT_BACKOFF } from "./backoff";

describe("backoffDelay", () => {
  it("grows exponentially between half and all of the ceiling", () => {
    assert.equal(backoffDelay(0, RECONNECT_BACKOFF, 0), 250);
    assert.equal(backoffDelay(0, RECONNECT_BACKOFF, 0.999), 500);
    assert.equal(backoffDelay(3, RECONNECT_BACKOFF, 0), 2_000);
  });

  it("never exceeds the maximum, however many attempts", () => {
    for (const attempt of [5, 10, 100, 10_000]) {
      const delay = backoffDelay(attempt, RECONNECT_BACKOFF, 0.999);
      assert.ok(delay <= RECONNECT_BACKOFF.maxMs, `attempt ${attempt}: ${delay}`);
      assert.ok(delay >= RECONNECT_BACKOFF.maxMs / 2);
    }
  });

  it("treats a negative attempt as the first", () => {
    assert.equal(backoffDelay(-1, RECONNECT_BACKOFF, 0), 250);
  });
});
