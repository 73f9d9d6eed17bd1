import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DownloadLinks, LINK_TTL_SECONDS } from "./links.ts";

const FILE = "01M90VV3JWY2ZV5EM0ZKQVKDWN";
const OTHER = "01M90VV3JWY2ZV5EM0ZKQVKDWP";
const USER = "01M90VV3BQZW9YJXD81PJ9S5F0";

function queryOf(path: string) {
  return new URLSearchParams(path.split("?")[1]);
}

describe("DownloadLinks", () => {
  const links = new DownloadLinks("a-test-secret-that-is-long-enough-0123456789");
  const now = Date.UTC(2026, 0, 1);

  it("accepts its own link for that file until it expires", () => {
    const { path, expiresAt } = links.issue(FILE, USER, now);
    assert.ok(path.startsWith(`/files/${FILE}?`));
    assert.equal(expiresAt.getTime(), now + LINK_TTL_SECONDS * 1000);
    assert.deepEqual(links.verify(FILE, queryOf(path), now + 1000), {
      userId: USER,
      issuedAt: now,
    });
    assert.equal(links.verify(FILE, queryOf(path), expiresAt.getTime()), undefined);
  });

  it("refuses the link for another file, user, expiry or key", () => {
    const query = queryOf(links.issue(FILE, USER, now).path);
    assert.equal(links.verify(OTHER, query, now), undefined);
    for (const [key, value] of [
      ["u", OTHER],
      ["exp", String(now / 1000 + 9999)],
      ["sig", "x"],
    ]) {
      const changed = new URLSearchParams(query);
      changed.set(key!, value!);
      assert.equal(links.verify(FILE, changed, now), undefined, key);
    }
    const stranger = new DownloadLinks("another-secret-that-is-long-enough-0123456789");
    assert.equal(stranger.verify(FILE, query, now), undefined);
  });
});
