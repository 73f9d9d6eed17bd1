import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashUserId, parseRealtimeUrls, pickRealtimeUrl } from "./instances";

const urls = ["http://127.0.0.1:8080", "http://127.0.0.1:8081"];

describe("pickRealtimeUrl", () => {
  it("always sends the same user to the same instance", () => {
    const id = "01JB5Z8Q3W6V9X2Y4T7R1N0M8K";
    assert.equal(pickRealtimeUrl(id, urls), pickRealtimeUrl(id, [...urls]));
    assert.equal(hashUserId(id), hashUserId(`${id}`));
  });

  it("spreads many users over every instance, roughly evenly", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      const url = pickRealtimeUrl(`01JB5Z8Q3W6V9X2Y4T7R${i.toString(36).padStart(6, "0")}`, urls);
      counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), urls);
    for (const count of counts.values()) assert.ok(count > 800, `unbalanced: ${count}`);
  });

  it("uses the only URL when there is one, and refuses none", () => {
    assert.equal(pickRealtimeUrl("anyone", ["http://rt"]), "http://rt");
    assert.throws(() => pickRealtimeUrl("anyone", []));
  });
});

describe("parseRealtimeUrls", () => {
  it("splits on commas and drops blanks and trailing slashes", () => {
    assert.deepEqual(parseRealtimeUrls(" http://a:1/ ,, http://b:2 "), [
      "http://a:1",
      "http://b:2",
    ]);
    assert.deepEqual(parseRealtimeUrls(""), []);
  });
});
