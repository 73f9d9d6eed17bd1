import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Histogram } from "./histogram.ts";

describe("Histogram", () => {
  it("reports percentiles within 1 % of the exact values", () => {
    const h = new Histogram();
    const values = Array.from({ length: 100_000 }, (_, i) => (i + 1) / 100);
    for (const v of values.toReversed()) h.record(v);
    for (const [p, exact] of [
      [50, 500],
      [90, 900],
      [99, 990],
      [99.9, 999],
    ] as const) {
      const got = h.percentile(p);
      assert.ok(Math.abs(got - exact) / exact < 0.01, `p${p}: ${got} vs ${exact}`);
    }
    assert.equal(h.summary().max, 1000);
    assert.equal(h.summary().min, 0.01);
    assert.equal(h.count, 100_000);
  });

  it("keeps small and huge values apart and merges counts", () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(0.05);
    b.record(60_000);
    a.merge(b);
    assert.equal(a.count, 2);
    assert.ok(a.percentile(50) <= 0.051);
    assert.ok(Math.abs(a.percentile(100) - 60_000) / 60_000 < 0.01);
    assert.equal(a.buckets().length, 2);
  });

  it("is empty-safe", () => {
    assert.deepEqual(new Histogram().summary().p99, 0);
  });
});

describe("Histogram.fromBuckets", () => {
  it("gives back the same percentiles", () => {
    const h = new Histogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 10);
    const copy = Histogram.fromBuckets(h.buckets());
    for (const p of [50, 90, 99, 99.9]) assert.equal(copy.percentile(p), h.percentile(p));
    assert.equal(copy.count, h.count);
  });
});
