import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConnectError } from "@connectrpc/connect";
import { checkFileName, checkMediaType } from "./validate.ts";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as ConnectError).rawMessage;
  }
  return assert.fail("expected a refusal");
}

describe("checkFileName", () => {
  it("keeps a name exactly as given, whatever the script or form", () => {
    const nfd = "cafe\u0301.txt";
    for (const name of ["报告.pdf", nfd, "../../etc/x", "..\\x", "名".repeat(1024), " x "]) {
      assert.equal(checkFileName(name), name);
    }
  });

  it("refuses empty names, control and bidi characters, and names past 1024 characters", () => {
    assert.equal(
      refusal(() => checkFileName("")),
      "name: empty",
    );
    assert.equal(
      refusal(() => checkFileName(" \t")),
      "name: empty",
    );
    for (const name of ["a\u0000", "a\nb", "a\u007f", "a\u0085", "gpj\u202Eexe.txt", "\uD800x"]) {
      assert.equal(
        refusal(() => checkFileName(name)),
        "name: contains control characters",
      );
    }
    assert.match(
      refusal(() => checkFileName("😀".repeat(1025))),
      /longer than 1024/,
    );
  });
});

describe("checkMediaType", () => {
  it("lowercases the type, keeps parameters, and calls an empty one octet-stream", () => {
    assert.equal(checkMediaType("Image/PNG"), "image/png");
    assert.equal(checkMediaType("text/plain; charset=UTF-8"), "text/plain; charset=UTF-8");
    assert.equal(checkMediaType(""), "application/octet-stream");
  });

  it("refuses anything that is not a media type", () => {
    for (const value of ["png", "text/html\r\nx: y", "a/b/c", "text/ plain", "a/b; x"]) {
      assert.match(
        refusal(() => checkMediaType(value)),
        /^media_type: /,
        value,
      );
    }
  });
});
