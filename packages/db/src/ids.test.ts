import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId, timeOfId } from "./ids.ts";

const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe("newId", () => {
  it("makes 26 Crockford base32 characters that encode the time", () => {
    const now = Date.UTC(2000, 0, 1, 12, 0, 0, 123); // before any other test's time
    const id = newId(now);
    assert.match(id, ID_PATTERN);
    assert.equal(timeOfId(id).getTime(), now);
  });

  it("sorts by time across milliseconds", () => {
    const base = Date.now() + 10_000;
    const earlier = newId(base);
    const later = newId(base + 1);
    assert.ok(earlier < later);
    assert.equal(timeOfId(later).getTime() - timeOfId(earlier).getTime(), 1);
  });

  it("is strictly increasing within one millisecond, and when the clock goes back", () => {
    const now = Date.now() + 20_000;
    const ids = Array.from({ length: 1000 }, () => newId(now));
    ids.push(newId(now - 5_000));
    for (let i = 1; i < ids.length; i += 1) {
      assert.ok((ids[i - 1] ?? "") < (ids[i] ?? ""), `ids[${i - 1}] < ids[${i}]`);
      assert.equal(timeOfId(ids[i] ?? "").getTime(), now);
    }
  });

  it("draws fresh random bits in a new millisecond", () => {
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => newId(Date.now() + 30_000 + i)));
    assert.equal(ids.size, 10_000);
    const randomParts = new Set([...ids].map((id) => id.slice(10)));
    assert.equal(randomParts.size, 10_000);
  });

  it("refuses times that do not fit 48 bits", () => {
    assert.throws(() => newId(-1), RangeError);
    assert.throws(() => newId(2 ** 48), RangeError);
    assert.throws(() => timeOfId("not-an-id"), /not an id/);
  });
});
