import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitLinks } from "./links";

const links = (text: string) => splitLinks(text).filter((s) => s.kind === "link");

describe("splitLinks", () => {
  it("makes http, https and mailto links clickable", () => {
    const found = links("see https://example.com/a?b=1, http://x.org and mailto:a@b.c.");
    assert.deepEqual(
      found.map((s) => s.kind === "link" && s.href),
      ["https://example.com/a?b=1", "http://x.org/", "mailto:a@b.c"],
    );
  });

  it("keeps every other scheme as inert text", () => {
    for (const text of [
      "[x](JavaScript:alert(1))",
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "/<b>x</b>",
    ]) {
      assert.deepEqual(links(text), [], text);
      assert.equal(
        splitLinks(text)
          .map((s) => s.text)
          .join(""),
        text,
      );
    }
  });

  it("gives back the text unchanged around links", () => {
    const text = "a https://x.org/b) c";
    assert.equal(
      splitLinks(text)
        .map((s) => s.text)
        .join(""),
      text,
    );
  });
});
