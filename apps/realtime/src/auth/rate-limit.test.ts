import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttemptLimiter, TokenBuckets } from "./rate-limit.ts";

describe("TokenBuckets", () => {
  it("allows the burst, then the steady rate", () => {
    const buckets = new TokenBuckets(10, 3);
    const t = 1_000_000;
    assert.deepEqual(
      [1, 2, 3, 4].map(() => buckets.take("a", t)),
      [true, true, true, false],
    );
    assert.equal(buckets.take("a", t + 100), true, "one token after 100 ms at 10/s");
    assert.equal(buckets.take("a", t + 100), false);
    assert.equal(buckets.take("b", t), true, "keys are independent");
  });
});

describe("AttemptLimiter in process", () => {
  it("refuses after the limit within the window", async () => {
    const limiter = new AttemptLimiter(2, 60);
    assert.deepEqual(
      [await limiter.hit("k"), await limiter.hit("k"), await limiter.hit("k")],
      [true, true, false],
    );
  });
});
