/**
 * The rules a message body must meet. The server enforces the same rules (it may import this
 * module), so the client can refuse a message before it leaves, with the same reason.
 */

/** Most code points in one text message. */
export const MAX_BODY_CODE_POINTS = 4000;

/**
 * Most bytes of UTF-8 in one text message. 4000 code points take at most 16,000 bytes, so this
 * only bites a server that counts differently; it is kept as the storage bound both sides share.
 */
export const MAX_BODY_BYTES = 16 * 1024;

export type BodyProblem = "empty" | "too_long" | "too_large" | "control_character" | "invalid_text";

export type BodyCheck =
  | { ok: true; codePoints: number; bytes: number }
  | { ok: false; problem: BodyProblem; reason: string };

/** Counts code points, so an emoji outside the BMP counts once, not as two UTF-16 units. */
export function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The length of `text` in UTF-8; a lone surrogate counts as the 3 bytes of U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** True for C0 and C1 control characters and DEL, except newline and tab. */
export function isForbiddenControl(cp: number): boolean {
  if (cp === 0x0a || cp === 0x09) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

function isLoneSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

/** Checks a text message body against the server's rules, without a round trip. */
export function checkMessageBody(body: string): BodyCheck {
  // Whitespace alone is refused too: the server treats it as an empty message.
  if (body.trim().length === 0) {
    return { ok: false, problem: "empty", reason: "body: the message is empty" };
  }

  let codePoints = 0;
  for (const char of body) {
    const cp = char.codePointAt(0) ?? 0;
    if (isLoneSurrogate(cp)) {
      return { ok: false, problem: "invalid_text", reason: "body: contains an invalid character" };
    }
    if (isForbiddenControl(cp)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, "0");
      return {
        ok: false,
        problem: "control_character",
        reason: `body: contains the control character U+${hex}`,
      };
    }
    codePoints++;
  }

  if (codePoints > MAX_BODY_CODE_POINTS) {
    return {
      ok: false,
      problem: "too_long",
      reason: `body: longer than ${MAX_BODY_CODE_POINTS} characters (${codePoints})`,
    };
  }

  const bytes = utf8Length(body);
  if (bytes > MAX_BODY_BYTES) {
    return {
      ok: false,
      problem: "too_large",
      reason: `body: larger than ${MAX_BODY_BYTES / 1024} KiB of UTF-8 (${bytes} bytes)`,
    };
  }

  return { ok: true, codePoints, bytes };
}

/** Turns Windows and old Mac line endings into `\n`, which is what a composer should send. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}
