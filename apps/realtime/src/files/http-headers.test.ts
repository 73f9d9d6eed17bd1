import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentDisposition, isInlineSafe, parseRange } from "./http-headers.ts";

describe("parseRange", () => {
  const size = 1000;
  it("reads one byte range in each of its three forms", () => {
    assert.deepEqual(parseRange("bytes=0-99", size), { kind: "partial", start: 0, end: 99 });
    assert.deepEqual(parseRange("bytes=990-", size), { kind: "partial", start: 990, end: 999 });
    assert.deepEqual(parseRange("bytes=-10", size), { kind: "partial", start: 990, end: 999 });
    assert.deepEqual(parseRange("bytes=-5000", size), { kind: "partial", start: 0, end: 999 });
    assert.deepEqual(parseRange("bytes=500-5000", size), { kind: "partial", start: 500, end: 999 });
  });

  it("refuses ranges that start past the end", () => {
    for (const header of ["bytes=1000-", "bytes=1000-1001", "bytes=-0"]) {
      assert.deepEqual(parseRange(header, size), { kind: "unsatisfiable" }, header);
    }
    assert.deepEqual(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
    assert.deepEqual(parseRange("bytes=-1", 0), { kind: "unsatisfiable" });
  });

  it("serves the whole file for missing, malformed, reversed or multiple ranges", () => {
    const ignored = [undefined, "", "bytes=", "bytes=-", "items=0-1", "bytes=9-1", "bytes=0-1,5-6"];
    for (const header of [...ignored, "bytes=a-b", "bytes=1.5-2"]) {
      assert.deepEqual(parseRange(header, size), { kind: "full" }, String(header));
    }
  });
});

describe("contentDisposition", () => {
  it("keeps any name exactly in filename* and gives ASCII a plain fallback", () => {
    const names = ["报告.pdf", "cafe\u0301.txt", "../../etc/x", '"quoted" 100%.txt', "a'b(c)*.txt"];
    for (const name of names) {
      const header = contentDisposition("attachment", name);
      const encoded = /filename\*=UTF-8''(.*)$/.exec(header)?.[1] ?? "";
      assert.match(encoded, /^[A-Za-z0-9!#$&+\-.^_`|~%]*$/, "only attr-chars and escapes");
      assert.equal(decodeURIComponent(encoded), name);
      const fallback = /filename="([^"]*)"/.exec(header)?.[1] ?? "";
      assert.match(fallback, /^[\x20-\x7e]*$/);
      assert.doesNotMatch(fallback, /[\\%"]/);
    }
    assert.equal(
      contentDisposition("inline", "photo.png"),
      "inline; filename=\"photo.png\"; filename*=UTF-8''photo.png",
    );
  });
});

describe("isInlineSafe", () => {
  it("shows raster images inline and nothing that can carry script", () => {
    for (const type of ["image/png", "image/jpeg", "IMAGE/GIF", "image/webp; q=1"]) {
      assert.ok(isInlineSafe(type), type);
    }
    for (const type of ["image/svg+xml", "text/html", "application/pdf", "text/plain", ""]) {
      assert.ok(!isInlineSafe(type), type);
    }
  });
});
