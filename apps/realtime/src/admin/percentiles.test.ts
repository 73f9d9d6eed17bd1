import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBuckets, quantile } from "./percentiles.ts";

const INF = Number.POSITIVE_INFINITY;

describe("quantile of a cumulative histogram", () => {
  it("is undefined for an empty histogram", () => {
    assert.equal(
      quantile(
        new Map([
          [0.01, 0],
          [INF, 0],
        ]),
        0.5,
      ),
      undefined,
    );
  });

  it("interpolates inside the bucket that holds the rank", () => {
    // 10 under 10 ms, 10 more between 10 and 20 ms.
    const buckets = new Map([
      [0.01, 10],
      [0.02, 20],
      [INF, 20],
    ]);
    assert.equal(quantile(buckets, 0.5), 0.01);
    assert.ok(Math.abs((quantile(buckets, 0.75) ?? 0) - 0.015) < 1e-12);
    assert.ok(Math.abs((quantile(buckets, 0.25) ?? 0) - 0.005) < 1e-12);
  });

  it("skips empty buckets and reports the highest finite bound for the open end", () => {
    const buckets = new Map([
      [0.005, 0],
      [0.01, 0],
      [0.1, 4],
      [INF, 5],
    ]);
    assert.ok((quantile(buckets, 0.5) ?? 0) > 0.01);
    assert.equal(quantile(buckets, 0.99), 0.1);
  });

  it("adds histograms bound by bound", () => {
    const sum = new Map<number, number>();
    addBuckets(
      sum,
      new Map([
        [0.01, 1],
        [INF, 2],
      ]),
    );
    addBuckets(
      sum,
      new Map([
        [0.01, 3],
        [INF, 3],
      ]),
    );
    assert.deepEqual(
      [...sum],
      [
        [0.01, 4],
        [INF, 5],
      ],
    );
  });
});
