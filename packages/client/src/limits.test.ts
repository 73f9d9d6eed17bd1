import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkMessageBody,
  countCodePoints,
  MAX_BODY_BYTES,
  MAX_BODY_CODE_POINTS,
  normalizeLineEndings,
  utf8Length,
} from "./limits";

describe("checkMessageBody", () => {
  it("accepts 191, 192 and exactly the limit of characters", () => {
    for (const length of [1, 191, 192, MAX_BODY_CODE_POINTS]) {
      assert.equal(checkMessageBody("a".repeat(length)).ok, true, `length ${length}`);
    }
  });

  it("refuses the limit + 1 and says why", () => {
    const check = checkMessageBody("a".repeat(MAX_BODY_CODE_POINTS + 1));
    assert.equal(check.ok, false);
    assert.equal(!check.ok && check.problem, "too_long");
    assert.match(!check.ok ? check.reason : "", /^body: longer than 4000 characters/);
  });

  it("refuses an empty or whitespace-only body", () => {
    for (const body of ["", " ", "\n\t \n"]) {
      const check = checkMessageBody(body);
      assert.equal(!check.ok && check.problem, "empty", JSON.stringify(body));
    }
  });

  it("counts an emoji as one character and four bytes", () => {
    assert.equal(countCodePoints("ok 😀"), 4);
    assert.equal(utf8Length("😀"), 4);
    assert.equal(utf8Length("é"), 2);
    assert.equal(utf8Length("报"), 3);
  });

  it("accepts limit/4 emoji and also the limit in emoji (16,000 bytes, under 16 KiB)", () => {
    assert.equal(checkMessageBody("😀".repeat(MAX_BODY_CODE_POINTS / 4)).ok, true);
    const full = "😀".repeat(MAX_BODY_CODE_POINTS);
    assert.equal(utf8Length(full), 16_000);
    assert.ok(utf8Length(full) <= MAX_BODY_BYTES);
    assert.equal(checkMessageBody(full).ok, true);
  });

  it("refuses the limit + 1 in emoji as too long", () => {
    const check = checkMessageBody("👍🏽".repeat(MAX_BODY_CODE_POINTS / 2 + 1));
    assert.equal(!check.ok && check.problem, "too_long");
  });

  it("keeps flags, skin tones, math letters and right-to-left text", () => {
    for (const body of ["🇯🇵", "👍🏽", "𝐁old", "مرحبا بالعالم", "שלום\u200f", "a\tb\nc"]) {
      assert.equal(checkMessageBody(body).ok, true, body);
    }
  });

  it("refuses control characters but newline and tab", () => {
    for (const char of ["\u0000", "\u0007", "\r", "\u001b", "\u007f", "\u0085"]) {
      const check = checkMessageBody(`a${char}b`);
      assert.equal(!check.ok && check.problem, "control_character", JSON.stringify(char));
    }
  });

  it("refuses a lone surrogate, which is not valid UTF-8", () => {
    const check = checkMessageBody("a\ud83d");
    assert.equal(!check.ok && check.problem, "invalid_text");
  });
});

describe("normalizeLineEndings", () => {
  it("turns CRLF and CR into LF", () => {
    assert.equal(normalizeLineEndings("a\r\nb\rc\nd"), "a\nb\nc\nd");
  });
});
